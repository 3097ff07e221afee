from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATION_PERMISSIONS = [
    ("comments", "view_articlecomment"),
    ("comments", "change_articlecomment"),
    ("comments", "view_report"),
    ("django_comments", "can_moderate"),
]


def grant_moderation(apps, schema_editor):
    for label in ("comments", "django_comments"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # the migration state's app stub lacks it; create_permissions needs it
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in MODERATION_PERMISSIONS
    ]
    for name in ("Moderatori", "Urednici"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_comment_models"),
        ("articles", "0002_editor_group_and_site"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [migrations.RunPython(grant_moderation, migrations.RunPython.noop)]
