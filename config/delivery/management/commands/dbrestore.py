from django.core.management.base import BaseCommand, CommandError

REFUSAL = (
    "Restore with `manage.py restore DIR` (a folder made by `backup`): it checks the backup's checksums and "
    "media, refuses a database that is not empty unless --force, and drops cached pages afterwards. "
    "django-dbbackup's own dbrestore does none of that."
)


class Command(BaseCommand):
    """Stands in for django-dbbackup's dbrestore, which skips our checks (the layer comes first in apps)."""

    help = REFUSAL

    def run_from_argv(self, argv):
        super().run_from_argv(argv[:2])  # whatever options dbrestore would take, the answer is the same

    def handle(self, *args, **options):
        raise CommandError(REFUSAL)
