from django.core.management.base import BaseCommand, CommandError

from articles.autosave import KEEP_DAYS, delete_older_than


class Command(BaseCommand):
    help = (
        f"Deletes autosaves of the article form older than --days (default {KEEP_DAYS}). Run it daily from "
        "cron, e.g. 30 4 * * * manage.py clean_autosaves. Autosaves older than an article's last save are "
        "never offered anyway; this only keeps the table small."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=KEEP_DAYS,
            help=f"Keep autosaves this many days (default {KEEP_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report how many would be deleted.")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = delete_older_than(days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Dry run: {count} autosaves older than {days} days would be deleted.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {count} autosaves older than {days} days."))
