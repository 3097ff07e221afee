from django.apps import AppConfig
from django.db.models.signals import post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Članci"

    def ready(self):
        from .search import reindex_saved_article

        # Deleting an article deletes its search entry through the foreign key's cascade.
        post_save.connect(
            reindex_saved_article, sender=self.get_model("Article"), dispatch_uid="articles.search.reindex"
        )
