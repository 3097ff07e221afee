from django.contrib.auth.management import create_permissions
from django.db import migrations

DESK_PERMISSIONS = ["add_ban", "change_ban", "view_ban", "view_decision"]


def fill_email_keys(apps, schema_editor):
    ArticleComment = apps.get_model("comments", "ArticleComment")
    comments = list(ArticleComment.objects.all())
    for comment in comments:
        comment.email_key = (comment.user_email or "").strip().lower()
    ArticleComment.objects.bulk_update(comments, ["email_key"], batch_size=1000)


def grant_desk_permissions(apps, schema_editor):
    app_config = apps.get_app_config("comments")
    app_config.models_module = True  # the migration state's app stub lacks it; create_permissions needs it
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="comments", codename__in=DESK_PERMISSIONS)
    for name in ("Moderatori", "Urednici"):
        Group.objects.get(name=name).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_moderation_desk")]

    operations = [
        migrations.RunPython(fill_email_keys, migrations.RunPython.noop),
        migrations.RunPython(grant_desk_permissions, migrations.RunPython.noop),
    ]
