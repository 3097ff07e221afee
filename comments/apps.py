from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Komentari"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        from articles import page_sections
        from config.delivery.page_cache import site_changed_receiver

        from .models import ArticleComment, CommentSettings
        from .selectors import SECTION_PARAMS, article_page_section

        # The Komentari section under every article: articles shows it without importing comments.
        page_sections.register(
            "comments", template="comments/section.html", params=SECTION_PARAMS, build=article_page_section
        )

        # django-comments-xtd copies a comment's public state onto all its replies on every save, so approving
        # a parent would publish held replies. Moderation here decides each comment alone.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender="comments.ArticleComment")

        # Edits in the admin and comments readers see at once: the article's cached pages are made again.
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                comment_saved_or_deleted, sender=ArticleComment, dispatch_uid=f"comments.page_cache.{name}"
            )
            signal.connect(
                site_changed_receiver, sender=CommentSettings, dispatch_uid=f"comments.settings.{name}"
            )


def comment_saved_or_deleted(instance, created=False, **kwargs):
    from config.delivery.page_cache import comments_changed

    if created and not instance.is_visible:
        return  # waiting for a moderator: no page shows it yet
    comments_changed([instance.article_id])
