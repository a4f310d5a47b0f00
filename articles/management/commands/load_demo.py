import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Entry
from articles.services import (
    AcceptedCredits,
    article_publish,
    entries_save_in_order,
    import_key_for,
    listicle_import,
)
from films.demo_posters import draw_demo_poster
from films.models import Film
from films.services import film_upsert

FILMS_FILE = Path(__file__).resolve().parents[3] / "films" / "data" / "demo_films.json"
SAMPLE_FILE = Path(__file__).resolve().parents[2] / "demo" / "top-20-sad-romance-anime-movies.txt"
SAMPLE_TITLE = "Top 20 Sad Romance Anime Movies"
SAMPLE_DATE = datetime.datetime(2024, 6, 22, 12, 0, tzinfo=datetime.UTC)
SAMPLE_DEK = "Twenty films about love, loss and timing, from Makoto Shinkai to Studio Ghibli — bring tissues."

# Small extra lists built from the same films, so the home page has "more lists".
# They are dated before the sample, so the sample is the featured latest list.
LISTS = [
    (
        "Six Anime Films for a Rainy Evening",
        "Quiet, aching stories to watch when the weather matches your mood.",
        [
            "The Garden of Words",
            "Your Name",
            "5 Centimeters Per Second",
            "Whisper of the Heart",
            "A Silent Voice",
            "Wolf Children",
        ],
    ),
    (
        "The Best Makoto Shinkai Films, Ranked",
        "Distance, timing and light: a director's obsessions, in order.",
        ["Your Name", "The Garden of Words", "5 Centimeters Per Second", "The Place Promised in Our Early Days"],
    ),
]


class Command(BaseCommand):
    help = (
        "Load the demo: the catalogue facts of the sample's 20 films with posters drawn for them, the sample list imported "
        "and published at its real date, and two small extra lists. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done; write nothing.")

    def handle(self, *args, dry_run, **options):
        records = json.loads(FILMS_FILE.read_text(encoding="utf-8"))
        sample = SAMPLE_FILE.read_bytes()
        if dry_run:
            self.stdout.write(
                f"Would create or update {len(records)} films, draw the posters they lack, import “{SAMPLE_TITLE}” and "
                f"make sure {len(LISTS)} small lists exist."
            )
            return
        with transaction.atomic():
            self.author = self._staff_writer()
            created = sum(film_upsert(data=record)[1] for record in records)
            self.stdout.write(f"Films: {created} created, {len(records) - created} updated.")
            self._posters(records)
            self._sample(sample)
            for days_before, (title, dek, picks) in enumerate(LISTS, start=1):
                self._small_list(title, dek, picks, at=SAMPLE_DATE - datetime.timedelta(days=12 * days_before))
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))

    def _staff_writer(self):
        """The demo lists' byline ("By the Reel Rankings staff"): an account nobody can log in to."""
        writer, created = get_user_model().objects.get_or_create(
            username="staff-writer",
            defaults={"first_name": "the", "last_name": f"{settings.SITE_NAME} staff", "is_active": False},
        )
        if created:
            writer.set_unusable_password()
            writer.save(update_fields=["password"])
        return writer

    def _posters(self, records):
        """Draw a poster for each demo film that has none (a cataloguer's own upload is kept)."""
        films = Film.objects.filter(title__in=[r["title"] for r in records], poster="")
        drawn = 0
        for film in films:
            film.poster = ContentFile(draw_demo_poster(film.title, film.year), name=f"{film.slug}.png")
            film.save()
            drawn += 1
        self.stdout.write(f"Posters: {drawn} drawn, {len(records) - drawn} already there.")

    def _sample(self, sample):
        existing = Article.objects.filter(import_key=import_key_for(sample.decode("utf-8-sig"))).first()
        if existing is not None and existing.status == Article.Status.PUBLISHED:
            self.stdout.write(f"“{existing.title}” is already imported and published.")
            return
        report = listicle_import(
            text=sample,
            title=SAMPLE_TITLE,
            dek=SAMPLE_DEK,
            accept_credits=AcceptedCredits.ALL,
            publish=True,
            author=self.author,
        )
        self.stdout.write(
            f"Imported “{report.article.title}”: {len(report.films)} entries in {report.seconds * 1000:.0f} ms, "
            f"{len(report.warnings)} warning(s), {len(report.checks)} check(s)."
        )

    def _small_list(self, title, dek, picks, *, at):
        if Article.objects.filter(title=title).exists():
            return
        article = Article.objects.create(
            author=self.author,
            title=title,
            dek=dek,
            intro="A short list drawn from the films of our Top 20.\n\nEach entry links to its film.",
        )
        article.hashtags.add("AnimeMovies", "SadAnime")
        films = [Film.objects.matching(name).get() for name in picks]
        entries = [
            Entry(film=film, write_up=f"{film.synopsis}\n\nWhy it is here: it earns every tear.") for film in films
        ]
        entries_save_in_order(article=article, entries=entries)
        article_publish(article=article, at=at)
        self.stdout.write(f"Created the list “{title}”.")
