from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "config.delivery"
    label = "delivery"
    verbose_name = "Isporuka"

    def ready(self):
        # The packages' admin pages in our language (the admin has registered their models by now).
        from config import package_admin

        package_admin.install()
