from django.core.management.base import BaseCommand, CommandError

from config.delivery.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Backs up the database and the uploaded media (with django-dbbackup) into one directory with a "
        "manifest of row counts and checksums (default DJANGO_BACKUP_DIR/<UTC time>/, DJANGO_BACKUP_DIR "
        "being var/backups unless set). Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Directory to write the backup to; must not exist or be empty.")
        parser.add_argument(
            "--database", default="default", help="Database alias to back up (default: default)."
        )

    def handle(self, *args, output, database, **options):
        try:
            directory = backup(output, using=database, progress=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {directory}"))
