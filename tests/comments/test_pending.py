"""
The address a reader lands on after posting shows their held comment, and
only theirs, only with a good token, only for a day, and never through a cache.
"""

import time
from unittest import mock

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from comments.threads import POSTED_MAX_AGE, POSTED_SALT, posted_token
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

PENDING = "Waiting for a moderator"


def pending_url(comment, token=None):
    return f"{comment.article.get_absolute_url()}?comment={token or posted_token(comment)}"


def assert_plain_page(response, *hidden):
    html = response.content.decode()
    assert response.status_code == 200
    assert PENDING not in html and "comment-pending" not in html
    for text in hidden:
        assert text not in html
    assert not response.cookies


def test_good_token_shows_the_held_comment():
    held = CommentFactory(held=True, body="Held words")
    response = Client().get(pending_url(held))
    html = response.content.decode()
    assert PENDING in html and "Held words" in html
    assert not response.cookies


def test_tampered_token_shows_a_plain_page_without_a_cookie():
    held = CommentFactory(held=True, body="Held words")
    token = posted_token(held)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert_plain_page(Client().get(pending_url(held, tampered)), "Held words")


def test_token_for_another_comment_id_cannot_be_made_without_the_key():
    held = CommentFactory(held=True, body="Held words")
    forged = signing.dumps({"c": held.pk}, salt=POSTED_SALT, key="not-the-site-key")
    assert_plain_page(Client().get(pending_url(held, forged)), "Held words")


def test_expired_token_shows_a_plain_page_without_a_cookie():
    held = CommentFactory(held=True, body="Held words")
    issued = time.time() - POSTED_MAX_AGE - 60
    with mock.patch("time.time", return_value=issued):
        token = posted_token(held)
    assert_plain_page(Client().get(pending_url(held, token)), "Held words")


def test_a_token_still_good_after_most_of_a_day():
    held = CommentFactory(held=True, body="Held words")
    with mock.patch("time.time", return_value=time.time() - POSTED_MAX_AGE + 300):
        token = posted_token(held)
    assert "Held words" in Client().get(pending_url(held, token)).content.decode()


def test_token_shows_only_its_own_comment():
    article = ArticleFactory()
    mine = CommentFactory(article=article, held=True, body="My held words")
    CommentFactory(article=article, held=True, body="Someone else's held words")
    html = Client().get(pending_url(mine)).content.decode()
    assert "My held words" in html and "Someone else's held words" not in html
    assert html.count(PENDING) == 1


def test_token_of_a_comment_on_another_list_shows_nothing():
    held = CommentFactory(held=True, body="Held words")
    other = ArticleFactory()
    token = posted_token(held)
    assert_plain_page(Client().get(f"{other.get_absolute_url()}?comment={token}"), "Held words")


def test_removed_comment_is_no_longer_shown_to_its_writer():
    held = CommentFactory(held=True, body="Held words")
    url = pending_url(held)
    held.is_removed = True
    held.save()
    assert_plain_page(Client().get(url), "Held words")


def test_once_approved_the_writer_sees_it_live_and_unmarked():
    held = CommentFactory(held=True, body="Held words")
    url = pending_url(held)
    held.is_public = True
    held.save()
    html = Client().get(url).content.decode()
    assert "Held words" in html and PENDING not in html
    assert "your comment is live" in html


def test_pending_page_neither_reads_nor_fills_the_page_cache():
    held = CommentFactory(held=True, body="Held words")
    url = pending_url(held)
    reader = Client()
    with (
        mock.patch.object(cache, "get", wraps=cache.get) as get,
        mock.patch.object(cache, "set", wraps=cache.set) as put,
    ):
        first = reader.get(url)
        second = reader.get(url)
    page_keys = [c.args[0] for c in (*get.call_args_list, *put.call_args_list) if str(c.args[0]).startswith("page:")]
    assert page_keys == []
    for response in (first, second):
        assert "Held words" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert response.get("X-Robots-Tag") == "noindex"
    # The plain address, cached for everyone, never shows it.
    assert "Held words" not in reader.get(held.article.get_absolute_url()).content.decode()
    assert "Held words" not in reader.get(held.article.get_absolute_url()).content.decode()
