"""Writes to the search index. Reads live in search/engines.py."""

import threading

from django.db import transaction

from .documents import BUILDERS, MODELS
from .models import SearchDocument
from .text import fold

_pending = threading.local()


def search_index_update(*, kind, pk):
    """
    Bring one object's search document in step with the database: rebuild it
    from the models, or delete it when the object is gone. Idempotent.
    """
    fields = BUILDERS[kind](pk)
    if fields is None:
        SearchDocument.objects.filter(kind=kind, object_id=pk).delete()
        return None
    fields.update({f"{name}_folded": fold(fields[name]) for name in ("title", "keywords", "body")})
    document, _ = SearchDocument.objects.update_or_create(kind=kind, object_id=pk, defaults=fields)
    return document


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
    for kind, pk in sorted(pending):
        search_index_update(kind=kind, pk=pk)


@transaction.atomic
def search_index_rebuild(*, progress=None):
    """Rebuild every document from scratch; returns {kind: count}."""
    counts = {}
    SearchDocument.objects.all().delete()
    for kind, model in MODELS.items():
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for pk in pks:
            search_index_update(kind=kind, pk=pk)
            if progress:
                progress(kind, pk)
        counts[kind] = len(pks)
    return counts
