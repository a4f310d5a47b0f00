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

    A document's id follows from its kind and object (`id_for`): each kind
    has a range of ids of its own, in the order of its objects' ids. The
    FTS5 index, whose rowids are these ids, can then keep to one kind by a
    rowid range and order ties by object with no lookup in this table.
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
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document_per_object")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}: {self.title[:60]}"

    def save(self, *args, **kwargs):
        self.id = self.id_for(self.kind, self.object_id)
        super().save(*args, **kwargs)

    @staticmethod
    def id_for(kind, object_id):
        """The id of the document of object `object_id` of `kind` (bulk writes set it themselves)."""
        return KIND_ID_BLOCKS[kind] * KIND_ID_BLOCK_SIZE + object_id

    @staticmethod
    def id_range(kind):
        """The first and last id a document of `kind` can have."""
        first = SearchDocument.id_for(kind, 0)
        return first, first + KIND_ID_BLOCK_SIZE - 1


# Each kind's block of ids; a new kind takes the next number, and numbers
# never change (migration 0004 gave the documents these ids).
KIND_ID_BLOCKS = {
    SearchDocument.Kind.ARTICLE: 1,
    SearchDocument.Kind.FILM: 2,
    SearchDocument.Kind.PERSON: 3,
    SearchDocument.Kind.STUDIO: 4,
}
KIND_ID_BLOCK_SIZE = 2**48  # object ids below 281 trillion
