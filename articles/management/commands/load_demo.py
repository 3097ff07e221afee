from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from articles.demo import DEMO_USERS, load_demo


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Loads the original demo content (sections, authors, photos, articles); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Also create the development logins (editor, moderator, administrator). "
            "Never in production.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be created, store nothing."
        )

    def handle(self, *args, with_users, dry_run, **options):
        try:
            with transaction.atomic():
                summary = load_demo(with_users=with_users, make_renditions=not dry_run)
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: nothing was stored.")
        created = ", ".join(f"{kind}: {count}" for kind, count in summary.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded (newly created: {created})."))
        if with_users and not dry_run:
            sign_in = settings.SITE_URL + reverse("admin:index")
            self.stdout.write(f"Demo logins (development only), sign in at {sign_in}:")
            for user in DEMO_USERS:
                self.stdout.write(f"  {user['role']:<14} {user['username']:<10} password: {user['password']}")
