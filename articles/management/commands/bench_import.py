import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.importer.parse import parse
from articles.models import Article
from articles.services import AcceptedCredits, import_key_for, listicle_import

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "top-20-sad-romance-anime-movies.txt"


class Command(BaseCommand):
    help = (
        "Time the import of the sample list (or PATH): parsing alone, and the whole import "
        "with its writes, each run rolled back so the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SAMPLE))
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--title", default="Top 20 Sad Romance Anime Movies")

    def handle(self, *args, path, runs, title, **options):
        data = Path(path).read_bytes()
        text = data.decode("utf-8-sig")
        self._report("parse only", [self._time(lambda: parse(text, title=title)) for _ in range(runs)])
        self._report("full import, rolled back", [self._import(data, title) for _ in range(runs)])

    def _import(self, data, title):
        with transaction.atomic():
            # Forget an earlier import of the same text (the demo's), so every
            # run does the whole job; the rollback puts it back.
            Article.objects.filter(import_key=import_key_for(data.decode("utf-8-sig"))).update(import_key="")
            ms = self._time(lambda: listicle_import(text=data, title=title, accept_credits=AcceptedCredits.ALL))
            transaction.set_rollback(True)
        return ms

    @staticmethod
    def _time(fn):
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started) * 1000

    def _report(self, label, ms):
        self.stdout.write(
            f"{label}: median {statistics.median(ms):.1f} ms, min {min(ms):.1f} ms, "
            f"max {max(ms):.1f} ms over {len(ms)} runs"
        )
