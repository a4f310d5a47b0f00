"""Writes to the search index. Reads live in search/engines.py."""

import threading

from django.db import connection, transaction

from .documents import BUILDERS, MODELS
from .models import SearchDocument
from .text import fold

_pending = threading.local()

TEXT_FIELDS = ("title", "keywords", "body")
REBUILD_BATCH_SIZE = 100


def search_index_update(*, kind, pks):
    """
    Bring these objects' search documents in step with the database: rebuild
    them from the models, or delete those whose object is gone. Idempotent;
    a fixed number of queries however many pks.
    """
    built = BUILDERS[kind](pks)
    gone = set(pks) - set(built)
    if gone:
        SearchDocument.objects.filter(kind=kind, object_id__in=gone).delete()
    documents = [
        SearchDocument(
            id=SearchDocument.id_for(kind, pk),
            kind=kind,
            object_id=pk,
            **fields,
            **{f"{name}_folded": fold(fields[name]) for name in TEXT_FIELDS},
        )
        for pk, fields in built.items()
    ]
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[*TEXT_FIELDS, *(f"{name}_folded" for name in TEXT_FIELDS), "updated_at"],
    )


def search_index_schedule(*, kind, pk):
    """
    Update the document once the current transaction commits. An admin save
    touches an article, its hashtags and twenty entries; each object is
    reindexed once per commit, not once per signal.
    """
    pending = getattr(_pending, "keys", None)
    if pending is None:
        pending = _pending.keys = set()
    pending.add((kind, pk))
    # Registered on every call: after a rollback the keys stay pending and
    # are flushed (harmlessly, from the real database state) on the next commit.
    transaction.on_commit(_flush)


def _flush():
    pending = getattr(_pending, "keys", None) or set()
    _pending.keys = set()
    by_kind = {}
    for kind, pk in sorted(pending):
        by_kind.setdefault(kind, []).append(pk)
    for kind, pks in by_kind.items():
        search_index_update(kind=kind, pks=pks)


def search_index_rebuild(*, batch_size=REBUILD_BATCH_SIZE, progress=None):
    """
    Rebuild every document, `batch_size` objects per transaction; returns
    {kind: count}. Short transactions keep the site writing meanwhile (on
    SQLite one long one locked every comment and save out for minutes), and
    search keeps answering from the old documents until each is replaced.
    Edits made during the rebuild reach the index through the signals as
    usual. Documents of objects that no longer exist go at the end.
    `progress(kind, done, total)` is called after each batch commits.
    """
    counts = {}
    for kind, model in MODELS.items():
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            with transaction.atomic():
                search_index_update(kind=kind, pks=pks[start : start + batch_size])
            if progress:
                progress(kind, min(start + batch_size, len(pks)), len(pks))
        with transaction.atomic():
            existing = model._default_manager.values("pk")
            SearchDocument.objects.filter(kind=kind).exclude(object_id__in=existing).delete()
        counts[kind] = len(pks)
    SearchDocument.objects.exclude(kind__in=list(MODELS)).delete()
    search_index_optimize()
    return counts


def search_index_segments():
    """How many segments SQLite's index is in (None on PostgreSQL, which keeps no such index)."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT segid) FROM search_fts_idx")
        return cursor.fetchone()[0]


def search_index_optimize():
    """
    Keep the index fast after many writes. On SQLite, merge the FTS5 index
    into one segment. Each committed batch of writes adds a segment, and FTS5
    merges them only as they pile up: the scale bench's bulk load left 15. A
    search looks in every one: a last word matched as a prefix ("shin") read
    3 ms more there than on the merged index, and is read several times per
    results page. Half a second at 10,000 lists.
    On PostgreSQL, refresh the planner's statistics of the documents, which a
    bulk load leaves stale until autovacuum comes by: searches planned for 300
    lists where there were 10,000 took 0.8 s instead of 27 ms.
    Run after bulk loads (the rebuild does) and nightly.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE search_searchdocument")
