from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TaggedItemBase

from core.models import CaseInsensitiveTag, SlugFilledOnSave, tag_constraints
from core.text import match_key

from .images import rendition_name, rendition_widths, validate_poster


class MoodQuerySet(models.QuerySet):
    def with_film_counts(self):
        """Each mood with `num_films`, the number of films that have it."""
        return self.annotate(num_films=models.Count("tagged_films"))

    def most_used(self):
        """Moods that some film has, those on the most films first."""
        return self.with_film_counts().filter(num_films__gt=0).order_by("-num_films", "name")


class Mood(CaseInsensitiveTag):
    """
    A mood from the controlled vocabulary ("sad", "bittersweet" …).

    Names are case-folded on save, so "Sad", "sad" and " SAD " are one mood;
    the database refuses a second row differing only in case.
    """

    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the mood's page."
    )

    objects = NaturalKeyManager.from_queryset(MoodQuerySet)()

    class Meta(CaseInsensitiveTag.Meta):
        constraints = tag_constraints("mood")

    @classmethod
    def canonical(cls, name):
        return super().canonical(name).casefold()

    def get_absolute_url(self):
        return reverse("films:mood", kwargs={"slug": self.slug})


class TaggedFilm(TaggedItemBase):
    content_object = models.ForeignKey("Film", on_delete=models.CASCADE)
    tag = models.ForeignKey(Mood, on_delete=models.CASCADE, related_name="tagged_films")

    class Meta:
        ordering = ["tag__name"]
        verbose_name = "film mood"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="one_mood_per_film_once"
            )
        ]

    def __str__(self):
        return f"{self.content_object} — {self.tag}"


class Studio(SlugFilledOnSave):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("films:studio", kwargs={"slug": self.slug})


class Person(SlugFilledOnSave):
    name = models.CharField(max_length=200, help_text="As credited in English, e.g. Makoto Shinkai.")
    native_name = models.CharField(max_length=200, blank=True, help_text="e.g. 新海誠")
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("films:person", kwargs={"slug": self.slug})


class FilmQuerySet(models.QuerySet):
    def matching(self, title):
        """Films any of whose titles match `title`, ignoring case and punctuation."""
        key = match_key(title)
        if not key:
            return self.none()
        return self.filter(title_keys__contains=f"|{key}|")

    def first_matching(self, titles):
        """The first film matching one of `titles`, tried in order, and the title that matched."""
        for title in titles:
            film = self.matching(title).first() if title else None
            if film is not None:
                return film, title
        return None, ""

    def for_cards(self):
        """What a film card touches: studios, directors and moods, prefetched."""
        return self.prefetch_related(
            "studios",
            "moods",
            models.Prefetch(
                "credits",
                queryset=Credit.objects.select_related("person"),
            ),
        )


class Film(SlugFilledOnSave):
    class Format(models.TextChoices):
        FEATURE = "feature", "Feature film"
        TV = "tv", "TV series"
        COMPILATION = "compilation", "Compilation film"
        OVA = "ova", "OVA"
        SHORT = "short", "Short film"
        SPECIAL = "special", "TV special"

    class Source(models.TextChoices):
        ORIGINAL = "original", "Original"
        MANGA = "manga", "Manga"
        NOVEL = "novel", "Novel"
        LIGHT_NOVEL = "light_novel", "Light novel"
        VISUAL_NOVEL = "visual_novel", "Visual novel"
        GAME = "game", "Video game"
        OTHER = "other", "Other"

    # Formats that are not a film: a "Top 20 movies" list containing one of
    # these is worth pointing out to the editor.
    SERIES_FORMATS = {Format.TV, Format.OVA, Format.SPECIAL}
    slug_source = "title"

    title = models.CharField("English title", max_length=200)
    romanized_title = models.CharField(
        max_length=200, blank=True, help_text="The original title in Latin letters, e.g. Kimi no Na wa."
    )
    native_title = models.CharField(max_length=200, blank=True, help_text="e.g. 君の名は。")
    other_titles = models.TextField(
        blank=True, help_text="Other known titles, one per line. Used to match imported lists and in search."
    )
    slug = models.SlugField(
        max_length=80, unique=True, allow_unicode=True, blank=True,
        help_text="The last part of the film's address (/films/…/). Filled from the title when left empty; changing it later redirects the old address.",
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.FEATURE)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1880), MaxValueValidator(2100)],
        help_text="Year of first release.",
    )
    runtime_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Running time in minutes (for a series, one episode)."
    )
    episodes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For series only.")
    synopsis = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    studios = models.ManyToManyField(Studio, blank=True, related_name="films")
    people = models.ManyToManyField(Person, through="Credit", related_name="films", blank=True)
    poster = models.ImageField(
        upload_to="posters/%Y/", blank=True, width_field="poster_width", height_field="poster_height",
        validators=[validate_poster],
        help_text="A portrait image (2:3), at least 300 pixels wide (480 or more looks best). JPEG, PNG or WebP.",
    )
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    moods = TaggableManager(
        through=TaggedFilm, blank=True, verbose_name="moods",
        help_text="Moods from the vocabulary. New moods are added under Moods.",
    )
    # Every title's match key, "|"-separated, so that a film is found by any
    # of its titles with one indexed LIKE, on SQLite and PostgreSQL alike.
    title_keys = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FilmQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        self.title_keys = "|" + "|".join(dict.fromkeys(k for k in map(match_key, self.all_titles) if k)) + "|"
        # A poster not yet in storage is a new upload: renditions follow on commit.
        self._poster_changed = bool(self.poster) and not self.poster._committed
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("films:detail", kwargs={"slug": self.slug})

    @property
    def all_titles(self):
        titles = [self.title, self.romanized_title, self.native_title]
        titles += self.other_titles.splitlines()
        return [t.strip() for t in titles if t and t.strip()]

    @property
    def poster_srcset(self):
        """`srcset` of the poster's WebP renditions (made when the poster is saved)."""
        if not self.poster:
            return ""
        storage = self.poster.storage
        parts = [
            f"{storage.url(rendition_name(self.poster.name, w))} {w}w"
            for w in rendition_widths(self.poster_width)
        ]
        parts.append(f"{self.poster.url} {self.poster_width}w")
        return ", ".join(parts)

    @property
    def is_series(self):
        return self.format in self.SERIES_FORMATS

    def credited(self, role):
        """People in `role`, from the prefetched credits when there are any."""
        return [c.person for c in self.credits.all() if c.role == role]

    @property
    def directors(self):
        return self.credited(Credit.Role.DIRECTOR)

    @property
    def composers(self):
        return self.credited(Credit.Role.COMPOSER)


class Credit(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "director", "Director"
        SCREENWRITER = "screenwriter", "Screenwriter"
        ORIGINAL_CREATOR = "creator", "Original creator"
        COMPOSER = "composer", "Composer"
        CHARACTER_DESIGNER = "character_designer", "Character designer"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=30, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the role.")

    class Meta:
        ordering = ["film", "role", "position", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role"], name="one_credit_per_person_role",
                violation_error_message="This person already has this role on this film.",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} of {self.film.title}"
