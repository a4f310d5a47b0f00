"""
Deep archive, hashtag and mood pages (core.pagination.IdsFirstPaginator) show
the same rows, in the same order, with the same cards, as a plain slice would,
in as many queries as page 1.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, EntryFactory, FilmFactory, HashtagFactory, MoodFactory

pytestmark = pytest.mark.django_db
SIZE = settings.MAGAZINE_PAGE_SIZE


def titles(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    page = response.content.decode()
    return re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', page), len(ctx.captured_queries), page


def test_the_last_archive_and_hashtag_pages_list_the_oldest_lists_newest_first_with_their_cards(client):
    now = timezone.now()
    tag = HashtagFactory(name="Deep")
    for n in range(SIZE * 2 + 3):  # three pages, the last of three lists
        article = ArticleFactory(title=f"List {n:02}", published_at=now - datetime.timedelta(days=n + 1))
        article.hashtags.add(tag)
        EntryFactory(article=article, film=FilmFactory(title=f"Film of list {n:02}"), rank=1)
    # Two lists published at the same moment: the id breaks the tie, as on page 1.
    same_moment = now - datetime.timedelta(days=100)
    for title in ("Tie A", "Tie B"):
        ArticleFactory(title=title, published_at=same_moment).hashtags.add(tag)
    ArticleFactory(title="A draft", draft=True).hashtags.add(tag)

    for url in (reverse("articles:list"), tag.get_absolute_url()):
        first, first_queries, _ = titles(client, url)
        assert first == [f"List {n:02}" for n in range(SIZE)]
        last, last_queries, page = titles(client, url, page=3)
        assert last == ["List 24", "List 25", "List 26", "Tie B", "Tie A"]
        assert "Film of list 26" in page  # the card's top entries came with the rows
        assert "#Deep" in page  # and its hashtags
        assert last_queries == first_queries
        assert 'rel="prev" href="?page=2">← Newer</a>' in page and "Older →" not in page
        assert client.get(url, {"page": 4}).status_code == 404


def test_a_deep_mood_page_lists_its_films_by_title(client):
    mood = MoodFactory(name="deep")
    films = [FilmFactory(title=f"Film {n:03}") for n in range(SIZE * 2 * 2 + 1)]  # mood pages hold twice as many
    for film in films:
        film.moods.add(mood)
    page = client.get(mood.get_absolute_url(), {"page": 2}).content.decode()
    assert "Film 024" in page and "Film 023" not in page
    # Films by title, not by date: the links say where they lead in that order.
    assert "← Previous</a>" in page and "Next →</a>" in page and "Newer" not in page
