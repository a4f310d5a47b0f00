import random
import sys
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

import pagecache
from articles.models import Article, Entry, Hashtag, TaggedArticle
from comments.models import Comment
from core.tag_uses import recount
from core.text import match_key
from films.models import Credit, Film, FilmTitle, Mood, Person, Studio, TaggedFilm
from pagecache import schedule
from search.models import SearchDocument
from search.services import search_index_optimize, search_index_update

PREFIX = "scale-"
COMMENT_DOMAIN = "scale.example"
ADJECTIVES = [
    "Quiet",
    "Last",
    "Distant",
    "Burning",
    "Silent",
    "Endless",
    "Broken",
    "Secret",
    "Golden",
    "Fading",
    "Lonely",
    "Hidden",
    "Falling",
    "Summer",
    "Winter",
    "Paper",
    "Glass",
    "Midnight",
    "Wandering",
    "Little",
]
NOUNS = [
    "Love",
    "Garden",
    "Sky",
    "Train",
    "Letter",
    "Promise",
    "Station",
    "River",
    "Star",
    "Heart",
    "Voice",
    "Town",
    "Light",
    "Rain",
    "Memory",
    "Island",
    "Bridge",
    "Dream",
    "Sea",
    "Moon",
]
THEMES = ["Sad", "Romance", "Feel-Good", "Sci-Fi", "Coming-of-Age", "Slow", "Animated", "Cult", "Quiet", "Epic"]


class Command(BaseCommand):
    help = (
        "Fill the database to a magazine's size for the scale bench: published lists of 20 entries "
        "over ten years, films with titles, credits, studios and moods, and reader comments. "
        "Rows are inserted in bulk and named scale-…, so running it again adds only what is "
        "missing. Search documents are written for what it adds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lists", type=int, default=10_000)
        parser.add_argument("--films", type=int, default=50_000)
        parser.add_argument("--comments", type=int, default=200_000)
        parser.add_argument("--entries", type=int, default=20, help="Entries per list (default 20).")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--dry-run", action="store_true", help="Say what would be added; write nothing.")

    def handle(self, *args, lists, films, comments, entries, batch_size, dry_run, **options):
        if min(lists, films, comments, entries) < 0 or batch_size < 1:
            raise CommandError("Counts must be 0 or more and --batch-size at least 1.")
        if lists and entries > films:
            raise CommandError(f"A list of {entries} entries needs at least {entries} films (--films).")
        self.batch_size = batch_size
        have = {
            "films": Film.objects.filter(slug__startswith=PREFIX).count(),
            "lists": Article.objects.filter(slug__startswith=PREFIX).count(),
            "comments": Comment.objects.filter(email__endswith="@" + COMMENT_DOMAIN).count(),
        }
        want = {"films": films, "lists": lists, "comments": comments}
        missing = {kind: max(0, want[kind] - have[kind]) for kind in want}
        for kind in want:
            self.stdout.write(f"{kind}: {have[kind]} seeded, {missing[kind]} to add (target {want[kind]})")
        if dry_run or not any(missing.values()):
            self.stdout.write("Nothing written." if dry_run else "Already at that size.")
            return
        started = time.perf_counter()
        rng = random.Random(20240622)
        self.vocabulary()
        film_ids = self.films(have["films"], films)
        self.lists(have["lists"], lists, entries, film_ids, rng)
        self.comments(have["comments"], comments, rng)
        # Bulk inserts send no signal: which films readers may see, from the lists just added,
        # and how many lists and films carry each hashtag and mood.
        Film.objects.filter(slug__startswith=PREFIX).public_from_refresh()
        recount(TaggedArticle, self.hashtags)
        recount(TaggedFilm, self.moods)
        # Bulk loads leave the search index in many segments; an operator would merge them.
        search_index_optimize()
        pagecache.changed("everything")  # bulk inserts send no signal
        schedule.changed()
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.0f} s."))

    # -- steps ---------------------------------------------------------------------------

    def vocabulary(self):
        """People, studios, moods, hashtags and the writer the rows point at (small, get_or_create)."""
        self.author, _ = get_user_model().objects.get_or_create(
            username=f"{PREFIX}writer", defaults={"first_name": "Scale", "last_name": "Writer"}
        )
        self.studios = [
            Studio.objects.get_or_create(slug=f"{PREFIX}studio-{i}", defaults={"name": f"Scale Studio {i}"})[0].pk
            for i in range(300)
        ]
        self.moods = [
            Mood.objects.get_or_create(slug=f"{PREFIX}mood-{i}", defaults={"name": f"scale mood {i}"})[0].pk
            for i in range(40)
        ]
        self.hashtags = [
            Hashtag.objects.get_or_create(
                slug=f"{PREFIX}tag-{i}".lower(), defaults={"name": f"Scale{THEMES[i % 10]}{i}".replace("-", "")}
            )[0].pk
            for i in range(500)
        ]
        existing = set(Person.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
        Person.objects.bulk_create(
            [
                Person(name=f"Scale Director {i}", slug=f"{PREFIX}director-{i}")
                for i in range(5000)
                if f"{PREFIX}director-{i}" not in existing
            ],
            batch_size=self.batch_size,
        )
        self.people = list(Person.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))

    def films(self, start, total):
        for first in self.batches("films", start, total):
            stop = min(first + self.batch_size, total)
            with transaction.atomic():
                rows = Film.objects.bulk_create(
                    [
                        Film(
                            title=f"The {ADJECTIVES[i % 20]} {NOUNS[(i // 20) % 20]} {i}",
                            romanized_title=f"{NOUNS[i % 20]} no {ADJECTIVES[(i // 7) % 20]} {i}",
                            slug=f"{PREFIX}film-{i}",
                            year=1960 + i % 65,
                            synopsis=f"A story of {NOUNS[i % 20].lower()} and time.",
                        )
                        for i in range(first, stop)
                    ]
                )
                FilmTitle.objects.bulk_create(
                    [
                        FilmTitle(film=f, position=p, kind=k, title=t, key=match_key(t))
                        for f in rows
                        for p, (k, t) in enumerate(
                            [(FilmTitle.Kind.ENGLISH, f.title), (FilmTitle.Kind.ROMANIZED, f.romanized_title)]
                        )
                    ]
                )
                Credit.objects.bulk_create(
                    [
                        Credit(film=f, person_id=self.people[n % len(self.people)], role=Credit.Role.DIRECTOR)
                        for n, f in enumerate(rows, first)
                    ]
                )
                Film.studios.through.objects.bulk_create(
                    [
                        Film.studios.through(film_id=f.pk, studio_id=self.studios[n % len(self.studios)])
                        for n, f in enumerate(rows, first)
                    ]
                )
                TaggedFilm.objects.bulk_create(
                    [
                        TaggedFilm(content_object=f, tag_id=self.moods[(n + k) % len(self.moods)])
                        for n, f in enumerate(rows, first)
                        for k in (0, 7)
                    ]
                )
                search_index_update(kind=SearchDocument.Kind.FILM, pks=[f.pk for f in rows])
        return list(Film.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True))

    def lists(self, start, total, per_list, film_ids, rng):
        now = timezone.now()
        for first in self.batches("lists", start, total):
            stop = min(first + self.batch_size, total)
            with transaction.atomic():
                rows = Article.objects.bulk_create(
                    [
                        Article(
                            title=f"Top {per_list} {THEMES[i % 10]} Films Number {i}",
                            slug=f"{PREFIX}list-{i}",
                            dek="A ranked list for the scale bench.",
                            intro="Why these films, in this order.\n\n" + "A paragraph of context. " * 12,
                            conclusion="That is the list.",
                            author=self.author,
                            status=Article.Status.PUBLISHED,
                            # Spread over ten years, one list every few hours, the newest an hour ago.
                            published_at=now - timedelta(hours=1 + (total - i) * 8.76),
                        )
                        for i in range(first, stop)
                    ]
                )
                Entry.objects.bulk_create(
                    [
                        Entry(
                            article=a,
                            film_id=film,
                            rank=rank,
                            write_up="Why it is here.\n\n" + "A sentence about the film. " * 20,
                        )
                        for a in rows
                        for rank, film in enumerate(rng.sample(film_ids, per_list), 1)
                    ]
                )
                TaggedArticle.objects.bulk_create(
                    [TaggedArticle(content_object=a, tag_id=tag) for a in rows for tag in rng.sample(self.hashtags, 3)]
                )
                search_index_update(kind=SearchDocument.Kind.ARTICLE, pks=[a.pk for a in rows])

    def comments(self, start, total, rng):
        articles = list(Article.objects.filter(slug__startswith=PREFIX).values_list("pk", "published_at"))
        if not articles:
            return
        for first in self.batches("comments", start, total):
            stop = min(first + self.batch_size, total)
            rows = []
            for i in range(first, stop):
                pk, published = articles[rng.randrange(len(articles))]
                rows.append(
                    Comment(
                        article_id=pk,
                        name=f"Reader {i}",
                        email=f"reader{i}@{COMMENT_DOMAIN}",
                        body=f"Comment {i}: this list made me cry, in a good way.",
                        is_public=i % 10 != 0,
                        submitted_at=published + timedelta(minutes=1 + i % 600),
                    )
                )
            Comment.objects.bulk_create(rows)

    def batches(self, label, start, total):
        """Batch start indices from `start` to `total`, with a progress bar."""
        for first in range(start, total, self.batch_size):
            yield first
            self.bar(label, min(first + self.batch_size, total) - start, total - start)

    def bar(self, label, done, total, width=30):
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        line = f"\r{label:<9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.stdout.isatty() or end:
            self.stdout.write(line, ending=end)
            sys.stdout.flush()
