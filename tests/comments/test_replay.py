"""One comment form sends one comment: its signed timestamp cannot be replayed (issue 16, item 10)."""

import pytest

from comments.models import Comment
from magazine.settings.base import resilient_redis
from tests.comments.conftest import timestamp
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def form_token(response):
    return response.content.decode().split('name="timestamp" value="', 1)[1].split('"', 1)[0]


def test_a_form_sends_one_comment_and_a_replay_is_told_with_its_text_kept(post_comment):
    article = ArticleFactory()
    token = timestamp(article)
    assert post_comment(article, body="The first comment.", timestamp=token).status_code == 302
    for n in range(4):
        response = post_comment(article, body=f"Replayed comment {n}", timestamp=token)
        html = response.content.decode()
        assert response.status_code == 200
        assert "already been used to send a comment" in html
        assert f"Replayed comment {n}" in html  # the text is kept
        assert form_token(response) != token  # and a fresh form token comes with it
    assert list(Comment.objects.values_list("body", flat=True)) == ["The first comment."]


def test_the_fresh_token_after_a_replay_works(post_comment, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article = ArticleFactory()
    token = timestamp(article)
    post_comment(article, body="First.", timestamp=token)
    again = post_comment(article, body="Second, from the same page.", timestamp=token)
    assert post_comment(article, body="Second, from the same page.", timestamp=form_token(again)).status_code == 302
    assert Comment.objects.count() == 2


def test_a_form_turned_back_for_a_mistake_can_be_corrected_and_sent(post_comment):
    article = ArticleFactory()
    token = timestamp(article)
    assert post_comment(article, name="", timestamp=token).status_code == 200
    assert post_comment(article, timestamp=token).status_code == 302
    assert Comment.objects.count() == 1


def test_after_a_refusal_the_form_shown_again_can_be_sent(post_comment):
    """A comment refused after the token was claimed (here: closed meanwhile) gets an unused token back."""
    article = ArticleFactory(comments_open=False)
    token = timestamp(article)
    refused = post_comment(article, body="Opening soon?", timestamp=token)
    assert refused.status_code == 403
    article.comments_open = True
    article.save()
    assert post_comment(article, body="Opening soon?", timestamp=form_token(refused)).status_code == 302


def test_replays_are_accepted_when_the_cache_is_down(post_comment, settings):
    """Fail open, like the rate limits: a cache outage must not refuse every comment."""
    settings.CACHES = {
        "default": resilient_redis(
            {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}  # nothing listens
        )
    }
    article = ArticleFactory()
    token = timestamp(article)
    assert post_comment(article, body="One.", timestamp=token).status_code == 302
    assert post_comment(article, body="Two.", timestamp=token).status_code == 302
    assert Comment.objects.count() == 2
