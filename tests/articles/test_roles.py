"""
The editorial roles, each tried through the admin as that person would: what
they can do works, and what they cannot is a 403 or a missing button, never a 500.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from articles.models import Article, State
from tests.articles.test_admin import article_form, change_url, existing
from tests.factories import ArticleFactory, CommentFactory, EntryFactory, FilmFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def member(role, username, **kwargs):
    user = UserFactory(username=username, is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def writer():
    return member("Writers", "wren")


@pytest.fixture
def editor():
    return member("Editors", "eddie", email="eddie@example.com")


def a_list(author, **kwargs):
    article = ArticleFactory(author=author, **kwargs)
    EntryFactory(article=article, rank=1, film=FilmFactory())
    return article


# --- Writers ---------------------------------------------------------------------


def test_a_writer_creates_a_list_as_its_author(writer):
    other = UserFactory(username="someone")
    film = FilmFactory(title="Wolf Children")
    response = writer.post(
        reverse("admin:articles_article_add"),
        article_form(
            entries=[{"film": film, "rank": 1}],
            title="My First List",
            author=other.pk,
            _continue="1",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="My First List")
    assert article.author == writer.user and article.status == Article.Status.DRAFT


def test_a_writer_sees_submit_for_review_and_no_publishing_buttons(writer):
    page = writer.get(change_url(a_list(writer.user, draft=True))).content.decode()
    assert 'name="_submit"' in page
    for button in ["_publish", "_schedule", "_unpublish", "_send_back"]:
        assert f'name="{button}"' not in page
    assert "publish_now" not in writer.get(CHANGELIST).content.decode()


@pytest.mark.parametrize("button", ["_publish", "_schedule", "_unpublish"])
def test_a_writer_pressing_a_publishing_button_anyway_gets_403(writer, button):
    article = a_list(writer.user, draft=True)
    response = writer.post(change_url(article), article_form(article, existing(article), **{button: "1"}))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_writer_cannot_publish_with_the_bulk_action(writer):
    article = a_list(writer.user, draft=True)
    response = writer.post(CHANGELIST, {"action": "publish_now", "_selected_action": [article.pk]})
    assert response.status_code in (200, 302)  # the admin answers "No action selected."
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_writer_submits_for_review_and_the_editors_are_mailed(writer, editor, django_capture_on_commit_callbacks):
    article = a_list(writer.user, draft=True, title="Five Quiet Films")
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(change_url(article), article_form(article, existing(article), _submit="1"), follow=True)
    assert "is in review: the editors have been told" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert [m.to for m in mail.outbox] == [["eddie@example.com"]]
    assert "Five Quiet Films" in mail.outbox[0].subject
    assert f"http://testserver{change_url(article)}" in mail.outbox[0].body


@pytest.mark.parametrize("state", ["published", "draft"])
def test_a_writer_cannot_change_someone_elses_list(writer, state):
    article = a_list(UserFactory(username="colleague"), status=state)
    page = writer.get(change_url(article))
    assert page.status_code == 200  # to read
    assert 'name="_continue"' not in page.content.decode()
    response = writer.post(
        change_url(article), article_form(article, existing(article), title="Mine now", _continue="1")
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Mine now"


def test_a_writer_cannot_renumber_someone_elses_list(writer):
    article = ArticleFactory(author=UserFactory(username="colleague"), draft=True)
    for rank in (2, 5):
        EntryFactory(article=article, rank=rank, film=FilmFactory())
    writer.post(CHANGELIST, {"action": "renumber", "_selected_action": [article.pk]})
    assert list(article.entries.values_list("rank", flat=True)) == [2, 5]


def test_a_writer_cannot_change_their_own_list_once_published(writer):
    article = a_list(writer.user)
    response = writer.post(
        change_url(article), article_form(article, existing(article), title="Changed live", _continue="1")
    )
    assert response.status_code == 403


def test_a_writer_sees_the_calendar_but_cannot_reschedule(writer):
    article = a_list(writer.user, scheduled=True)
    page = writer.get(reverse("admin:articles_article_calendar")).content.decode()
    assert article.title in page and "Reschedule" not in page
    response = writer.post(reverse("admin:articles_article_reschedule", args=[article.pk]), {})
    assert response.status_code == 403


def test_a_writer_sees_the_editors_note_on_the_list(writer, editor):
    article = a_list(writer.user, status=Article.Status.REVIEW)
    editor.post(
        change_url(article),
        article_form(
            article, existing(article), review_note="Cut the intro in half.", author=writer.user.pk, _send_back="1"
        ),
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    page = writer.get(change_url(article)).content.decode()
    assert "Sent back by" in page and "Cut the intro in half." in page
    assert 'name="_submit"' in page  # and can submit again


# --- Editors ---------------------------------------------------------------------


def test_an_editor_changes_anyones_list_and_publishes(editor):
    article = a_list(UserFactory(username="colleague"), status=Article.Status.REVIEW)
    page = editor.get(change_url(article)).content.decode()
    for button in ["_publish", "_schedule", "_send_back"]:
        assert f'name="{button}"' in page
    assert "Approve and schedule" in page
    response = editor.post(change_url(article), article_form(article, existing(article), _publish="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert 'name="_unpublish"' in editor.get(change_url(article)).content.decode()


def test_a_send_back_without_a_note_is_a_message(editor):
    article = a_list(UserFactory(username="colleague"), status=Article.Status.REVIEW)
    response = editor.post(change_url(article), article_form(article, existing(article), _send_back="1"))
    assert response.status_code == 200
    assert "Write a note for the writer" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_editors_hold_the_permissions_the_revisions_and_share_links_use(editor, writer):
    for perm in ["publish_article", "restore_revision", "share_draft", "delete_article"]:
        assert editor.user.has_perm(f"articles.{perm}")
        assert not writer.user.has_perm(f"articles.{perm}")


# --- Cataloguers and moderators --------------------------------------------------


def test_a_cataloguer_keeps_the_catalogue_and_not_the_lists():
    cataloguer = member("Cataloguers", "cat")
    for model in ["film", "person", "studio", "credit", "mood"]:
        assert cataloguer.get(reverse(f"admin:films_{model}_changelist")).status_code == 200
        assert cataloguer.user.has_perms([f"films.{verb}_{model}" for verb in ("add", "change", "delete")])
    assert cataloguer.get(CHANGELIST).status_code == 403
    assert cataloguer.get(reverse("admin:articles_article_calendar")).status_code == 403


def test_a_moderator_keeps_the_comment_queue_and_not_the_lists():
    moderator = member("Moderators", "mod")
    CommentFactory(held=True)
    assert moderator.get(reverse("admin:comments_comment_changelist")).status_code == 200
    assert moderator.get(CHANGELIST).status_code == 403
    assert moderator.get(reverse("admin:films_film_changelist")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_roles_migration_is_reversible():
    from django.core.management import call_command

    Group.objects.get_or_create(name="Moderators")  # the comments app's (flushed by earlier transactional tests)
    call_command("migrate", "articles", "0006", verbosity=0)  # just before the roles migration
    assert not Group.objects.filter(name__in=["Writers", "Editors", "Cataloguers"]).exists()
    call_command("migrate", "articles", verbosity=0)
    assert Group.objects.get(name="Editors").permissions.filter(codename="publish_article").exists()
    assert Group.objects.filter(name="Moderators").exists()  # the comments app's role is left alone
