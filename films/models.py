import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager

from core.models import CaseInsensitiveTag, SlugFilledOnSave, TaggedOnce, tag_constraints
from core.tag_uses import uses_less
from core.text import match_key

from .images import POSTER, Picture, validate_poster


class MoodQuerySet(models.QuerySet):
    def with_film_counts(self):
        """Each mood with `num_films`, the number of films that have it (public or not: for the admin)."""
        return self.annotate(num_films=models.Count("tagged_films"))

    def with_public_film_counts(self):
        """Each mood with `num_films`, the number of films readers may see that have it."""
        # Its stored count of films less the few not public (two ranges of the
        # public_from index), found through their taggings: no tagging of a public film is read.
        return self.annotate(num_films=uses_less(TaggedFilm, Film.objects.not_public().values("pk")))

    def most_used(self):
        """Moods that some public film has, those on the most films first."""
        return self.with_public_film_counts().filter(num_films__gt=0).order_by("-num_films", "name")


class Mood(CaseInsensitiveTag):
    """
    A mood from the controlled vocabulary ("sad", "bittersweet" …).

    Names are case-folded on save, so "Sad", "sad" and " SAD " are one mood;
    the database refuses a second row differing only in case.
    """

    description = models.TextField(blank=True, help_text="One or two sentences shown at the top of the mood's page.")

    objects = NaturalKeyManager.from_queryset(MoodQuerySet)()

    class Meta(CaseInsensitiveTag.Meta):
        constraints = tag_constraints("mood")

    @classmethod
    def canonical(cls, name):
        return super().canonical(name).casefold()

    def get_absolute_url(self):
        return reverse("films:mood", kwargs={"slug": self.slug})


class TaggedFilm(TaggedOnce):
    content_object = models.ForeignKey("Film", on_delete=models.CASCADE)
    tag = models.ForeignKey(Mood, on_delete=models.CASCADE, related_name="tagged_films")

    class Meta(TaggedOnce.Meta):
        ordering = ["tag__name"]
        verbose_name = "film mood"
        indexes = [
            # Covering for a mood's count of public films (MoodQuerySet):
            # the taggings are counted and their films checked in the index alone.
            models.Index(fields=["tag", "content_object"], name="taggedfilm_tag_film"),
        ]


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


# The moment a confirmed film became public, as far as `public_from` says:
# before anything on the site, so a comparison with "now" always admits it.
CONFIRMED_PUBLIC_FROM = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


class FilmQuerySet(models.QuerySet):
    def public(self):
        """
        Films readers may see: confirmed by a cataloguer, or ranked in a list
        readers may see. A film an import or a list's editor created stays off
        every public surface until one of the two, so a typo in a title never
        goes public by itself; a scheduled list makes its films public the
        moment it appears, with no job to run. Every public surface that shows
        films starts here.

        Read from `public_from` (see `public_from_refresh`): one indexed
        comparison with the clock instead of a subquery through every list.
        """
        return self.filter(self.public_condition())

    def not_public(self):
        """The films public() leaves out, as two ranges of the public_from index (few at any size)."""
        return self.filter(models.Q(public_from__isnull=True) | models.Q(public_from__gt=timezone.now()))

    @staticmethod
    def public_condition(prefix=""):
        """The Q of `public()`, on a relation to films when `prefix` names it ("films__")."""
        return models.Q(**{f"{prefix}public_from__lte": timezone.now()})

    def with_is_public(self):
        """Each film with `is_public`, whether `public()` holds for it (the admin's state column)."""
        return self.annotate(
            is_public=models.ExpressionWrapper(self.public_condition(), output_field=models.BooleanField())
        )

    def public_from_refresh(self):
        """
        Recompute `public_from` for the films of this queryset, in one UPDATE:
        a fixed early moment for a confirmed film, else the earliest
        publication time of a published or scheduled list ranking it, else
        NULL (not public). A scheduled list's time is stored ahead, so its
        films become public at that moment by the clock alone; the page
        cache's next-scheduled-publish bound already covers that moment.
        Called by every write that can change the answer (articles.signals,
        the confirm action, the importer, seed_scale, the migration).
        """
        return self.update(public_from=public_from_expression(self.model))

    def matching(self, title):
        """Films any of whose titles match `title`, ignoring case and punctuation."""
        key = match_key(title)
        if not key:
            return self.none()
        # A subquery rather than a join: a film with two titles of one key is listed once.
        return self.filter(pk__in=FilmTitle.objects.filter(key=key).values("film_id"))

    def first_matching(self, titles):
        """
        The first film matching one of `titles`, tried in order, and the title
        that matched; (None, "") when none does. One query however many titles.
        """
        by_key = {}
        for title in titles:
            if key := match_key(title):
                by_key.setdefault(key, title)
        if not by_key:
            return None, ""
        candidates = self.filter(titles__key__in=by_key).annotate(matched_key=models.F("titles__key"))
        if not candidates.ordered:
            candidates = candidates.order_by("pk")  # as first() would
        first_per_key = {}
        for film in candidates:
            first_per_key.setdefault(film.matched_key, film)
        for key, title in by_key.items():
            if key in first_per_key:
                return first_per_key[key], title
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


def public_from_expression(film_model, entry_model=None, published="published"):
    """
    The SQL for a film's `public_from` (see FilmQuerySet.public_from_refresh).
    Entry lives in articles, which builds on this app: reached through the
    relation rather than imported. Also used by the data migration with its
    historical models.
    """
    entry_model = entry_model or film_model._meta.get_field("entries").related_model
    first_list = (
        entry_model.objects.filter(film=models.OuterRef("pk"), article__status=published)
        .order_by()
        .values("film")
        .annotate(first=models.Min("article__published_at"))
        .values("first")
    )
    return models.Case(
        models.When(confirmed=True, then=models.Value(CONFIRMED_PUBLIC_FROM)),
        default=models.Subquery(first_list),
        output_field=models.DateTimeField(),
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
        max_length=80,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the film's address (/films/…/). Filled from the title when left empty; changing it later redirects the old address.",
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.FEATURE)
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1880), MaxValueValidator(2100)],
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
        upload_to="posters/%Y/",
        blank=True,
        width_field="poster_width",
        height_field="poster_height",
        validators=[validate_poster],
        help_text="A portrait image (2:3), at least 300 pixels wide (480 or more looks best). JPEG, PNG or WebP. "
        "A landscape or square image is refused: crop it to the part worth showing first.",
    )
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    moods = TaggableManager(
        through=TaggedFilm,
        blank=True,
        verbose_name="moods",
        help_text="Moods from the vocabulary. New moods are added under Moods.",
    )
    confirmed = models.BooleanField(
        default=True,
        help_text="Films created by an import or from a list's editor start unconfirmed: they stay off "
        "public pages, search, the sitemap and feeds until a cataloguer confirms them or a list "
        "featuring them is published, so a typo in a title never goes public by itself.",
    )
    public_from = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When readers may see the film (empty: not yet). Kept from `confirmed` and the "
        "lists ranking it; never edited by hand.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FilmQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def save(self, *args, **kwargs):
        # The title rows are the film's own data: written with it or not at all.
        with transaction.atomic(savepoint=False):
            new = self._state.adding and self.pk is None
            update_fields = kwargs.get("update_fields")
            # A confirmed film is public without asking; an unconfirmed one
            # as its lists say, once it is saved (a new one is in none yet).
            refresh = update_fields is None or "confirmed" in update_fields
            if refresh:
                self.public_from = CONFIRMED_PUBLIC_FROM if self.confirmed else None
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "public_from"}
            super().save(*args, **kwargs)
            if refresh and not new and not self.confirmed:
                self.public_from_refresh()
            self.titles_sync(new=new, update_fields=update_fields)

    def public_from_refresh(self):
        """Recompute and store `public_from` (one UPDATE), and keep this instance in step."""
        type(self).objects.filter(pk=self.pk).public_from_refresh()
        self.public_from = type(self).objects.filter(pk=self.pk).values_list("public_from", flat=True).first()

    def get_absolute_url(self):
        return reverse("films:detail", kwargs={"slug": self.slug})

    TITLE_FIELDS = {"title", "romanized_title", "native_title", "other_titles"}

    def titles_by_kind(self):
        """(kind, title) of every title the editor gave, in the order of the form."""
        kind = FilmTitle.Kind
        titles = [(kind.ENGLISH, self.title), (kind.ROMANIZED, self.romanized_title), (kind.NATIVE, self.native_title)]
        titles += [(kind.OTHER, t) for t in self.other_titles.splitlines()]
        return [(k, t.strip()) for k, t in titles if t and t.strip()]

    @property
    def all_titles(self):
        return [t for _, t in self.titles_by_kind()]

    def is_known_as(self, title):
        """Whether `title` is one of the film's titles, ignoring case and punctuation."""
        key = match_key(title)
        return bool(key) and key in {match_key(t) for t in self.all_titles}

    def titles_sync(self, *, new=False, update_fields=None):
        """
        Rewrite the film's title rows from its title fields, when they differ.
        `new`: the film was just inserted, so it has no rows to compare with.
        """
        if update_fields is not None and not self.TITLE_FIELDS & set(update_fields):
            return
        wanted = [
            FilmTitle(film=self, position=i, kind=kind, title=title, key=match_key(title))
            for i, (kind, title) in enumerate(self.titles_by_kind())
        ]
        if not new:
            rows = FilmTitle.objects.filter(film=self)
            fields = ("position", "kind", "title", "key")
            if list(rows.order_by("position").values_list(*fields)) == [
                tuple(getattr(t, f) for f in fields) for t in wanted
            ]:
                return
            rows.delete()
        FilmTitle.objects.bulk_create(wanted)
        getattr(self, "_prefetched_objects_cache", {}).pop("titles", None)

    @property
    def distinct_romanized_title(self):
        """
        The romanized title when it says something the English one does not:
        empty when the two are the same title (case, accents and punctuation
        aside), so a page never shows "Perfect Blue" twice.
        """
        if match_key(self.romanized_title) == match_key(self.title):
            return ""
        return self.romanized_title

    @cached_property
    def poster_picture(self):
        """The poster's renditions for <picture> (made when the poster is saved), or None."""
        return Picture.of(self.poster, self.poster_width, self.poster_height, POSTER)

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


class FilmTitle(models.Model):
    """
    One of a film's titles and the key it is matched by, so that finding a
    film by any of its titles is an indexed equality lookup. Written from the
    film's title fields whenever the film is saved; never edited by hand.
    """

    class Kind(models.TextChoices):
        ENGLISH = "english", "English title"
        ROMANIZED = "romanized", "Romanized title"
        NATIVE = "native", "Native title"
        OTHER = "other", "Other title"

    # No index of its own: the unique (film, position) index serves lookups by film.
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="titles", db_index=False)
    position = models.PositiveSmallIntegerField(help_text="Order among the film's titles, English first.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Text, not a bounded CharField: "other titles" lines have no length limit.
    title = models.TextField()
    key = models.TextField(help_text="The title with case, accents, punctuation and spaces left out.")

    class Meta:
        ordering = ["film", "position"]
        indexes = [
            # Key first for the lookup; the film id makes it a covering index.
            models.Index(fields=["key", "film"], name="filmtitle_key_film"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["film", "position"], name="one_film_title_per_position"),
        ]

    def __str__(self):
        return self.title


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
                fields=["film", "person", "role"],
                name="one_credit_per_person_role",
                violation_error_message="This person already has this role on this film.",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} of {self.film.title}"
