from django.contrib.auth.management import create_permissions
from django.db import migrations


def let_editors_publish(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # the migration state's app stub lacks it; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Urednici")
    editors.permissions.add(Permission.objects.get(content_type__app_label="articles", codename="publish_article"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_editorial_workflow")]

    operations = [migrations.RunPython(let_editors_publish, migrations.RunPython.noop)]
