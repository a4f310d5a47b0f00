"""Migration 0004 gives documents made before it their ids by kind, and the index follows them (through 0005 on PostgreSQL, both ways)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from search.models import SearchDocument
from tests.factories import ArticleFactory, FilmFactory

BEFORE, AFTER = [("search", "0003_search_studios")], [("search", "0005_postgres_search_vector")]


@pytest.mark.django_db(transaction=True)
def test_documents_get_ids_by_kind_and_stay_findable_both_ways():
    film, article = FilmFactory(title="Lighthouse"), ArticleFactory(title="Lighthouse Films")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("search", "SearchDocument")
    old.objects.all().delete()
    # Ids as the sequence gave them before 0004: nothing to do with the kind.
    old.objects.create(id=7, kind="film", object_id=film.pk, title="Lighthouse", title_folded="lighthouse")
    old.objects.create(
        id=8, kind="article", object_id=article.pk, title="Lighthouse Films", title_folded="lighthouse films"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    assert sorted(SearchDocument.objects.values_list("id", flat=True)) == sorted(
        [SearchDocument.id_for("film", film.pk), SearchDocument.id_for("article", article.pk)]
    )
    groups = Client().get(reverse("search:results"), {"q": "lighthouse"}).context["groups"]
    assert {g["slug"]: [h.object for h in g["hits"]] for g in groups} == {"lists": [article], "films": [film]}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # keeps the ids, which the code before 0004 reads as any other
    assert executor.loader.project_state(BEFORE).apps.get_model("search", "SearchDocument").objects.count() == 2
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    groups = Client().get(reverse("search:results"), {"q": "LIGHTHOUSE"}).context["groups"]  # not the cached page
    assert [g["slug"] for g in groups] == ["lists", "films"]
