from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Komentari"

    def ready(self):
        from django.db.models.signals import pre_save
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save

        from articles import page_sections

        from .selectors import SECTION_PARAMS, article_page_section

        # The Komentari section under every article: articles shows it without importing comments.
        page_sections.register(
            "comments", template="comments/section.html", params=SECTION_PARAMS, build=article_page_section
        )

        # django-comments-xtd copies a comment's public state onto all its replies on every save, so approving
        # a parent would publish held replies. Moderation here decides each comment alone.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender="comments.ArticleComment")
        # Cached pages are told of changes by the services that make them (comments/moderation.py), not here.

        # allauth's admin (addresses, social accounts, apps, tokens) is not for editors: readers' accounts are
        # seen as profiles (comments/admin.py), social providers are configured by environment. Its admin
        # module is imported after ours, so it is taken out here, once every admin module has run.
        from allauth.account.models import EmailAddress
        from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
        from django.contrib import admin

        for model in (EmailAddress, SocialAccount, SocialApp, SocialToken):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
