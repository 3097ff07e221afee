from django.db import migrations

MODERATORS = "Moderatori"


def create_moderator_group(apps, schema_editor):
    # The desk's permissions are added by the migrations that bring the comment models.
    apps.get_model("auth", "Group").objects.get_or_create(name=MODERATORS)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_moderator_group, migrations.RunPython.noop)]
