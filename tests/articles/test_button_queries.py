"""
Every button of a list's change page is one pass: one service call that saves
the list once, records one revision and retires the page cache once, in a
number of SQL statements that does not grow with the list.

Counted: the statements of the POST itself, from the session to the redirect
(on-commit work — the page cache's one flush, the search index, mail — runs
after the request has answered and is checked separately: one retire).
"""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision, Entry, Transition
from articles.revisions import article_revision_record
from tests.factories import HashtagFactory, StaffFactory, UserFactory, make_list

from .test_admin import article_form, change_url

pytestmark = pytest.mark.django_db

# What each button should cost on a list of any length, written before
# measuring (the target: Publish now in at most 30).
TARGET = {
    "save_draft": 26,
    "move": 30,
    "submit": 26,
    "publish": 28,
    "schedule": 28,
    "unpublish": 28,
    "send_back": 28,
    "restore": 20,
}

# The pinned numbers: a change that adds a statement to a button must say so here.
PINNED = dict(TARGET)


def writer_client():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Writers"))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def editor_client():
    client = Client()
    client.user = StaffFactory()
    client.force_login(client.user)
    return client


def a_list(n, *, status, author=None, published_at=None):
    article = make_list(n, status=status, author=author or UserFactory(),
                        **({"published_at": published_at} if published_at else {}))
    article.hashtags.add(HashtagFactory(), HashtagFactory())
    article_revision_record(article=article)  # every list in use has a revision
    return Article.objects.get(pk=article.pk)


def as_it_stands(article, entries=None, **changes):
    """The change form posted as the page shows it (what an editor sends who edits nothing), plus `changes`."""
    entries = entries if entries is not None else [
        {"id": e.pk, "rank": e.rank, "film": e.film, "heading": e.heading, "write_up": e.write_up}
        for e in article.entries.order_by("rank").select_related("film")
    ]
    published = timezone.localtime(article.published_at)
    return article_form(article, entries, **{
        "dek": article.dek, "intro": article.intro, "conclusion": article.conclusion, "sign_off": article.sign_off,
        "author": article.author_id or "", "comments_open": "on" if article.comments_open else "",
        "hashtags": ", ".join(t.name for t in article.hashtags.all()),
        "published_at_0": published.strftime("%Y-%m-%d"), "published_at_1": published.strftime("%H:%M:%S"),
        **changes,
    })


def soon():
    return timezone.localtime() + datetime.timedelta(days=2)


def save_draft(n):
    article = a_list(n, status=Article.Status.DRAFT)
    data = as_it_stands(article, intro="A new intro.", _continue="1")
    data["entries-2-write_up"] = "A new paragraph on the third film."
    return editor_client(), change_url(article), data


def move(n):
    # The last two entries change places: two entries move, the others stay.
    article = a_list(n, status=Article.Status.DRAFT)
    data = as_it_stands(article, _continue="1")
    data[f"entries-{n - 1}-rank"] = n - 1
    return editor_client(), change_url(article), data


def submit(n):
    client = writer_client()
    article = a_list(n, status=Article.Status.DRAFT, author=client.user)
    data = as_it_stands(article, _submit="1")
    data.pop("author")  # read-only for a writer
    return client, change_url(article), data


def publish(n):
    article = a_list(n, status=Article.Status.DRAFT)
    return editor_client(), change_url(article), as_it_stands(article, _publish="1")


def schedule(n):
    article = a_list(n, status=Article.Status.DRAFT)
    at = soon()
    data = as_it_stands(article, _schedule="1",
                        schedule_date=at.strftime("%Y-%m-%d"), schedule_time="09:00")
    return editor_client(), change_url(article), data


def unpublish(n):
    article = a_list(n, status=Article.Status.PUBLISHED)
    return editor_client(), change_url(article), as_it_stands(article, _unpublish="1")


def send_back(n):
    article = a_list(n, status=Article.Status.REVIEW)
    data = as_it_stands(article, _send_back="1", review_note="Say why #1 is #1.")
    return editor_client(), change_url(article), data


def restore(n):
    article = a_list(n, status=Article.Status.DRAFT)
    old = ArticleRevision.objects.filter(article=article).first()
    Article.objects.filter(pk=article.pk).update(intro="An intro rewritten since.")
    article_revision_record(article=article)
    url = reverse("admin:articles_article_restore", args=[article.pk, old.pk])
    return editor_client(), url, {}


BUTTONS = {f.__name__: f for f in [save_draft, move, submit, publish, schedule, unpublish, send_back, restore]}


def press(button, n, django_capture_on_commit_callbacks):
    """Press `button` on a list of `n` entries: (statements in the request, saves, revisions, retires)."""
    client, url, data = BUTTONS[button](n)
    # The request is a transaction of its own in production: what setting up
    # the list left to do on a commit that never comes is not the button's.
    connection.run_on_commit = []
    saves = []

    def saved(sender, instance, **kwargs):
        saves.append(instance.pk)

    post_save.connect(saved, sender=Article, dispatch_uid="test_button_queries")
    revisions = ArticleRevision.objects.count()
    try:
        with mock.patch("pagecache.store.retire", wraps=__import__("pagecache.store").store.retire) as retire:
            with django_capture_on_commit_callbacks() as callbacks:
                with CaptureQueriesContext(connection) as queries:
                    response = client.post(url, data)
            assert retire.call_count == 0, "retired before the commit"
            for callback in callbacks:
                callback()
    finally:
        post_save.disconnect(dispatch_uid="test_button_queries", sender=Article)
    assert response.status_code == 302, response.context and response.context.get("errors")
    return len(queries), queries, len(saves), ArticleRevision.objects.count() - revisions, retire.call_count


@pytest.fixture
def commit_path(settings):
    # Production retires on commit, once per transaction (pagecache/invalidation.py).
    settings.PAGECACHE_RETIRE_IN_TRANSACTION = False


def test_measure(commit_path, django_capture_on_commit_callbacks):
    for button in BUTTONS:
        press(button, 2, django_capture_on_commit_callbacks)
        five, _, *_ = press(button, 5, django_capture_on_commit_callbacks)
        twenty, queries, *rest = press(button, 20, django_capture_on_commit_callbacks)
        print("MEASURE", button, five, twenty, rest)


@pytest.mark.parametrize("button", sorted(BUTTONS))
def test_each_button_is_one_pass_in_a_pinned_number_of_statements(button, commit_path,
                                                                    django_capture_on_commit_callbacks):
    press(button, 2, django_capture_on_commit_callbacks)  # fills the content-type and permission caches
    five, _, *_ = press(button, 5, django_capture_on_commit_callbacks)
    twenty, queries, saves, revisions, retires = press(button, 20, django_capture_on_commit_callbacks)
    listing = "\n".join(q["sql"][:160] for q in queries.captured_queries)
    assert five == twenty == PINNED[button], f"{button}: {five} at 5 entries, {twenty} at 20\n{listing}"
    assert PINNED[button] <= TARGET[button]
    assert (saves, revisions, retires) == (1, 1, 1), (saves, revisions, retires)


def test_a_button_that_changes_nothing_but_the_state_writes_no_entry(commit_path, django_capture_on_commit_callbacks):
    client, url, data = publish(20)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    writes = [q["sql"] for q in queries.captured_queries if "articles_entry" in q["sql"].split(" WHERE")[0]
              and q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []
    assert Transition.objects.filter(to_state="published").count() == 1


def test_a_move_writes_only_the_entries_that_moved(commit_path, django_capture_on_commit_callbacks):
    client, url, data = move(20)
    article = Article.objects.get(pk=int(url.rstrip("/").split("/")[-2]))
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "articles_entry"')]
    # One statement moves the two out of the way, one each puts them at their new rank.
    assert len(updates) == 3, updates
    ranks = list(Entry.objects.filter(article=article).order_by("rank").values_list("rank", flat=True))
    assert ranks == list(range(1, 21))
