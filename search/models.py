from django.db import models


class SearchDocument(models.Model):
    """
    One row per list, film, person or studio: the text search looks at, in three
    weighted columns (title > keywords > body).

    Articles and films are indexed whatever their status; queries filter
    them with Article.objects.published() and Film.objects.public(), so a
    scheduled list, and the unconfirmed films it ranks, become findable the
    moment its time comes, without reindexing. On SQLite an FTS5 table
    (search_fts, created in migration 0002) mirrors title/keywords/body
    through triggers; on PostgreSQL the *_folded columns feed a tsvector.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "List"
        FILM = "film", "Film"
        PERSON = "person", "Person"
        STUDIO = "studio", "Studio"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField(help_text="Every title or name of the object.")
    keywords = models.TextField(blank=True, help_text="Hashtags, moods, people, studios, films.")
    body = models.TextField(blank=True, help_text="Dek, intro, write-ups, synopsis.")
    # Accent- and case-folded copies for PostgreSQL, which has no accent
    # folding without the unaccent extension (not available everywhere).
    title_folded = models.TextField(blank=True, editable=False)
    keywords_folded = models.TextField(blank=True, editable=False)
    body_folded = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document_per_object")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}: {self.title[:60]}"
