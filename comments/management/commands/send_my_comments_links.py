import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from comments.my_comments import send_requested_links


class Command(BaseCommand):
    help = (
        "Mails the 'Moji komentari' links readers asked for (to addresses that have comments) and clears the "
        "requests. Meant to run every minute from cron, or with --every as a service."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be sent.")
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Keep running, handling the queue this often (as `make run` does).",
        )

    def handle(self, *args, dry_run=False, every=None, **options):
        if every is not None and every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        while True:
            outcome = send_requested_links(dry_run=dry_run)
            if outcome.handled or every is None:
                verb = "Would mail" if dry_run else "Mailed"
                self.stdout.write(
                    f"{verb} {outcome.mailed} 'Moji komentari' links for {outcome.handled} requests "
                    f"({outcome.dropped} too old to answer)."
                )
            if every is None:
                return
            time.sleep(every)
            close_old_connections()  # a long-running loop outlives connections and database restarts
