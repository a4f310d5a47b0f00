"""
`Film.objects.public()` reads the stored `public_from`; it must say exactly
what the rule says (confirmed, or ranked in a list readers may see), which
is kept here as the oracle in its original form: a subquery through every
list. A randomised world is put through every write that can change the
answer, and after each the two are compared now and at moments to come.
"""

import datetime
import random
from unittest import mock

import pytest
from django.db import models
from django.utils import timezone

from articles.models import Article, Entry
from articles.services import (
    article_publish,
    article_schedule,
    article_unpublish,
    entry_insert_at,
    entry_move,
    entry_remove,
    listicle_import,
)
from films.models import Film
from tests.factories import ArticleFactory, EntryFactory, FilmFactory

pytestmark = pytest.mark.django_db


def oracle():
    """The rule as first written: confirmed, or an entry of a published list whose time has come."""
    in_published_list = Entry.objects.published().filter(film=models.OuterRef("pk"))
    return set(
        Film.objects.filter(models.Q(confirmed=True) | models.Exists(in_published_list)).values_list("pk", flat=True)
    )


def stored():
    return set(Film.objects.public().values_list("pk", flat=True))


def agree(step):
    """public() and the oracle agree now, and at each scheduled list's moment (just before and after)."""
    moments = [timezone.now()]
    for at in Article.objects.filter(published_at__gt=timezone.now()).values_list("published_at", flat=True):
        moments += [at - datetime.timedelta(seconds=1), at + datetime.timedelta(seconds=1)]
    for moment in moments:
        with mock.patch("django.utils.timezone.now", return_value=moment):
            assert stored() == oracle(), f"after {step}, at {moment}"


def build_world(rng):
    films = [FilmFactory(confirmed=rng.random() < 0.4) for _ in range(24)]
    now = timezone.now()
    lists = []
    for _ in range(8):
        kind = rng.choice(["draft", "review", "live", "scheduled"])
        article = ArticleFactory(
            status={"draft": "draft", "review": "review"}.get(kind, "published"),
            published_at=now + datetime.timedelta(hours=rng.choice([-48, -1, 2, 30]) if kind != "live" else -3),
        )
        for rank, film in enumerate(rng.sample(films, rng.randint(0, 6)), 1):
            EntryFactory(article=article, film=film, rank=rank)
        lists.append(article)
    return films, lists


def fresh(article):
    return Article.objects.get(pk=article.pk)


@pytest.mark.parametrize("seed", range(4))
def test_public_from_says_what_the_rule_says_through_every_write(seed):
    rng = random.Random(seed)
    films, lists = build_world(rng)
    agree("building the world")
    for step in range(30):
        article = fresh(rng.choice(lists))
        entries = list(article.entries.all())
        outside = [
            f for f in films if f.pk not in {e.film_id for e in entries} and Film.objects.filter(pk=f.pk).exists()
        ]
        action = rng.choice(
            [
                "publish",
                "schedule",
                "unpublish",
                "insert",
                "remove",
                "move",
                "swap film",
                "confirm",
                "unconfirm",
                "delete list",
                "new list",
                "film edit",
            ]
        )
        if action == "publish":
            article_publish(article=article)
        elif action == "schedule":
            article_schedule(article=article, at=timezone.now() + datetime.timedelta(hours=rng.choice([1, 5, 50])))
        elif action == "unpublish":
            article_unpublish(article=article)
        elif action == "insert" and outside:
            entry_insert_at(article=article, film=rng.choice(outside), rank=rng.randint(1, len(entries) + 1))
        elif action == "remove" and entries:
            entry_remove(entry=rng.choice(entries))
        elif action == "move" and len(entries) > 1:
            entry_move(entry=rng.choice(entries), rank=rng.randint(1, len(entries)))
        elif action == "swap film" and entries and outside:
            # The admin's entry form changing the film of a saved entry.
            entry = Entry.objects.get(pk=rng.choice(entries).pk)
            entry.film = rng.choice(outside)
            entry.save()
        elif action in ("confirm", "unconfirm", "film edit"):
            film = Film.objects.get(pk=rng.choice(films).pk)
            if action != "film edit":
                film.confirmed = action == "confirm"
            film.synopsis = f"Edited at step {step}."
            film.save()
        elif action == "delete list":
            lists.remove(article)
            article.delete()
            if not lists:
                lists.append(ArticleFactory(draft=True))
        elif action == "new list":
            lists.append(ArticleFactory(status=rng.choice(["draft", "published"])))
        agree(f"step {step}: {action}")


def test_the_confirm_action_makes_films_public_at_once(staff_client):
    from django.urls import reverse

    film = FilmFactory(confirmed=False)
    assert film not in Film.objects.public()
    staff_client.post(reverse("admin:films_film_changelist"), {"action": "confirm", "_selected_action": [film.pk]})
    assert film in Film.objects.public()
    assert stored() == oracle()


def test_an_import_published_at_once_makes_its_new_films_public():
    text = "Top 2 Quiet Films\n\n1. A Film Nobody Knows (2001)\n\nWhy.\n\n2. Another Unknown Film (2002)\n\nWhy too.\n"
    report = listicle_import(text=text, publish=True)
    new = [o.film for o in report.films if o.is_new]
    assert new and all(not f.confirmed for f in new)
    assert set(Film.objects.public()) >= set(new)
    assert stored() == oracle()


def test_an_import_over_a_draft_keeps_the_films_it_drops_private():
    text = "Top 1 Quiet Film\n\n1. A Film Nobody Knows (2001)\n\nWhy.\n"
    report = listicle_import(text=text)
    assert stored() == oracle()
    assert report.films[0].film not in Film.objects.public()


def test_a_film_that_loses_its_only_published_list_leaves_the_site():
    film = FilmFactory(confirmed=False)
    article = ArticleFactory()
    entry = EntryFactory(article=article, film=film, rank=1)
    assert film in Film.objects.public()
    entry_remove(entry=entry)
    assert film not in Film.objects.public()
