from django.core.management.base import BaseCommand

from search.documents import MODELS
from search.models import SearchDocument
from search.services import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from lists, films and people. Edits keep the "
        "index in step by themselves; run this after a bulk import or a restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be indexed; write nothing.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if dry_run:
            for kind, model in MODELS.items():
                self.stdout.write(f"{model._default_manager.count()} {kind} document(s) would be indexed.")
            return
        done = 0

        def progress(kind, pk):
            nonlocal done
            done += 1
            if verbosity > 1 and done % 100 == 0:
                self.stdout.write(f"… {done}")

        counts = search_index_rebuild(progress=progress)
        summary = ", ".join(f"{n} {SearchDocument.Kind(kind).label.lower()}(s)" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {summary}."))
