from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Članci"

    def ready(self):
        from config.delivery.page_cache import watch_schedule

        from .live import next_live_end
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
        # Cached pages are told of changes by the services that make them (articles/services.py), not here.
        watch_schedule(next_scheduled_publication)
        # A live blog's end set in the future: its page and cards drop "UŽIVO" then, with no write.
        watch_schedule(next_live_end)
        watch_schedule(next_breaking_news_change)


def next_scheduled_publication():
    """When the next scheduled article goes out: its pages change then with no write."""
    from .models import Article

    scheduled = Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True)
    return scheduled.first()


def next_breaking_news_change():
    """When a switched-on "Najnovije" strip next starts or expires: every page changes then with no write."""
    from django.db.models import Min, Q
    from django.utils import timezone

    from .models import BreakingNews

    now = timezone.now()
    moments = BreakingNews.objects.filter(is_active=True, expires_at__gt=now).aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)), expires=Min("expires_at")
    )
    return min((moment for moment in moments.values() if moment), default=None)
