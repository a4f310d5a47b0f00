"""
`manage.py make_renditions`: make the poster renditions that are missing.

Posters uploaded before AVIF and JPEG renditions existed have WebP ones
only, and pages name all three formats. This renders each poster's missing
renditions from its stored image; what is already there is left alone, so a
second run makes nothing.
"""

from django.core.management.base import BaseCommand

from films.images import POSTER, make_renditions, missing_renditions
from films.models import Film

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Make the missing renditions (AVIF, WebP, JPEG at every width) of every film's poster."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Make every rendition again, even those that exist (after a change of formats or quality).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be made; write nothing.")

    def handle(self, *args, **options):
        remake, dry_run = options["all"], options["dry_run"]
        self.verbosity = options["verbosity"]
        films = Film.objects.exclude(poster="").order_by("pk").only("title", "poster", "poster_width")
        total = films.count()
        made = posters = unreadable = 0
        for done, film in enumerate(films.iterator(chunk_size=200), start=1):
            storage, name = film.poster.storage, film.poster.name
            if not storage.exists(name):
                unreadable += 1
                self.stderr.write(f"{film.title}: the poster file {name} is missing from the storage; skipped.")
                continue
            wanted = None if remake else missing_renditions(name, film.poster_width, POSTER, storage=storage)
            if wanted == []:
                self.progress(done, total)
                continue
            if dry_run:
                count = len(wanted) if wanted is not None else "every"
                self.stdout.write(f"{film.title}: {count} rendition(s) would be made.")
            else:
                made += len(make_renditions(name, POSTER, None if remake else set(wanted), storage=storage))
            posters += 1
            self.progress(done, total)
        if dry_run:
            self.stdout.write(f"{posters} of {total} poster(s) would get renditions. Nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{made} rendition(s) made for {posters} of {total} poster(s)."))
        if unreadable:
            self.stderr.write(f"{unreadable} poster file(s) missing; upload them again in the admin.")

    def progress(self, done, total):
        # One line per tenth of the way, so the output reads well in a terminal or a log alike.
        if self.verbosity < 1 or (done != total and done % max(total // 10, 1)):
            return
        filled = BAR_WIDTH * done // total
        self.stdout.write(f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}")
