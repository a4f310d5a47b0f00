import time

from django.core.management.base import BaseCommand, CommandError

from search.documents import MODELS
from search.models import SearchDocument
from search.services import REBUILD_BATCH_SIZE, search_index_rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Rebuild the search index from lists, films and people, a batch at a time "
        "(each batch its own short transaction, so the site keeps accepting comments "
        "and saves meanwhile). Edits keep the index in step by themselves; run this "
        "after a bulk import or a restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be indexed; write nothing.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH_SIZE,
            help=f"Objects per transaction (default {REBUILD_BATCH_SIZE}). Smaller holds the database for less time.",
        )

    def handle(self, *args, dry_run=False, batch_size=REBUILD_BATCH_SIZE, verbosity=1, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if dry_run:
            for kind, model in MODELS.items():
                self.stdout.write(f"{model._default_manager.count()} {kind} document(s) would be indexed.")
            return
        self.verbosity = verbosity
        self.shown = {}
        self.slowest = 0.0
        self.batch_started = time.perf_counter()
        started = self.batch_started
        counts = search_index_rebuild(batch_size=batch_size, progress=self.progress)
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{n} {SearchDocument.Kind(kind).label.lower()}(s)" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {summary}."))
        if verbosity > 1:
            per_thousand = seconds * 1000 / max(sum(counts.values()), 1)
            self.stdout.write(
                f"{seconds:.1f} s in all, {per_thousand:.2f} s per 1,000 documents, "
                f"longest batch (one transaction) {self.slowest * 1000:.0f} ms."
            )

    def progress(self, kind, done, total):
        now = time.perf_counter()
        self.slowest = max(self.slowest, now - self.batch_started)
        self.batch_started = now
        if self.verbosity < 1:
            return
        # One line per tenth of the way (and the last batch), so the output
        # reads well in a terminal, a log file or a cron mail alike.
        step = max(total // 10, 1)
        previous, self.shown[kind] = self.shown.get(kind, 0), done
        if done != total and done // step == previous // step:
            return
        filled = BAR_WIDTH * done // total
        label = SearchDocument.Kind(kind).label.lower()
        self.stdout.write(f"{label:<7}[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}")
