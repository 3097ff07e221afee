from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Urednici"
# Editors run live blogs, correct articles and switch the strip on; the impresum and the site's pages are the
# administrators' (superusers).
EDITORS_MODELS = ["liveentry", "articlenote", "breakingnews"]


def let_editors_keep_live_notes_breaking(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group can hold them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # the migration state's app stub lacks it; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}" for model in EDITORS_MODELS for action in ("add", "change", "delete", "view")
    ]
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_live_notes_breaking_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(let_editors_keep_live_notes_breaking, migrations.RunPython.noop)]
