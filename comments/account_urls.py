"""Readers' accounts under /nalog/: django-allauth's sign-up and sign-in flows, and our profile pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("allauth.urls")),
]
