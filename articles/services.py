"""Writes to ranked lists that touch more than one row; each is atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from .models import Article, Entry
from .ranking import RankRequest, plan_ranks


def _lock_article(article_id):
    """
    Serialise rank writes per list: the article row is locked until the
    transaction ends, so two editors inserting at once queue up instead of
    both planning ranks from the same stale snapshot (PostgreSQL; SQLite's
    IMMEDIATE transactions already queue every writer).
    """
    Article.objects.select_for_update().filter(pk=article_id).values_list("pk").first()


@transaction.atomic
def entries_save_in_order(*, article, entries):
    """
    Save `entries` (saved or new Entry objects of `article`) with ranks 1…N in
    the order given. Existing ranks are first moved out of the way in one
    UPDATE, so the one-entry-per-rank constraint holds after every statement
    on every database, without deferrable constraints.
    """
    _lock_article(article.pk)
    existing = Entry.objects.select_for_update().filter(article=article)
    top = existing.aggregate(top=Max("rank"))["top"] or 0
    offset = top + len(entries) + 1
    existing.update(rank=F("rank") + offset)
    for position, entry in enumerate(entries, start=1):
        entry.article = article
        entry.rank = position
        entry.save()
    return entries


def _check_film_not_listed(article, film, *, exclude_pk=None):
    clash = Entry.objects.filter(article=article, film=film).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ValidationError(
            f"“{film.title}” is already in this list at #{clash.rank}. A film can appear only once."
        )


@transaction.atomic
def entry_insert_at(*, article, film, rank=None, heading="", write_up=""):
    """
    Add `film` to `article` at `rank` (the entries at and below it move down),
    or at the end when `rank` is None.
    """
    _lock_article(article.pk)
    _check_film_not_listed(article, film)
    current = list(Entry.objects.filter(article=article).select_related("film"))
    new = Entry(article=article, film=film, heading=heading, write_up=write_up)
    rows = [RankRequest(e.pk, e.film.title, e.rank, None) for e in current]
    rows.append(RankRequest("new", film.title, None, rank))
    plan = plan_ranks(rows)
    everything = {e.pk: e for e in current} | {"new": new}
    entries_save_in_order(
        article=article, entries=sorted(everything.values(), key=lambda e: plan[e.pk or "new"])
    )
    return new


@transaction.atomic
def entry_move(*, entry, rank):
    """Move `entry` to `rank`; the entries between close up around it."""
    _lock_article(entry.article_id)
    current = list(Entry.objects.filter(article=entry.article_id).select_related("film"))
    rows = [
        RankRequest(e.pk, e.film.title, e.rank, rank if e.pk == entry.pk else None) for e in current
    ]
    plan = plan_ranks(rows)
    ordered = sorted(current, key=lambda e: plan[e.pk])
    entries_save_in_order(article=entry.article, entries=ordered)
    entry.rank = plan[entry.pk]
    return entry


@transaction.atomic
def entry_remove(*, entry):
    """Delete `entry`; the entries below it move up, leaving no gap."""
    _lock_article(entry.article_id)
    article = entry.article
    entry.delete()
    return entries_renumber(article=article)


@transaction.atomic
def entries_renumber(*, article):
    """Renumber `article`'s entries 1…N in their current order, closing gaps."""
    _lock_article(article.pk)
    ordered = list(Entry.objects.filter(article=article).order_by("rank"))
    if [e.rank for e in ordered] != list(range(1, len(ordered) + 1)):
        entries_save_in_order(article=article, entries=ordered)
    return ordered


def article_publish(*, article, at=None):
    """Publish `article` at `at`: now by default, or a future time to schedule it."""
    article.status = Article.Status.PUBLISHED
    article.published_at = at or timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    return article


def article_unpublish(*, article):
    """Take `article` off the site; it keeps its entries and its date."""
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article
