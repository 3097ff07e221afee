from django.db import migrations


def name_devices_default(apps, schema_editor):
    """django-two-factor-auth asks for the code of the app named "default"; our own enrolment named it otherwise.

    At most one confirmed app per person existed, so each becomes that person's default.
    """
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    TOTPDevice.objects.filter(confirmed=True).exclude(name="default").update(name="default")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_tag_links_newest_index"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(name_devices_default, migrations.RunPython.noop)]
