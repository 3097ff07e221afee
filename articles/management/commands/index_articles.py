from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.search import INDEX_BATCH_SIZE, index_all_articles


class Command(BaseCommand):
    help = (
        "Rebuilds the search index of every article. Saving an article keeps its entry current; run this "
        "after bulk loads, fixtures or imports that bypass save()."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=INDEX_BATCH_SIZE,
            help=f"Articles written per statement batch (default {INDEX_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report how many articles would be indexed."
        )

    def handle(self, *args, batch_size, dry_run, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = Article.objects.count()
        if dry_run:
            self.stdout.write(f"Dry run: {total} articles would be indexed.")
            return

        def progress(done):
            self.stdout.write(f"Indexed {done} of {total} articles ({done * 100 // max(total, 1)} %).")

        indexed = index_all_articles(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {indexed} articles."))
