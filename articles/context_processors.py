from urllib.parse import quote

from django.urls import reverse

from config.delivery import reader_script

from .models import Section, SiteSettings


def site(request):
    """What every page's masthead and footer show: the site settings and the section navigation."""
    return {"site_settings": SiteSettings.get_solo(), "nav_sections": Section.objects.all()}


def script(request):
    """The reader's script for ``<html lang>`` and the "Ćirilica | Latinica" switch, which keeps the page."""
    code = reader_script.current_script()
    # The query the view was handed, not the one asked: on a cached page, only the parameters its key holds.
    query = request.GET.urlencode()
    here = quote(reader_script.latin_path(request.path + (f"?{query}" if query else "")), safe="/")
    targets = {"switch_to_latin": reader_script.LATIN, "switch_to_cyrillic": reader_script.CYRILLIC}
    switch = {
        # The switch itself has one (Latin) address in both scripts.
        name: reader_script.latin_path(reverse("articles:switch_script", kwargs={"script": target}))
        + f"?next={here}"
        for name, target in targets.items()
    }
    return {"script": {"code": code, **reader_script.SCRIPTS[code], **switch}}
