"""Rank is data: insert, move, renumber, and the refusals, through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Entry
from articles.ranking import RankRequest, plan_ranks
from articles.services import entries_renumber, entry_insert_at, entry_move, entry_remove
from tests.factories import ArticleFactory, EntryFactory, FilmFactory

pytestmark = pytest.mark.django_db


def titles_in_order(article):
    return list(Entry.objects.filter(article=article).order_by("rank").values_list("rank", "film__title"))


@pytest.fixture
def abc():
    article = ArticleFactory()
    for rank, title in enumerate(["A", "B", "C"], start=1):
        EntryFactory(article=article, rank=rank, film=FilmFactory(title=title))
    return article


def test_insert_at_rank_one_moves_the_others_down(abc):
    entry_insert_at(article=abc, film=FilmFactory(title="D"), rank=1)
    assert titles_in_order(abc) == [(1, "D"), (2, "A"), (3, "B"), (4, "C")]


def test_insert_in_the_middle(abc):
    entry_insert_at(article=abc, film=FilmFactory(title="D"), rank=2)
    assert titles_in_order(abc) == [(1, "A"), (2, "D"), (3, "B"), (4, "C")]


def test_insert_without_rank_appends(abc):
    entry_insert_at(article=abc, film=FilmFactory(title="D"))
    assert titles_in_order(abc) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]


def test_insert_past_the_end_is_a_gap_and_refused(abc):
    with pytest.raises(ValidationError) as exc:
        entry_insert_at(article=abc, film=FilmFactory(title="D"), rank=9)
    assert "Rank 9 for “D” would leave a gap" in exc.value.messages[0]
    assert titles_in_order(abc) == [(1, "A"), (2, "B"), (3, "C")]


def test_same_film_twice_is_refused_by_name(abc):
    film_b = Entry.objects.get(article=abc, rank=2).film
    with pytest.raises(ValidationError) as exc:
        entry_insert_at(article=abc, film=film_b, rank=1)
    assert exc.value.messages == ["“B” is already in this list at #2. A film can appear only once."]
    assert titles_in_order(abc) == [(1, "A"), (2, "B"), (3, "C")]


def test_move_down_and_up(abc):
    entry_move(entry=Entry.objects.get(article=abc, rank=1), rank=3)
    assert titles_in_order(abc) == [(1, "B"), (2, "C"), (3, "A")]
    entry_move(entry=Entry.objects.get(article=abc, rank=3), rank=2)
    assert titles_in_order(abc) == [(1, "B"), (2, "A"), (3, "C")]


def test_remove_closes_the_gap(abc):
    entry_remove(entry=Entry.objects.get(article=abc, rank=2))
    assert titles_in_order(abc) == [(1, "A"), (2, "C")]


def test_renumber_closes_gaps_in_order():
    article = ArticleFactory()
    for rank, title in [(2, "A"), (5, "B"), (9, "C")]:
        EntryFactory(article=article, rank=rank, film=FilmFactory(title=title))
    entries_renumber(article=article)
    assert titles_in_order(article) == [(1, "A"), (2, "B"), (3, "C")]


def test_database_refuses_two_entries_at_one_rank(abc):
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(article=abc, rank=1, film=FilmFactory())


def test_database_refuses_one_film_twice(abc):
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(article=abc, rank=4, film=Entry.objects.get(article=abc, rank=1).film)


def test_database_refuses_rank_zero(abc):
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(article=abc, rank=0, film=FilmFactory())


# plan_ranks on its own: the rules, without a database.


def rows(*specs):
    return [RankRequest(label, label, current, requested) for label, current, requested in specs]


def test_plan_swaps_two_entries():
    plan = plan_ranks(rows(("A", 1, 2), ("B", 2, 1), ("C", 3, None)))
    assert plan == {"B": 1, "A": 2, "C": 3}


def test_plan_refuses_two_entries_asking_for_one_rank():
    with pytest.raises(ValidationError) as exc:
        plan_ranks(rows(("A", 1, 3), ("B", 2, 3), ("C", 3, None)))
    assert exc.value.messages == ["Rank 3 is given to both “A” and “B”. Give each entry its own rank."]


def test_plan_keeps_relative_order_of_untouched_entries():
    plan = plan_ranks(rows(("A", 1, None), ("B", 2, None), ("C", 3, None), ("D", None, 2), ("E", None, None)))
    assert sorted(plan, key=plan.get) == ["A", "D", "B", "C", "E"]
