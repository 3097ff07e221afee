from django.core.management.base import BaseCommand

from comments.demo import load_demo_comments, load_demo_reader


class Command(BaseCommand):
    help = "Adds original demo discussions to the newest demo articles that have none; safe to run again."

    def handle(self, *args, **options):
        created = load_demo_comments()
        self.stdout.write(self.style.SUCCESS(f"Demo comments loaded (newly created: {created})."))
        email = load_demo_reader()
        self.stdout.write(f"Demo reader: sign in at /nalog/login/ as {email} (the code comes by e-mail).")
