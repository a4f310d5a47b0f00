"""
The list page's cached fragments (the list itself, its comments, "More from",
its head and metadata) and the list's row: a page-cache miss with them warm
asks the database nothing, and each change a reader could see on the page
reaches them on the next request.
Every request here has a query string of its own, as a page-cache miss has:
what is tested is the fragments, not the page cache.
"""

import datetime
import itertools
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.services import article_schedule, article_unpublish, entry_move
from comments.models import Comment
from comments.services import comments_moderate
from films.models import Film
from tests.factories import ArticleFactory, CommentFactory, StaffFactory, make_list
from tests.films.test_posters import image_file

pytestmark = pytest.mark.django_db
fresh = itertools.count()


def miss(client, article):
    """The list page under an address the page cache has never seen: (html, queries)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{article.get_absolute_url()}?n={next(fresh)}")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def listed(client):
    article = make_list(3, title="Three Quiet Films")
    other = ArticleFactory(title="Another Quiet List")
    other.hashtags.add("QuietCinema")
    article.hashtags.add("QuietCinema")
    miss(client, article)  # fills the fragments
    return article


def test_a_miss_with_warm_fragments_asks_the_database_nothing_and_shows_the_same_page(client, listed):
    first, _ = miss(client, listed)
    html, queries = miss(client, listed)
    assert queries == 0  # the list's row and hashtags are kept like its fragments
    assert html == first
    assert "Three Quiet Films" in html and "Another Quiet List" in html


def test_an_entry_edit_reaches_the_list(client, listed):
    entry = listed.entries.get(rank=2)
    entry.write_up = "A newly written paragraph about it."
    entry.save()
    assert "A newly written paragraph about it." in miss(client, listed)[0]


def test_a_rank_move_reaches_the_list(client, listed):
    title = listed.entries.get(rank=3).film.title
    entry_move(entry=listed.entries.get(rank=3), rank=1)
    html = miss(client, listed)[0]
    assert html.index(f">{title}</a>") < html.index('id="rank-2"')


def test_a_film_retitled_reaches_every_list_ranking_it(client, listed):
    film = listed.entries.get(rank=1).film
    film.title = "The Retitled Film"
    film.save()
    assert "The Retitled Film" in miss(client, listed)[0]


def test_a_new_poster_reaches_the_list(client, listed):
    film = Film.objects.get(pk=listed.entries.get(rank=1).film_id)
    assert "/posters/" not in miss(client, listed)[0]
    film.poster = image_file(400, 600)
    film.save()
    assert "/posters/" in miss(client, listed)[0]


def test_an_approved_comment_reaches_the_list(client, listed):
    held = CommentFactory(article=listed, held=True, body="Held until a moderator says yes.")
    assert "Held until a moderator says yes." not in miss(client, listed)[0]
    comments_moderate(comments=Comment.objects.filter(pk=held.pk), action="approve", moderator=StaffFactory())
    html = miss(client, listed)[0]
    assert "Held until a moderator says yes." in html and "1 comment" in html


def test_a_renamed_list_shows_its_new_title_and_metadata(client, listed):
    listed.title = "Three Renamed Films"
    listed.save()
    html = miss(client, listed)[0]
    assert '<h1 id="article-title">Three Renamed Films</h1>' in html
    assert "<title>Three Renamed Films" in html
    assert '"headline":"Three Renamed Films"' in html


def test_more_from_shows_a_scheduled_list_once_it_goes_live_with_no_change_in_between(client, listed):
    at = timezone.now() + datetime.timedelta(minutes=10)
    soon = ArticleFactory(title="A List For Later", draft=True)
    soon.hashtags.add("QuietCinema")
    article_schedule(article=soon, at=at)
    assert "A List For Later" not in miss(client, listed)[0]
    with mock.patch("django.utils.timezone.now", return_value=at + datetime.timedelta(seconds=1)):
        assert "A List For Later" in miss(client, listed)[0]


def test_editors_never_read_nor_fill_the_fragments(client, staff_client, listed):
    Article.objects.filter(pk=listed.pk).update(title="Changed Without A Signal")
    assert "Changed Without A Signal" in miss(staff_client, listed)[0]
    assert "Changed Without A Signal" not in miss(client, listed)[0]  # readers: the fragment, until a change
    Article.objects.filter(pk=listed.pk).update(title="Changed Again")
    assert miss(staff_client, listed)[1] > 2


def test_a_list_taken_down_is_gone_from_a_miss_though_its_row_was_kept(client, listed):
    article_unpublish(article=listed)
    response = client.get(f"{listed.get_absolute_url()}?n={next(fresh)}")
    assert response.status_code == 404
