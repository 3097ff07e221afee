from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Urednici"
EDITOR_MODELS = ["article", "articleauthor", "author", "image", "section", "tag"]


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group can hold them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # the migration state's app stub lacks it; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    codenames = [f"{action}_{model}" for model in EDITOR_MODELS for action in ("add", "change", "delete", "view")]
    codenames.append("preview_article")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )


def name_the_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=getattr(settings, "SITE_ID", 1), defaults={"domain": "localhost:8000", "name": "Čitaonica"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial_articles_domain"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        migrations.RunPython(create_editor_group, migrations.RunPython.noop),
        migrations.RunPython(name_the_site, migrations.RunPython.noop),
    ]
