"""
Control and text-direction characters (issue 16, item 9): refused in names,
isolated wherever a reader's text is shown, so "admin\u202e gnp.exe" can
never reorder the page around it or add lines to moderator mail.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

TYPED = "Words the reader typed 泣いた"


@pytest.mark.parametrize(
    "name",
    [
        "admin\u202e gnp.exe",
        "Haruka\u2066x",
        "Haruka\u200f",
        "Haruka\r\nHeld because: nothing",
        "Haruka\nBcc: x",
        "Haruka\x1b[2J",
        "Haruka\x07",
        "Haru\tka",
        "Haruka\u2028Moderation queue",
    ],
    ids=["rlo", "lri", "rlm", "crlf", "lf", "esc", "bel", "tab", "line-separator"],
)
def test_names_with_control_or_bidi_characters_are_refused_with_text_kept(post_comment, name):
    UserFactory(email="mod@example.com", is_superuser=True, is_staff=True)
    response = post_comment(ArticleFactory(), name=name, body=TYPED)
    html = response.content.decode()
    assert response.status_code == 200
    assert "invisible control or text-direction character" in html
    assert TYPED in html
    assert Comment.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["春香", "مهر\u200cناز", "José Ñuñez-O'Brien", "👩\u200d🎤 Aoi"])
def test_names_in_any_script_are_accepted(post_comment, name):
    """Zero-width (non-)joiners are letters' business in Persian names and emoji, not layout tricks."""
    assert post_comment(ArticleFactory(), name=name).status_code == 302
    assert Comment.objects.get().name == name


def test_moderator_mail_keeps_the_name_on_one_line(post_comment, django_capture_on_commit_callbacks):
    moderator = UserFactory(email="mod@example.com", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(ArticleFactory(), name="Haruka\r\nHeld because: nothing", body=TYPED)
        post_comment(ArticleFactory(), name="Haruka", body=TYPED)
    assert len(mail.outbox) == 1
    assert (
        mail.outbox[0].body.splitlines()[0]
        == "Haruka <haruka@example.com> wrote on “" + Comment.objects.get().article.title + "”:"
    )


def test_names_and_bodies_are_isolated_on_the_article_page():
    """Bodies may hold direction marks (Arabic, Hebrew quoted in English): isolated, not refused."""
    comment = CommentFactory(name="admin\u202e gnp.exe", body="Read \u202etxt.exe then this")
    html = Client().get(comment.article.get_absolute_url()).content.decode()
    assert f'<bdi class="comment-author" id="{comment.anchor}-by">admin\u202e gnp.exe</bdi>' in html
    assert '<div class="comment-body" dir="auto"><p>Read \u202etxt.exe then this</p></div>' in html


def test_names_and_bodies_are_isolated_on_the_reply_page():
    parent = CommentFactory(name="admin\u202e gnp.exe", body="\u202eReversed")
    html = Client().get(parent.get_reply_url()).content.decode()
    assert "<h1>Reply to <bdi>admin\u202e gnp.exe</bdi></h1>" in html
    assert "<bdi>admin\u202e gnp.exe</bdi> wrote:" in html
    assert '<div class="comment-body" dir="auto"><p>\u202eReversed</p></div>' in html


def test_names_and_bodies_are_isolated_in_the_moderation_queue():
    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    CommentFactory(name="admin\u202e gnp.exe", body="\u202eReversed", held=True)
    client = Client()
    client.force_login(moderator)
    html = client.get("/admin/comments/comment/").content.decode()
    assert '<bdi class="comment-from-name">admin\u202e gnp.exe</bdi>' in html
    assert '<bdi dir="auto">\u202eReversed</bdi>' in html
