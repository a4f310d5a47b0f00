"""
One click per decision from the queue's rows and the comment's page, and the
magazine's reply: what a moderator sees, what a reader then sees, and who may.
"""

import re

import pytest
from django.test import Client

from comments.models import Comment
from tests.comments.conftest import login
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


def moderate_url(comment):
    return f"{QUEUE}{comment.pk}/moderate/"


def reply_url(comment):
    return f"{QUEUE}{comment.pk}/reply/"


def row(html, text):
    """The queue's table row holding `text`."""
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    return next(r for r in rows if text in r)


def test_each_row_has_one_click_buttons_for_its_state(moderator):
    CommentFactory(held=True, body="Held words")
    CommentFactory(body="Approved words")
    CommentFactory(spam=True, body="Spam words")
    html = login(moderator).get(QUEUE).content.decode()
    assert 'id="comment-moderation"' in html and "csrfmiddlewaretoken" in html
    buttons = lambda r: re.findall(r'<button[^>]*value="(\w+)"[^>]*>(\w+)</button>', r)  # noqa: E731
    assert buttons(row(html, "Held words")) == [("approve", "Approve"), ("spam", "Spam"), ("remove", "Remove")]
    assert buttons(row(html, "Approved words")) == [("spam", "Spam"), ("remove", "Remove")]
    assert buttons(row(html, "Spam words")) == [("approve", "Approve")]
    assert ">Reply</a>" in row(html, "Held words") and ">Reply</a>" not in row(html, "Spam words")
    # The buttons submit the form outside the changelist's own (forms cannot nest).
    assert 'form="comment-moderation"' in row(html, "Held words")


def test_approve_from_a_row_returns_to_the_same_filtered_page_with_a_message(moderator):
    held = CommentFactory(held=True, name="Haruka", body="Held words")
    client = login(moderator)
    back = QUEUE + "?status=held&q=words"
    response = client.post(moderate_url(held), {"action": "approve", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    held.refresh_from_db()
    assert held.is_public and held.moderated_by == moderator
    page = client.get(back).content.decode()
    assert "Approved the comment by Haruka." in page
    assert "Held words" not in page  # no longer held: gone from the filtered queue
    assert "Held words" in Client().get(held.article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("action, state", [("spam", "spam"), ("remove", "removed")])
def test_spam_and_remove_from_a_row_hide_an_approved_comment(moderator, action, state):
    comment = CommentFactory(body="Visible words")
    reader = Client()
    assert "Visible words" in reader.get(comment.article.get_absolute_url()).content.decode()  # now cached
    login(moderator).post(moderate_url(comment), {"action": action, "next": QUEUE})
    comment.refresh_from_db()
    assert comment.status == state
    assert "Visible words" not in reader.get(comment.article.get_absolute_url()).content.decode()


def test_a_foreign_next_address_is_not_followed(moderator):
    held = CommentFactory(held=True)
    response = login(moderator).post(moderate_url(held), {"action": "approve", "next": "https://evil.example/"})
    assert response["Location"] == QUEUE


def test_an_action_that_does_not_fit_the_state_changes_nothing(moderator):
    spam = CommentFactory(spam=True)
    response = login(moderator).post(moderate_url(spam), {"action": "remove", "next": QUEUE}, follow=True)
    spam.refresh_from_db()
    assert spam.is_spam
    assert "already spam" in response.content.decode()


def test_one_click_needs_a_post(moderator):
    held = CommentFactory(held=True)
    assert login(moderator).get(moderate_url(held) + "?action=approve").status_code == 405
    held.refresh_from_db()
    assert not held.is_public


def test_staff_without_the_moderation_permission_get_no_buttons_and_cannot_post(viewer):
    held = CommentFactory(held=True, body="Held words")
    client = login(viewer)
    queue = client.get(QUEUE).content.decode()
    assert "Held words" in queue and 'value="approve"' not in queue and ">Reply</a>" not in queue
    assert client.post(moderate_url(held), {"action": "approve", "next": QUEUE}).status_code == 403
    assert client.post(reply_url(held), {"name": "Viewer", "body": "Hi"}).status_code == 403
    page = client.get(f"{QUEUE}{held.pk}/change/").content.decode()
    assert "Publish reply" not in page and 'value="approve"' not in page
    held.refresh_from_db()
    assert not held.is_public and not Comment.objects.filter(by_staff=True).exists()


def test_readers_and_anonymous_visitors_are_sent_to_the_login(db):
    held = CommentFactory(held=True)
    response = Client().post(moderate_url(held), {"action": "approve"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    held.refresh_from_db()
    assert not held.is_public


def test_comment_page_has_the_actions_and_no_save_buttons(moderator):
    held = CommentFactory(held=True, body="Held words")
    html = login(moderator).get(f"{QUEUE}{held.pk}/change/").content.decode()
    for label in ("Approve", "Spam", "Remove"):
        assert f">{label}</button>" in html
    assert "Publish reply" in html and 'form="comment-reply"' in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html and "Save" not in html
    assert f'action="{moderate_url(held)}"' in html and f'action="{reply_url(held)}"' in html


def test_staff_reply_is_published_threaded_and_marked_as_staff(moderator):
    parent = CommentFactory(name="Haruka", body="Parent words")
    reader = Client()
    assert "Parent words" in reader.get(parent.article.get_absolute_url()).content.decode()  # now cached
    client = login(moderator)
    form = client.get(f"{QUEUE}{parent.pk}/change/").content.decode()
    assert 'value="Aiko Tanaka"' in form  # signed with the staff member's name by default
    change = f"{QUEUE}{parent.pk}/change/"
    response = client.post(reply_url(parent), {"name": "Aiko Tanaka", "body": "Thank you!", "next": change})
    assert response.status_code == 302 and response["Location"] == change
    reply = Comment.objects.get(by_staff=True)
    assert reply.parent == parent and reply.depth == 1 and reply.is_public
    assert reply.moderated_by == moderator and reply.email == moderator.email
    assert "Your reply to Haruka is published." in client.get(change).content.decode()

    html = reader.get(parent.article.get_absolute_url()).content.decode()  # the cached copy is retired
    staff = html[html.index(f'id="comment-{reply.pk}"') :]
    assert 'class="comment comment-staff"' in html
    assert '<span class="comment-badge">Staff</span>' in staff[:600]
    assert html.index("Parent words") < html.index('class="comment-replies"') < html.index("Thank you!")


def test_reply_to_a_held_comment_approves_it(moderator):
    held = CommentFactory(held=True, body="Held words")
    login(moderator).post(reply_url(held), {"name": "The magazine", "body": "Welcome!"})
    held.refresh_from_db()
    assert held.is_public and held.moderated_by == moderator
    html = Client().get(held.article.get_absolute_url()).content.decode()
    assert html.index("Held words") < html.index("Welcome!")


def test_empty_reply_is_refused_with_a_message_and_the_name_kept(moderator):
    parent = CommentFactory()
    response = login(moderator).post(reply_url(parent), {"name": "Signed Name", "body": "   "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please write the reply." in html and 'value="Signed Name"' in html
    assert not Comment.objects.filter(by_staff=True).exists()


def test_reply_to_a_removed_comment_is_refused_and_the_text_kept(moderator):
    removed = CommentFactory(removed=True)
    response = login(moderator).post(reply_url(removed), {"name": "Aiko", "body": "Kept text"})
    html = response.content.decode()
    assert "approve it again before replying" in html and "Kept text" in html
    assert not Comment.objects.filter(by_staff=True).exists()


def test_reply_page_from_a_row_link_shows_the_comment(moderator):
    parent = CommentFactory(name="Haruka", body="Parent words")
    html = login(moderator).get(reply_url(parent)).content.decode()
    assert "Reply to Haruka" in html and "Parent words" in html and "Publish reply" in html


def test_a_staff_address_does_not_make_readers_known_authors(moderator, post_comment):
    parent = CommentFactory()
    login(moderator).post(reply_url(parent), {"name": "Aiko", "body": "From the magazine"})
    post_comment(ArticleFactory(), email=moderator.email, body="Pretending to be staff")
    comment = Comment.objects.get(body="Pretending to be staff")
    assert not comment.is_public and not comment.by_staff
