"""
Rebuilding the index a batch at a time (issue 16, item 15): the site keeps
writing meanwhile, the command shows its progress, and the index is complete
afterwards, on SQLite's FTS5 and PostgreSQL alike.
"""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from films.models import Film, Person
from search.management.commands.rebuild_search_index import Command
from search.models import SearchDocument
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, PersonFactory


def search(q):
    groups = Client().get(reverse("search:results"), {"q": q}).context["groups"]
    return {g["slug"]: [h.object for h in g["hits"]] for g in groups}


def write_from_another_connection(article, film):
    """What the site does while the rebuild runs: a reader's comment and an editor's save (which reindexes)."""
    outcome = {}

    def work():
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # fail fast instead of waiting on a lock forever
                    cursor.execute("SET lock_timeout = '3s'")
            Comment.objects.create(article=article, name="Mid-rebuild", email="m@example.com", body="Still open?")
            film.title = "Renamed During Rebuild"
            film.save()
            outcome["ok"] = True
        except Exception as exc:  # the assertion below shows it
            outcome["error"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=20)
    return outcome


@pytest.mark.django_db(transaction=True)
def test_the_site_keeps_writing_during_a_rebuild_and_the_index_is_complete_after(monkeypatch):
    films = [FilmFactory(title=f"Batch Film {n}", director=PersonFactory(name=f"Batch Person {n}")) for n in range(4)]
    article = ArticleFactory(title="Batch Rebuild List")
    for rank, film in enumerate(films, start=1):
        EntryFactory(article=article, film=film, rank=rank)
    ArticleFactory(title="Second Batch List")
    SearchDocument.objects.all().delete()
    SearchDocument.objects.create(kind="film", object_id=10**9, title="Ghost of a deleted film")

    outcomes = []
    progress = Command.progress

    def progress_then_write(self, kind, done, total):
        progress(self, kind, done, total)
        if kind == "article" and done == 1:  # between the first and second batch
            outcomes.append(write_from_another_connection(article, films[0]))

    monkeypatch.setattr(Command, "progress", progress_then_write)
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size=1", stdout=out)

    assert outcomes == [{"ok": True}]
    assert Comment.objects.filter(name="Mid-rebuild").exists()
    assert "list   [###############...............] 1/2" in out.getvalue()
    assert "person [##############################] 4/4" in out.getvalue()

    expected = {("article", pk) for pk in Article.objects.values_list("pk", flat=True)}
    expected |= {("film", pk) for pk in Film.objects.values_list("pk", flat=True)}
    expected |= {("person", pk) for pk in Person.objects.values_list("pk", flat=True)}
    assert set(SearchDocument.objects.values_list("kind", "object_id")) == expected  # the ghost is gone
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # FTS5 mirrors the documents exactly (raises otherwise)
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
    assert search("renamed during rebuild")["films"] == [films[0]]  # the edit made mid-rebuild is in
    assert search("batch person 3")["people"] == [Person.objects.get(name="Batch Person 3")]


@pytest.mark.django_db
def test_a_batch_size_below_one_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("rebuild_search_index", "--batch-size=0")


# Merging the index: every committed batch of writes is a segment of SQLite's
# FTS5 index, and a search reads every segment.


def segments():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT segid) FROM search_fts_idx")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_optimizing_merges_the_index_into_one_segment_and_search_finds_the_same():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index; PostgreSQL's side is the last test here")
    films = [FilmFactory(title=f"Segment Film {n}") for n in range(3)]  # each save commits its own segment
    found = search("segment")
    assert set(found["films"]) == set(films)
    assert segments() >= 3

    out = StringIO()
    call_command("optimize_search_index", stdout=out)

    assert segments() == 1
    assert "Search index merged:" in out.getvalue() and "into 1," in out.getvalue()
    # (Other words than before: the same address would come from the page cache.)
    assert set(search("film segment")["films"]) == set(films)
    assert set(search("segm")["films"]) == set(films)  # a prefix reads the merged index
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_leaves_the_index_merged():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index only")
    for n in range(3):
        FilmFactory(title=f"Merged Film {n}")
    call_command("rebuild_search_index", "--batch-size=1", stdout=StringIO())
    assert segments() == 1
    assert len(search("merged")["films"]) == 3


def documents_the_planner_counts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'search_searchdocument'")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_optimizing_on_postgresql_refreshes_the_search_statistics():
    for n in range(7):
        FilmFactory(title=f"Statistics Film {n}")
    documents = SearchDocument.objects.count()
    assert documents_the_planner_counts() != documents  # as last analysed, before these
    out = StringIO()
    call_command("optimize_search_index", stdout=out)
    assert out.getvalue().startswith("Search statistics refreshed, in ")
    assert documents_the_planner_counts() == documents
