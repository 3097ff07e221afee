"""Readers' accounts under /nalog/: django-allauth's sign-up and sign-in flows, and our profile pages."""

from django.urls import include, path

from . import my_comments_views

urlpatterns = [
    path("komentari/", my_comments_views.account_comment_list, name="reader_comments"),
    path("obrisi/", my_comments_views.account_delete, name="reader_account_delete"),
    path("", include("allauth.urls")),
]
