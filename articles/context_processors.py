from .models import Section, SiteSettings


def site(request):
    """What every page's masthead and footer show: the site settings and the section navigation."""
    return {"site_settings": SiteSettings.get_solo(), "nav_sections": Section.objects.all()}
