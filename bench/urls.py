"""The site's addresses, plus django-comments-xtd's own and the reference page that needs them."""

from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

from . import views

urlpatterns = [
    path("xtd/", include("django_comments_xtd.urls")),
    path("referenca/<int:pk>/", views.reference, name="bench-reference"),
    *site_urlpatterns,
]
