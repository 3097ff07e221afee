from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments.retention import erase_old_personal_data


class Command(BaseCommand):
    help = (
        "Erases commenters' network addresses and readers' hashed networks older than "
        "COMMENTS_IP_RETENTION_DAYS (and expired 'Moji komentari' links and unanswered requests for them). "
        "Meant to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep addresses this many days (default: {settings.COMMENTS_IP_RETENTION_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be erased.")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative.")
        days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        erasure = erase_old_personal_data(days, dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {erasure.addresses} commenter network addresses older than {days} days "
            f"and {erasure.expired_links} expired 'Moji komentari' links "
            f"and {erasure.link_requests} unanswered requests for them; "
            f"{erasure.networks} hashed reader networks of reactions and reports."
        )
