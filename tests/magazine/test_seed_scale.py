"""seed_scale fills the database in bulk, adds only what is missing, and writes nothing on --dry-run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from articles.models import Article
from comments.models import Comment
from films.models import Film, FilmTitle
from search.models import SearchDocument

pytestmark = pytest.mark.django_db

SMALL = {"lists": 6, "films": 40, "comments": 30, "entries": 5, "batch_size": 4}


def seed(**options):
    out = StringIO()
    call_command("seed_scale", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def test_it_seeds_published_lists_films_and_comments_readers_can_see():
    seed()
    assert Film.objects.count() == 40 and FilmTitle.objects.count() == 80
    assert Article.objects.published().count() == 6
    assert Comment.objects.count() == 30 and Comment.objects.approved().count() == 27
    assert SearchDocument.objects.filter(kind="film").count() == 40
    article = Article.objects.first()
    assert article.entries.count() == 5
    html = Client().get(article.get_absolute_url()).content.decode()
    assert article.title in html and article.entries.first().film.title in html


def test_running_it_again_adds_only_what_is_missing():
    seed()
    assert "Already at that size." in seed()
    assert Film.objects.count() == 40
    seed(lists=8, comments=35)
    assert Article.objects.count() == 8 and Comment.objects.count() == 35 and Film.objects.count() == 40


def test_dry_run_writes_nothing():
    out = seed(dry_run=True)
    assert "films: 0 seeded, 40 to add" in out and "Nothing written." in out
    assert not Film.objects.exists() and not Article.objects.exists()


def test_a_list_longer_than_the_catalogue_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="needs at least 5 films"):
        seed(films=3)
