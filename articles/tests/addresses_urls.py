"""The site's URLs under /vesti/, for test_addresses: a changed URLconf must change the remembered paths."""

from django.urls import include, path

urlpatterns = [path("vesti/", include("config.urls"))]
