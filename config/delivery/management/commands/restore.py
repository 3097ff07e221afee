from django.core.management.base import BaseCommand, CommandError

from config.delivery.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restores a directory written by `backup` into the configured database and media folder. Checks "
        "checksums and the media archive first, refuses a database that is not empty unless --force, and "
        "drops every cached page afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="The backup directory (the one holding manifest.json).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that is not empty (its tables are dropped first).",
        )
        parser.add_argument(
            "--media-root", help="Folder to restore media into (default: MEDIA_ROOT of the settings)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only check the backup and the target.")

    def handle(self, *args, directory, force, media_root, dry_run, **options):
        try:
            report = restore(
                directory, media_root=media_root, force=force, dry_run=dry_run, progress=self.stdout.write
            )
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stdout.write(note)
        if dry_run:
            return
        if report.mismatches:
            differences = "; ".join(
                f"{label}: {expected} in the backup, {found} restored"
                for label, (expected, found) in report.mismatches.items()
            )
            raise CommandError(f"Restored, but row counts differ from the manifest: {differences}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(report.counts.values())} rows in {len(report.counts)} tables and "
                f"{report.media_files} media files from {report.directory}; every count matches the manifest."
            )
        )
