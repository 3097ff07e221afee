"""Cacheable views that break the page cache's rules on purpose (articles/tests/test_page_cache_inputs.py)."""

from django.http import HttpResponse
from django.urls import path

from config.delivery.page_cache import Param, cached_page, one_of, page_number, site_pages


@cached_page(site_pages)
def sets_a_cookie(request):
    response = HttpResponse("<p>Dobro došli</p>")
    response.set_cookie("posetilac", "1")
    return response


@cached_page(site_pages, params=("strana",))
def reads_an_undeclared_parameter(request):
    return HttpResponse(f"<p>Redosled: {request.GET.get('redosled', 'najnoviji')}</p>")


@cached_page(site_pages, params=(Param("strana", page_number), Param("redosled", one_of("najstariji"))))
def echoes_its_parameters(request):
    """Shows exactly what it was handed, so a test sees what a key and a render were made from."""
    return HttpResponse(f"<p>{sorted(request.GET.lists())}</p>")


urlpatterns = [
    path("kolacic/", sets_a_cookie),
    path("nedeklarisan/", reads_an_undeclared_parameter),
    path("parametri/", echoes_its_parameters),
]
