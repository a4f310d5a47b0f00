import time

from django.core.management.base import BaseCommand

from search.services import search_index_optimize, search_index_segments


class Command(BaseCommand):
    help = (
        "Keep search fast after many writes: on SQLite, merge the index into one segment "
        "(saves add segments and a search reads every one; half a second at magazine scale, "
        "during which saves wait); on PostgreSQL, refresh the planner's statistics of the "
        "search documents. Run it nightly and after bulk loads."
    )

    def handle(self, *args, **options):
        before = search_index_segments()
        started = time.perf_counter()
        search_index_optimize()
        seconds = time.perf_counter() - started
        if before is None:
            self.stdout.write(self.style.SUCCESS(f"Search statistics refreshed, in {seconds:.1f} s."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index merged: {before} segment(s) into {search_index_segments()}, in {seconds:.1f} s."
            )
        )
