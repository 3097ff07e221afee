from django.apps import apps
from django.contrib.admin.apps import AdminConfig


class CitaonicaAdminConfig(AdminConfig):
    """django.contrib.admin with our site (config/admin_site.py) as ``admin.site``."""

    default_site = "config.admin_site.CitaonicaAdminSite"

    def ready(self):
        from .admin_language import APPS, name_links

        # The groups' names in the index, the sidebar, the breadcrumbs and each group's page; the packages'
        # own AppConfigs would need a subclass each in INSTALLED_APPS for the same.
        for label, name in APPS.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
        name_links()
        super().ready()
