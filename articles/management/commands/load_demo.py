from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Entry
from articles.services import article_publish, entries_save_in_order
from films.models import Credit, Film, Person, Studio
from films.services import films_add_mood, mood_get_or_create

FILMS = [
    # title, romanized, native, year, format, studio, director, composer, moods
    ("Your Name", "Kimi no Na wa", "君の名は。", 2016, "feature", "CoMix Wave Films", "Makoto Shinkai", "RADWIMPS", ["bittersweet", "romantic"]),
    ("A Silent Voice", "Koe no Katachi", "聲の形", 2016, "feature", "Kyoto Animation", "Naoko Yamada", "Kensuke Ushio", ["sad", "healing"]),
    ("5 Centimeters Per Second", "Byousoku 5 Centimeter", "秒速5センチメートル", 2007, "feature", "CoMix Wave Films", "Makoto Shinkai", "Tenmon", ["melancholic", "bittersweet"]),
    ("The Garden of Words", "Kotonoha no Niwa", "言の葉の庭", 2013, "feature", "CoMix Wave Films", "Makoto Shinkai", "Daisuke Kashiwa", ["melancholic", "romantic"]),
    ("Wolf Children", "Ookami Kodomo no Ame to Yuki", "おおかみこどもの雨と雪", 2012, "feature", "Studio Chizu", "Mamoru Hosoda", "Takagi Masakatsu", ["heartwarming", "tearjerker"]),
    ("Whisper of the Heart", "Mimi wo Sumaseba", "耳をすませば", 1995, "feature", "Studio Ghibli", "Yoshifumi Kondō", "Yuji Nomi", ["heartwarming", "romantic"]),
]

LISTS = [
    ("Six Anime Films for a Rainy Evening", "Quiet, aching stories to watch when the weather matches your mood.",
     [0, 3, 2, 5, 1, 4]),
    ("The Best Makoto Shinkai Films, Ranked", "Distance, timing and light: a director's obsessions, in order.",
     [0, 3, 2]),
]


class Command(BaseCommand):
    help = "Load demo films and lists so that a fresh site looks alive. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be created; write nothing.")

    @transaction.atomic
    def handle(self, *args, dry_run, **options):
        if Article.objects.filter(slug="six-anime-films-for-a-rainy-evening").exists():
            self.stdout.write("Demo content is already loaded.")
            return
        if dry_run:
            self.stdout.write(f"Would create {len(FILMS)} films and {len(LISTS)} lists.")
            return
        films = []
        for title, romanized, native, year, fmt, studio, director, composer, moods in FILMS:
            film, _ = Film.objects.get_or_create(
                title=title,
                defaults={"romanized_title": romanized, "native_title": native, "year": year, "format": fmt},
            )
            film.studios.add(Studio.objects.get_or_create(name=studio)[0])
            for name, role in [(director, Credit.Role.DIRECTOR), (composer, Credit.Role.COMPOSER)]:
                Credit.objects.get_or_create(film=film, person=Person.objects.get_or_create(name=name)[0], role=role)
            for mood in moods:
                films_add_mood(films=[film], mood=mood_get_or_create(name=mood))
            films.append(film)
        for title, dek, picks in LISTS:
            article = Article.objects.create(
                title=title, dek=dek,
                intro="A short list to show how ranked lists look.\n\nEach entry links to its film.",
            )
            article.hashtags.add("AnimeMovies", "SadAnime")
            entries = [
                Entry(film=films[i], write_up=f"Why {films[i].title} belongs here.\n\nA second paragraph.")
                for i in picks
            ]
            entries_save_in_order(article=article, entries=entries)
            article_publish(article=article, at=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(FILMS)} films and {len(LISTS)} lists."))
