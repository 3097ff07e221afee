from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Članci"

    def ready(self):
        from config.delivery.page_cache import site_changed_receiver, watch_schedule

        from .search import reindex_saved_article
        from .transliteration import forget_exceptions

        # Deleting an article deletes its search entry through the foreign key's cascade.
        post_save.connect(
            reindex_saved_article, sender=self.get_model("Article"), dispatch_uid="articles.search.reindex"
        )
        # The exceptions list is cached; a changed entry makes the next conversion read it again.
        exception = self.get_model("TransliterationException")
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                forget_exceptions, sender=exception, dispatch_uid=f"articles.transliteration.{name}"
            )
        # Anything a public page shows: its cached copies are made again on the next request.
        shown = ("Article", "ArticleAuthor", "Section", "Author", "Tag", "Image", "SiteSettings")
        for model_name in (*shown, "TransliterationException"):  # an exception changes Cyrillic pages
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    site_changed_receiver,
                    sender=self.get_model(model_name),
                    dispatch_uid=f"config.delivery.page_cache.{model_name}.{name}",
                )
        watch_schedule(next_scheduled_publication)
        m2m_changed.connect(
            site_changed_receiver,
            sender=self.get_model("Article").tags.through,
            dispatch_uid="config.delivery.page_cache.tags",
        )


def next_scheduled_publication():
    """When the next scheduled article goes out: its pages change then with no write."""
    from .models import Article

    scheduled = Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True)
    return scheduled.first()
