"""The moderation rules, each on its own, and the order they are applied in."""

import datetime

import pytest
from django.utils import timezone

from comments.models import BlockedWord, Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

THREE_LINKS = "See https://a.example/ and https://b.example/ and www.c.example"


def latest():
    return Comment.objects.latest("pk")


def test_known_author_is_published_at_once(post_comment):
    CommentFactory(email="haruka@example.com")  # approved elsewhere on the site
    post_comment(ArticleFactory())
    assert latest().is_public and latest().held_reason == ""


def test_an_author_with_only_held_or_removed_comments_is_not_known(post_comment):
    CommentFactory(email="haruka@example.com", held=True)
    CommentFactory(email="haruka@example.com", spam=True)
    post_comment(ArticleFactory())
    assert not latest().is_public


def test_first_comment_is_held(post_comment):
    post_comment(ArticleFactory())
    assert not latest().is_public
    assert latest().held_reason == Comment.HeldReason.FIRST_COMMENT


def test_two_links_are_fine_for_a_known_author(post_comment):
    CommentFactory(email="haruka@example.com")
    post_comment(ArticleFactory(), body="https://a.example/ and https://b.example/")
    assert latest().is_public


def test_more_than_two_links_hold_even_a_known_author(post_comment):
    CommentFactory(email="haruka@example.com")
    post_comment(ArticleFactory(), body=THREE_LINKS)
    assert not latest().is_public
    assert latest().held_reason == Comment.HeldReason.TOO_MANY_LINKS


def test_link_limit_is_a_setting(post_comment, settings):
    settings.COMMENTS_MAX_LINKS = 5
    CommentFactory(email="haruka@example.com")
    post_comment(ArticleFactory(), body=THREE_LINKS)
    assert latest().is_public


@pytest.mark.parametrize(
    "field, value",
    [("body", "This is CHEAP-PILLS time"), ("name", "cheap-pills seller"), ("email", "cheap-pills@spam.example")],
)
def test_blocked_word_holds_even_a_known_author(post_comment, field, value):
    BlockedWord.objects.create(word="cheap-pills")
    CommentFactory(email="haruka@example.com")
    if field == "email":
        CommentFactory(email=value)
    post_comment(ArticleFactory(), **{field: value})
    assert not latest().is_public
    assert latest().held_reason == Comment.HeldReason.BLOCKED_WORD


def test_latin_blocked_words_match_whole_words_only(post_comment):
    BlockedWord.objects.create(word="ass")
    CommentFactory(email="haruka@example.com")
    post_comment(ArticleFactory(), body="A classic, first class.")
    assert latest().is_public


def test_japanese_blocked_words_match_inside_text(post_comment):
    BlockedWord.objects.create(word="死ね")
    CommentFactory(email="haruka@example.com")
    post_comment(ArticleFactory(), body="お前は死ねばいい")
    assert latest().held_reason == Comment.HeldReason.BLOCKED_WORD


def test_blocked_words_are_edited_in_the_admin(staff_client):
    response = staff_client.post("/admin/comments/blockedword/add/", {"word": "  Casino "})
    assert response.status_code == 302
    assert BlockedWord.objects.get().word == "Casino"
    again = staff_client.post("/admin/comments/blockedword/add/", {"word": "casino"})
    assert "already blocked" in again.content.decode()


def test_blocked_word_is_checked_before_links(post_comment):
    BlockedWord.objects.create(word="casino")
    post_comment(ArticleFactory(), body="casino " + THREE_LINKS)
    assert latest().held_reason == Comment.HeldReason.BLOCKED_WORD


def test_identical_comment_within_the_hour_is_refused(post_comment):
    article = ArticleFactory()
    CommentFactory(article=article, body="So  sad,\nso good.", email="someone-else@example.com")
    response = post_comment(article, body="so sad, so GOOD.")
    assert response.status_code == 409
    assert "already been sent" in response.content.decode()
    assert "so sad, so GOOD." in response.content.decode()  # what they typed is kept
    assert Comment.objects.count() == 1


def test_identical_comment_after_an_hour_is_accepted(post_comment):
    article = ArticleFactory()
    CommentFactory(article=article, body="So sad.", submitted_at=timezone.now() - datetime.timedelta(minutes=61))
    assert post_comment(article, body="So sad.").status_code == 302
    assert Comment.objects.count() == 2


def test_duplicate_is_refused_before_the_known_author_rule(post_comment):
    article = ArticleFactory()
    CommentFactory(article=article, email="haruka@example.com", body="Again")
    assert post_comment(article, body="Again").status_code == 409


def test_comments_closed_by_an_editor(client, post_comment):
    article = ArticleFactory(comments_open=False)
    CommentFactory(article=article, body="An old comment")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed." in page and "An old comment" in page and "Write a comment" not in page
    form_page = client.get(f"/articles/{article.slug}/comment/").content.decode()
    assert "closed" in form_page and "<form" not in form_page.split("<main", 1)[1]
    response = post_comment(article, body="Let me in")
    assert response.status_code == 403
    assert "Comments on this list are closed." in response.content.decode()
    assert "Let me in" in response.content.decode()
    assert Comment.objects.count() == 1


def test_comments_close_by_themselves_after_the_configured_days(client, post_comment, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=15))
    recent = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=13))
    assert post_comment(old).status_code == 403
    assert post_comment(recent).status_code == 302
    assert "Comments are closed." in client.get(old.get_absolute_url()).content.decode()


def test_zero_days_means_comments_never_close_by_age(post_comment, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    ancient = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=3000))
    assert post_comment(ancient).status_code == 302


def test_closed_is_checked_first(post_comment):
    article = ArticleFactory(comments_open=False)
    CommentFactory(article=article, body="Same")
    assert post_comment(article, body="Same").status_code == 403


def test_rules_are_listed_in_the_documented_order():
    from comments import moderation

    assert [rule.__name__ for rule in moderation.RULES] == [
        "check_closed",
        "check_duplicate",
        "check_blocked",
        "check_links",
        "check_known_author",
        "check_first_comment",
    ]
