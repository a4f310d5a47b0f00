"""The moderation queue: order, filters, search, permission-gated actions, no real deletes, mail."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from tests.comments.conftest import login
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


def run_action(client, action, comments):
    return client.post(QUEUE, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True)


def test_moderators_group_has_the_moderation_permission(moderator):
    group = Group.objects.get(name="Moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"moderate_comment", "view_comment", "add_blockedword"} <= codenames
    assert moderator.has_perm("comments.moderate_comment")
    assert not moderator.has_perm("comments.delete_comment")


def test_queue_shows_held_comments_first(moderator):
    CommentFactory(body="Approved newest")
    CommentFactory(held=True, body="Held older")
    CommentFactory(removed=True, body="Body of a removed one")
    html = login(moderator).get(QUEUE).content.decode()
    assert html.index("Held older") < html.index("Approved newest")
    assert html.index("Held older") < html.index("Body of a removed one")


def test_filters_and_search(moderator):
    article = ArticleFactory(title="Weathering With You list")
    CommentFactory(article=article, held=True, body="Held one", name="Hodaka")
    CommentFactory(body="Approved one", name="Hina")
    CommentFactory(spam=True, body="Spam one")
    client = login(moderator)
    held = client.get(QUEUE + "?status=held").content.decode()
    assert "Held one" in held and "Approved one" not in held and "Spam one" not in held
    spam = client.get(QUEUE + "?status=spam").content.decode()
    assert "Spam one" in spam and "Held one" not in spam
    by_article = client.get(QUEUE + f"?article__id__exact={article.pk}").content.decode()
    assert "Held one" in by_article and "Approved one" not in by_article
    found = client.get(QUEUE + "?q=Hina").content.decode()
    assert "Approved one" in found and "Held one" not in found
    # The date filter's own links carry aware datetimes, as here.
    since = (timezone.now() - datetime.timedelta(days=7)).isoformat()
    recent = client.get(QUEUE, {"submitted_at__gte": since}).content.decode()
    assert "Held one" in recent


def test_moderator_approves_and_the_comment_appears(moderator):
    comment = CommentFactory(held=True, body="Please let me in")
    page = comment.article.get_absolute_url()
    assert "Please let me in" not in Client().get(page).content.decode()
    response = run_action(login(moderator), "approve", [comment])
    assert "1 comment approved." in response.content.decode()
    comment.refresh_from_db()
    assert comment.is_public and comment.moderated_by == moderator and comment.moderated_at
    assert "Please let me in" in Client().get(page).content.decode()


def test_approval_makes_the_author_known(moderator, post_comment):
    comment = CommentFactory(held=True, email="haruka@example.com")
    run_action(login(moderator), "approve", [comment])
    post_comment(ArticleFactory(), body="Second comment")
    assert Comment.objects.get(body="Second comment").is_public


@pytest.mark.parametrize("action, state", [("mark_spam", "spam"), ("remove", "removed")])
def test_spam_and_remove_keep_the_row(moderator, action, state):
    comments = [CommentFactory(), CommentFactory(held=True)]
    response = run_action(login(moderator), action, comments)
    assert "2 comments" in response.content.decode()
    assert [Comment.objects.get(pk=c.pk).status for c in comments] == [state, state]
    assert Comment.objects.count() == 2
    assert comments[0].body not in Client().get(comments[0].article.get_absolute_url()).content.decode()


def test_actions_need_the_moderate_permission(viewer):
    comment = CommentFactory(held=True)
    client = login(viewer)
    page = client.get(QUEUE).content.decode()
    assert comment.body in page  # may look
    assert 'value="approve"' not in page
    run_action(client, "approve", [comment])
    comment.refresh_from_db()
    assert not comment.is_public


def test_nothing_can_be_deleted_for_real(staff_client):
    comment = CommentFactory()
    page = staff_client.get(QUEUE).content.decode()
    assert 'value="delete_selected"' not in page
    assert staff_client.post(f"{QUEUE}{comment.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_moderators_are_emailed_when_a_comment_is_held(moderator, post_comment, django_capture_on_commit_callbacks):
    UserFactory(username="editor-no-perm", email="editor@example.com", is_staff=True)
    article = ArticleFactory(title="Sad Anime")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(article, body="Held for a moderator")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mod@example.com"]
    assert "Sad Anime" in message.subject
    assert "Held for a moderator" in message.body
    assert "http://testserver/admin/comments/comment/?status=held" in message.body


def test_no_email_when_a_comment_is_published(moderator, post_comment, django_capture_on_commit_callbacks):
    CommentFactory(email="haruka@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(ArticleFactory())
    assert mail.outbox == []


def test_a_failing_mail_server_does_not_lose_the_comment(moderator, post_comment, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.comments.test_admin.BrokenBackend"}}
    response = post_comment(ArticleFactory(), body="Saved anyway")
    assert response.status_code == 302
    assert Comment.objects.filter(body="Saved anyway").exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db(transaction=True)
def test_moderators_migration_is_reversible():
    from django.core.management import call_command

    call_command("migrate", "comments", "0001", verbosity=0)
    assert not Group.objects.filter(name="Moderators").exists()
    call_command("migrate", "comments", verbosity=0)
    assert Group.objects.get(name="Moderators").permissions.filter(codename="moderate_comment").exists()
