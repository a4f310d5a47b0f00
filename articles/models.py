import math
import re

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager

from core.models import CaseInsensitiveTag, SlugFilledOnSave, TaggedOnce, tag_constraints
from core.prose import HELP_TEXT as PROSE_HELP_TEXT
from core.prose import prose_to_text
from core.tag_uses import uses_less
from films.images import FEATURED_IMAGE, Picture, validate_featured_image
from films.models import Credit


class HashtagQuerySet(models.QuerySet):
    def with_list_counts(self):
        """Each hashtag with `num_lists`, the number of published lists that carry it."""
        # Its stored count of lists less the few not published, found through
        # the taggings of those few: no tagging of a published list is read.
        return self.annotate(num_lists=uses_less(TaggedArticle, Article.objects.unpublished().values("pk")))

    def published(self):
        """Hashtags that a published list carries: only they have a page and a feed."""
        carried = TaggedArticle.objects.filter(
            tag=models.OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return self.filter(models.Exists(carried))

    def most_used(self):
        """Hashtags on at least one published list, those on the most lists first."""
        return self.with_list_counts().filter(num_lists__gt=0).order_by("-num_lists", "name")


class Hashtag(CaseInsensitiveTag):
    """
    A hashtag such as #SadAnime. Shown with the case it was first written in;
    its slug is lower case, so /hashtags/sadanime/ finds it, and the database
    refuses a second hashtag differing only in case.
    """

    objects = NaturalKeyManager.from_queryset(HashtagQuerySet)()

    class Meta(CaseInsensitiveTag.Meta):
        constraints = tag_constraints("hashtag")

    def get_absolute_url(self):
        return reverse("articles:hashtag", kwargs={"slug": self.slug})


class TaggedArticle(TaggedOnce):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="tagged_articles")
    label_prefix = "#"

    class Meta(TaggedOnce.Meta):
        ordering = ["id"]
        verbose_name = "article hashtag"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """
        What readers may see: status published and a publication time that has
        come. A list scheduled for tomorrow appears by itself tomorrow; no job
        has to run. Every public surface starts here.
        """
        return self.filter(self.published_condition())

    @staticmethod
    def published_condition(prefix=""):
        """The Q of `published()`, on a relation to lists when `prefix` names it ("article__")."""
        return models.Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})

    def unpublished(self):
        """Everything published() leaves out: drafts, lists in review, scheduled lists (few at any size)."""
        # Two ranges of the (status, published_at) index: the other statuses,
        # and published ones still to come. A negation would read all 10,000.
        others = [status for status in Article.Status.values if status != Article.Status.PUBLISHED]
        return self.filter(
            models.Q(status__in=others) | models.Q(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        )

    def with_modified_at(self):
        """
        Each list with `modified_at`, the time of its latest change readers could
        see: a list saved before its scheduled time changed when it appeared.
        """
        return self.annotate(modified_at=Greatest("updated_at", "published_at"))

    def with_top_entries(self):
        """
        Each list with `top_entries`, its first CARD_POSTERS entries and their
        films, for the posters on its card: one query for the whole page,
        however long the lists are.
        """
        return self.prefetch_related(
            models.Prefetch(
                "entries",
                queryset=Entry.objects.filter(rank__lte=Article.CARD_POSTERS).select_related("film").order_by("rank"),
                to_attr="top_entries",
            )
        )

    def for_listing(self):
        """What an article card touches: author, hashtags, top entries and the approved-comment count."""
        return (
            self.select_related("author")
            .prefetch_related("hashtags")
            .with_top_entries()
            .annotate(num_comments=approved_comment_count())
            .order_by("-published_at", "-pk")
        )

    def neighbours(self, article):
        """
        The lists just before and just after `article` in publication order
        (ties broken by id, as the archive does), as (previous, next), either
        None: one query, each side an indexed lookup of one row. Call it on
        `published()`, so drafts and scheduled lists are never a neighbour.
        """
        when, pk = article.published_at, article.pk
        Q = models.Q
        earlier = self.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
        later = self.filter(Q(published_at__gt=when) | Q(published_at=when, pk__gt=pk))
        first_earlier = earlier.order_by("-published_at", "-pk").values("pk")[:1]
        first_later = later.order_by("published_at", "pk").values("pk")[:1]
        rows = self.filter(Q(pk=models.Subquery(first_earlier)) | Q(pk=models.Subquery(first_later)))
        rows = rows.only("title", "slug", "published_at")
        by_side = {(row.published_at, row.pk) < (when, pk): row for row in rows}
        return by_side.get(True), by_side.get(False)

    def for_detail(self):
        """What the article page touches, in a fixed number of queries."""
        return self.with_modified_at().select_related("author").prefetch_related("hashtags", entries_for_detail())


def entries_for_detail():
    """The Prefetch of a list's entries with what the article page shows of their films."""
    return models.Prefetch(
        "entries",
        queryset=Entry.objects.select_related("film").prefetch_related(
            "film__studios",
            models.Prefetch("film__credits", queryset=Credit.objects.select_related("person")),
        ),
    )


def approved_comment_count():
    """
    A subquery, not Count("comments"): callers add Count() over hashtags, and
    two joins to many-valued relations would multiply each other's counts.
    The comment model is reached through its relation to Article rather than
    imported: the comments app builds on this one, not the other way round,
    and "approved" keeps its one definition there.
    """
    comments = Article._meta.get_field("comments").related_model
    approved = (
        comments.objects.approved()
        .filter(article=models.OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(approved), 0)


class State(models.TextChoices):
    """Article.Status plus "scheduled", for the admin, the calendar and the review log."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


class Article(SlugFilledOnSave):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    slug_source = "title"

    title = models.CharField(max_length=200, help_text="e.g. Top 20 Sad Romance Anime Movies")
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the list's address (/articles/…/). Filled from the title when left empty; changing it later redirects the old address.",
    )
    dek = models.CharField(
        "standfirst",
        max_length=300,
        blank=True,
        help_text="One sentence under the title that makes a reader want to read on.",
    )
    intro = models.TextField(blank=True, help_text=PROSE_HELP_TEXT)
    conclusion = models.TextField(blank=True, help_text=PROSE_HELP_TEXT)
    sign_off = models.CharField(max_length=300, blank=True, help_text="An optional closing line.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    byline_text = models.CharField(
        "byline",
        max_length=100,
        blank=True,
        help_text="The author's name as shown, when it is not an account's (an imported list's byline). "
        "Shown instead of the author's name.",
    )
    hashtags = TaggableManager(
        through=TaggedArticle,
        blank=True,
        verbose_name="hashtags",
        help_text="Separate with commas or spaces; the # is optional: SadAnime, RomanceAnime. "
        "Hashtags already in use are suggested as you type; a new one is created when the list is saved.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        db_index=True,
        help_text="A published list appears on the site at this time. Set a future time to schedule it.",
    )
    comments_open = models.BooleanField(
        default=True,
        help_text="Untick to close comments on this list. Comments also close by themselves "
        "a number of days after publication (set by COMMENTS_CLOSE_AFTER_DAYS).",
    )
    featured_image = models.ImageField(
        upload_to="featured/%Y/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
        validators=[validate_featured_image],
        help_text="Optional. Shown on the list's card instead of its top posters. A landscape image, "
        "at least 800 pixels wide (1600×900 looks best). JPEG, PNG or WebP; a portrait image is refused.",
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_alt = models.CharField(
        "featured image description",
        max_length=250,
        blank=True,
        help_text="What the featured image shows, for readers who cannot see it (e.g. “Two students "
        "under an umbrella in the rain”).",
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="Leave empty to use the title. Shown instead of it in search results, browser tabs "
        "(followed by the site's name) and shared links. Plain text; about 60 characters show in full.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="Leave empty to use the standfirst (or the start of the intro). Shown under the title "
        "in search results and shared links. Plain text, at most 160 characters.",
    )
    show_rank_changes = models.BooleanField(
        "show rank changes to readers",
        default=False,
        help_text="Show readers “Updated on …” with the rank moves made since publication, "
        "under the list's date. Readers of a ranked list care when #1 changes.",
    )
    version = models.PositiveIntegerField(
        # 0 until the first revision is recorded, which is version 1 (History numbers from 1).
        default=0,
        editable=False,
        help_text="Goes up with every recorded change, so that a save based on an older "
        "version of the list is refused instead of silently undoing someone's work.",
    )
    import_key = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Fingerprint of the text this list was imported from, so that importing "
        "the same text again updates this list instead of creating a second one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    CARD_POSTERS = 3  # posters on a list's card when it has no featured image

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_published_idx")]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish lists"),
            ("restore_revision", "Can restore an earlier revision of a list"),
            ("share_draft", "Can create share links to unpublished lists"),
            ("import_list", "Can import a list from text (its new films start unconfirmed)"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # Whether readers could see the list as it was read: what a save
        # changes for them (articles/cache_keys.py) depends on it.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.loaded_state = (instance.__dict__.get("status"), instance.__dict__.get("published_at"))
        return instance

    def save(self, *args, **kwargs):
        # The version moves only by the UPDATE that records a revision
        # (articles.revisions); an instance read before it must not put back
        # the number it was read with.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "version"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("articles:preview", kwargs={"slug": self.slug})

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @cached_property
    def featured_picture(self):
        """The featured image's renditions for <picture> (made when it is saved), or None."""
        return Picture.of(self.featured_image, self.featured_image_width, self.featured_image_height, FEATURED_IMAGE)

    @property
    def state(self):
        """
        Where the list stands as editors speak of it: a published list whose
        time has not come is "scheduled", which `status` alone does not say.
        """
        if self.status == self.Status.PUBLISHED and self.published_at > timezone.now():
            return State.SCHEDULED
        return State(self.status)

    @property
    def byline(self):
        if self.byline_text:
            return self.byline_text
        if self.author is None:
            return ""
        return self.author.get_full_name() or self.author.get_username()

    @property
    def summary(self):
        """What describes the list in plain words: the standfirst, or the intro without its formatting."""
        return self.dek or prose_to_text(self.intro)

    def reading_minutes(self, entries=None):
        """Minutes to read at 230 words a minute, from the prefetched entries."""
        entries = self.entries.all() if entries is None else entries
        text = " ".join([self.intro, self.conclusion, *(e.write_up for e in entries)])
        return max(1, math.ceil(len(re.findall(r"\w+", text)) / 230))


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Entries of lists readers may see (the rule of `Article.objects.published()`)."""
        # On the join rather than IN (every published list): a film's few
        # entries are found by the film's index, not by probing 10,000 lists.
        return self.filter(Article.objects.published_condition("article__"))


class Entry(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entries")
    rank = models.PositiveIntegerField(
        help_text="Type a rank to insert or move the entry there; the entries at and below "
        "it move down. Leave empty on a new entry to add it at the end."
    )
    film = models.ForeignKey("films.Film", on_delete=models.PROTECT, related_name="entries")
    heading = models.CharField(
        "heading override",
        max_length=200,
        blank=True,
        help_text="Leave empty to show the film's English title (and original title).",
    )
    write_up = models.TextField(blank=True, help_text=PROSE_HELP_TEXT)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["article", "rank"]
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "rank"],
                name="one_entry_per_rank",
                violation_error_message="Two entries of this list have the same rank.",
            ),
            models.UniqueConstraint(
                fields=["article", "film"],
                name="one_entry_per_film",
                violation_error_message="This film is already in the list.",
            ),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1),
                name="rank_at_least_one",
                violation_error_message="Ranks start at 1.",
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # The film and rank an entry was read with: a save that changes them
        # changes its films' pages; one that changes only its text, its list's page.
        # Its text as read, too: a save of the whole list writes only the
        # entries that differ from what was read (articles.services).
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.film_id_loaded = instance.__dict__.get("film_id")
        instance.rank_loaded = instance.__dict__.get("rank")
        instance.text_loaded = (instance.__dict__.get("heading"), instance.__dict__.get("write_up"))
        return instance

    def __str__(self):
        return f"#{self.rank} {self.display_title}"

    def get_absolute_url(self):
        # An entry of a list readers cannot see yet is shown where its editors can.
        article = self.article
        url = article.get_absolute_url() if article.is_live else article.get_preview_url()
        return f"{url}#{self.anchor}"

    @property
    def anchor(self):
        return f"rank-{self.rank}"

    @property
    def display_title(self):
        return self.heading or self.film.title


class Transition(models.Model):
    """One step of a list through review: who moved it from which state to which, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField(max_length=10, choices=State.choices)
    to_state = models.CharField(max_length=10, choices=State.choices)
    note = models.TextField(blank=True, help_text="What the editor asks the writer to change.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "review step"

    def __str__(self):
        return f"{self.article}: {self.get_from_state_display()} → {self.get_to_state_display()}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id])


class ArticleRevision(models.Model):
    """
    What a django-reversion revision of a list adds: which list, and the
    list's version number it produced, so that an edit conflict can show what
    changed since the version an editor's page was based on.
    """

    revision = models.OneToOneField("reversion.Revision", on_delete=models.CASCADE, related_name="article_revision")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Article.Status.choices)
    hashtags = models.TextField(blank=True, help_text="The list's hashtags then, separated by spaces.")

    class Meta:
        ordering = ["-version", "-pk"]
        indexes = [models.Index(fields=["article", "-version"], name="article_revision_idx")]

    def __str__(self):
        return f"{self.article} · version {self.version}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_history", args=[self.article_id]) + f"?b={self.pk}"


class ShareLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still open: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(models.Model):
    """
    A signed address that shows a draft or scheduled list to someone with no
    account. The token names the link, not the list, so revoking or expiring
    the link closes it without telling anyone what it pointed at.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the link is for, for your own records: “Studio press office”.",
    )

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Share link {self.pk} to {self.article}"

    @property
    def token(self):
        from django.core import signing

        return signing.dumps(self.pk, salt=SHARE_SALT)

    def get_absolute_url(self):
        return reverse("articles:share", kwargs={"token": self.token})

    @property
    def is_open(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


SHARE_SALT = "articles.share-link"


class ShareLinkOpening(models.Model):
    """One opening of a share link: when, and by which link (never by whom)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"{self.link} opened {self.opened_at:%Y-%m-%d %H:%M}"


class WorkingCopy(models.Model):
    """
    The list editor's autosave: the whole change form as one person last had
    it, a few seconds after they stopped typing. One row per person and list
    (and one per person for the add page, `article` empty), replaced in place;
    never a revision, never seen by readers. A successful save of the form
    discards it (articles/admin_autosave.py).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_copies",
        help_text="Empty for a list not saved yet (the add page).",
    )
    version = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The version of the list the editor's page was opened at.",
    )
    data = models.JSONField(help_text="The form's fields as the browser sent them, with the films' names.")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name_plural = "working copies"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="one_working_copy_per_list",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="one_working_copy_of_a_new_list",
            ),
        ]

    def __str__(self):
        return f"Working copy of {self.article or 'a new list'} by {self.user}"

    def get_absolute_url(self):
        if self.article_id is None:
            return reverse("admin:articles_article_add")
        return reverse("admin:articles_article_change", args=[self.article_id])


class Presence(models.Model):
    """
    Who has a list's admin page open: a heartbeat from each open page
    (static/js/presence.js) keeps `seen_at` fresh; a page that closes says so,
    and one that stops beating is forgotten after a minute.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="presences")
    opened_at = models.DateTimeField(help_text="Since when this person has had the list open.")
    seen_at = models.DateTimeField(help_text="The last heartbeat from their page.")

    class Meta:
        ordering = ["opened_at"]
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="one_presence_per_list")]

    def __str__(self):
        return f"{self.user} on {self.article} since {self.opened_at:%H:%M}"

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id])
