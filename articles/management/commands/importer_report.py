from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.importer.fidelity import corpus, expected, read, score, summary
from articles.importer.parse import ParseError

CORPUS = Path(settings.BASE_DIR) / "tests" / "articles" / "corpus"


class Command(BaseCommand):
    help = (
        "Read every listicle of a corpus (each text beside a .json of what it should become) and "
        "print how faithfully the importer reads them: entries exact, paragraphs in the right place, "
        "furniture dropped, dates and bylines found. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default=str(CORPUS))
        parser.add_argument("--verbose-misses", action="store_true", help="Name each text that misses something.")

    def handle(self, *args, folder, verbose_misses, **options):
        pairs = list(corpus(folder))
        if not pairs:
            raise CommandError(f"No texts with an expected .json in {folder}.")

        scores = []
        for path, _expected_path in pairs:
            want, _notes = expected(path)
            try:
                got = summary(read(path))
            except ParseError as e:
                got = {
                    "title": "",
                    "byline": "",
                    "date": None,
                    "hashtags": [],
                    "intro": [],
                    "entries": [],
                    "conclusion": [],
                    "sign_off": "",
                    "dropped": [],
                    "ask": [],
                }
                self.stdout.write(f"{path.name}: refused: {e}")
            s = score(got, want)
            scores.append(s)
            if verbose_misses and not (
                s.entries_exact
                and s.paragraphs_right == s.paragraphs
                and s.dropped_right == s.dropped
                and s.date_found is not False
                and s.byline_found is not False
            ):
                self.stdout.write(f"{path.name}: {s}")

        def figure(label, right, total):
            share = f"{100 * right / total:.0f}%" if total else "n/a"
            self.stdout.write(f"{label:<46}{right:>6} / {total:<6}{share:>6}")

        self.stdout.write(f"Importer fidelity over {len(scores)} texts in {folder}")
        figure("Texts with every entry exact", sum(s.entries_exact for s in scores), len(scores))
        figure(
            "Title parts exact (each script, year, format)",
            sum(s.title_parts_right for s in scores),
            sum(s.title_parts for s in scores),
        )
        figure(
            "Paragraphs in the right place", sum(s.paragraphs_right for s in scores), sum(s.paragraphs for s in scores)
        )
        figure(
            "Furniture lines dropped, with reason", sum(s.dropped_right for s in scores), sum(s.dropped for s in scores)
        )
        dated = [s for s in scores if s.date_found is not None]
        figure("Dates found", sum(s.date_found for s in dated), len(dated))
        signed = [s for s in scores if s.byline_found is not None]
        figure("Bylines found", sum(s.byline_found for s in signed), len(signed))
