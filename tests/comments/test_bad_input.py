"""Bad input gets a clear message (or a 4xx when machine-made), keeps the text, writes nothing."""

import time
from unittest import mock

import pytest
from django.core import signing
from django.db import OperationalError

from comments.forms import TIMESTAMP_SALT
from comments.models import Comment
from tests.comments.conftest import timestamp
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

TYPED = "Words the reader typed 泣いた"


def assert_refused(response, status, message, *, kept=TYPED):
    html = response.content.decode()
    assert response.status_code == status, html[:500]
    assert message in html
    if kept:
        assert kept in html
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"body": ""}, "Please write a comment."),
        ({"body": "   \n  "}, "Please write a comment."),
        ({"name": "", "body": TYPED}, "Please give a name to sign your comment with."),
        ({"email": "not-an-email", "body": TYPED}, "Enter a valid email address."),
        ({"body": TYPED + "x" * 3000}, "Ensure this value has at most 3000 characters"),
        ({"body": TYPED + "\x00"}, "Null characters are not allowed."),
    ],
    ids=["empty", "blank", "no-name", "bad-email", "too-long", "nul"],
)
def test_invalid_fields(post_comment, overrides, message):
    response = post_comment(ArticleFactory(), **overrides)
    assert_refused(response, 200, message, kept=None if overrides.get("body", "x").strip() == "" else TYPED[:10])


def test_max_length_is_a_setting(post_comment, settings):
    settings.COMMENTS_MAX_LENGTH = 20
    assert_refused(post_comment(ArticleFactory(), body=TYPED + " and more"), 200, "at most 20 characters")


def test_missing_name_keeps_the_comment_text(post_comment):
    assert_refused(post_comment(ArticleFactory(), name="", body=TYPED), 200, "Please give a name")


def test_tampered_timestamp_is_400(post_comment):
    article = ArticleFactory()
    forged = timestamp(article)[:-3] + "abc"
    assert_refused(post_comment(article, body=TYPED, timestamp=forged), 400, "changed on its way back")


def test_timestamp_from_another_list_is_400(post_comment):
    assert_refused(
        post_comment(ArticleFactory(), body=TYPED, timestamp=timestamp(ArticleFactory())),
        400,
        "changed on its way back",
    )


def test_missing_timestamp_is_refused(post_comment):
    response = post_comment(ArticleFactory(), body=TYPED, timestamp="")
    assert response.status_code in (200, 400) and Comment.objects.count() == 0


def test_filled_honeypot_is_400(post_comment):
    assert_refused(
        post_comment(ArticleFactory(), body=TYPED, website="http://spam.example"), 400, "could not be accepted"
    )


def test_form_sent_back_too_fast_asks_to_wait_and_keeps_text(post_comment, settings):
    settings.COMMENTS_MIN_SECONDS = 3
    article = ArticleFactory()
    assert_refused(
        post_comment(article, body=TYPED, timestamp=timestamp(article, age=1)), 200, "faster than anyone can type"
    )


def test_form_older_than_a_day_is_renewed(post_comment):
    article = ArticleFactory()
    stale = timestamp(article, age=25 * 3600)
    response = post_comment(article, body=TYPED, timestamp=stale)
    assert_refused(response, 200, "open for more than a day")
    assert stale not in response.content.decode()  # a fresh timestamp to send again with
    fresh = response.content.decode().split('name="timestamp" value="', 1)[1].split('"', 1)[0]
    assert time.time() - signing.loads(fresh, salt=TIMESTAMP_SALT)["t"] < 5


def test_reply_to_a_comment_of_another_article(post_comment):
    other = CommentFactory()
    response = post_comment(ArticleFactory(), body=TYPED, reply_to=str(other.pk))
    assert response.status_code == 200 and "no longer available" in response.content.decode()
    assert TYPED in response.content.decode()
    assert list(Comment.objects.all()) == [other]


@pytest.mark.parametrize("trait", ["removed", "spam", "held"])
def test_reply_to_a_hidden_comment(post_comment, trait):
    article = ArticleFactory()
    hidden = CommentFactory(article=article, **{trait: True})
    response = post_comment(article, body=TYPED, reply_to=str(hidden.pk))
    assert response.status_code == 200 and "no longer available" in response.content.decode()
    assert Comment.objects.count() == 1


def test_post_to_a_draft_or_scheduled_list_is_404(post_comment):
    assert post_comment(ArticleFactory(draft=True)).status_code == 404
    assert post_comment(ArticleFactory(scheduled=True)).status_code == 404
    assert Comment.objects.count() == 0


def test_post_to_a_closed_list_is_403_with_text_kept(post_comment):
    assert_refused(post_comment(ArticleFactory(comments_open=False), body=TYPED), 403, "closed")


def test_flood_from_one_address_is_429_with_text_kept(post_comment, settings):
    settings.COMMENTS_RATE_LIMIT = "3/60"
    article = ArticleFactory()
    for n in range(3):
        assert post_comment(article, body=f"Comment {n}").status_code == 302
    response = post_comment(article, body=TYPED)
    assert response.status_code == 429
    assert "short time" in response.content.decode() and TYPED in response.content.decode()
    assert Comment.objects.count() == 3


def test_database_error_apologises_keeps_text_and_saves_nothing(post_comment):
    article = ArticleFactory()
    with mock.patch.object(Comment, "save", side_effect=OperationalError("database is locked")):
        response = post_comment(article, body=TYPED)
    assert_refused(response, 503, "could not be saved just now")
    assert "send it again" in response.content.decode()
    assert 'type="submit"' in response.content.decode()
    # and sending again works
    assert post_comment(article, body=TYPED).status_code == 302


def test_error_in_the_same_transaction_leaves_no_half_written_comment(post_comment, django_capture_on_commit_callbacks):
    """The save succeeds, then something later in comment_submit fails: the row is rolled back."""
    article = ArticleFactory()
    with mock.patch("comments.services.transaction.on_commit", side_effect=OperationalError("boom")):
        response = post_comment(article, body=TYPED)
    assert response.status_code == 503
    assert Comment.objects.count() == 0


def test_csrf_is_enforced_on_the_comment_form():
    from django.test import Client

    from tests.comments.conftest import comment_data

    article = ArticleFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    url = f"/articles/{article.slug}/comment/"
    assert csrf_client.post(url, comment_data(article)).status_code == 403
    page = csrf_client.get(url)
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = csrf_client.post(url, {**comment_data(article), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
