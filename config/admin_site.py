"""The admin site: every ModelAdmin speaks Serbian cases, and the groups come in the order of daily use."""

from django.contrib import admin
from django.utils.text import capfirst

from .admin_language import APPS, MODEL_ORDER, NOUNS, SerbianNames


def _position(order, key):
    return order.index(key) if key in order else len(order)


class CitaonicaAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        """Each registered ModelAdmin, ours or a package's, gets ``SerbianNames`` in front of it."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SerbianNames):
            admin_class = type(
                admin_class.__name__,
                (SerbianNames, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        app_order = list(APPS)
        apps = sorted(
            self._build_app_dict(request, app_label).values(),
            key=lambda app: (_position(app_order, app["app_label"]), app["name"].lower()),
        )
        for app in apps:
            for model in app["models"]:
                label = model["model"]._meta.label_lower
                if label in NOUNS:
                    model["name"] = capfirst(NOUNS[label].plural)
            app["models"].sort(
                key=lambda model: (_position(MODEL_ORDER, model["model"]._meta.label_lower), model["name"])
            )
        return apps
