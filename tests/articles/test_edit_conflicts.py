"""No lost updates: a save based on an older version of a list is refused, and nothing typed is lost."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from articles.models import Article, Entry
from articles.revisions import article_revision_record
from articles.services import EditConflict, ListEdit, article_save, entries_save_in_order
from tests.articles.test_admin import abc, article_form, change_url, existing  # noqa: F401
from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def recorded(abc):
    """The list as it was when the editors opened it is a recorded revision."""
    article_revision_record(article=abc)


def opened(article):
    """The form as an editor's page holds it: the list as stored, at the version they opened."""
    article = Article.objects.get(pk=article.pk)
    published = timezone.localtime(article.published_at)
    data = article_form(
        article,
        existing(article),
        dek=article.dek,
        intro=article.intro,
        conclusion=article.conclusion,
        author=article.author_id,
        comments_open="on" if article.comments_open else "",
        published_at_0=published.strftime("%Y-%m-%d"),
        published_at_1=published.strftime("%H:%M:%S"),
    )
    for i, entry in enumerate(article.entries.order_by("rank")):
        data[f"entries-{i}-write_up"] = entry.write_up
    return data


def test_the_second_of_two_saves_from_the_same_version_is_refused_with_the_changes(staff_client, abc):
    first = opened(abc)
    second = opened(abc)
    first["dek"] = "A's new standfirst"
    first["entries-2-rank"] = "1"  # C to the top
    assert staff_client.post(change_url(abc), first).status_code == 302

    second["sign_off"] = "B's sign-off, typed with care"
    response = staff_client.post(change_url(abc), second)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this list after you opened it" in page
    assert "C moved #3 → #1" in page
    assert "Standfirst changed" in page
    assert "B&#x27;s sign-off, typed with care" in page or "B's sign-off, typed with care" in page
    abc.refresh_from_db()
    assert abc.dek == "A's new standfirst" and abc.sign_off == ""  # A's save stands, B's waits


def test_overwriting_deliberately_saves_the_typed_version(staff_client, abc):
    first, second = opened(abc), opened(abc)
    first["dek"] = "A's new standfirst"
    staff_client.post(change_url(abc), first)
    response = staff_client.post(change_url(abc), {**second, "sign_off": "B's"})
    seen = response.context["adminform"].form.data["seen_version"]

    retry = {**second, "sign_off": "B's", "seen_version": seen, "overwrite": "on"}
    assert staff_client.post(change_url(abc), retry).status_code == 302
    abc.refresh_from_db()
    assert (abc.dek, abc.sign_off) == ("A list worth reading.", "B's")  # B's form, all of it


def test_resubmitting_without_ticking_overwrite_is_refused_again(staff_client, abc):
    first, second = opened(abc), opened(abc)
    first["dek"] = "A's"
    staff_client.post(change_url(abc), first)
    response = staff_client.post(change_url(abc), second)
    seen = response.context["adminform"].form.data["seen_version"]
    response = staff_client.post(change_url(abc), {**second, "seen_version": seen})
    assert response.status_code == 200
    assert "Someone else saved this list" in response.content.decode()


def test_a_save_with_nothing_changed_by_the_other_editor_is_not_a_conflict(staff_client, abc):
    first, second = opened(abc), opened(abc)
    # The first editor presses Save without changing anything: no new version.
    staff_client.post(change_url(abc), first)
    second["dek"] = "B's"
    assert staff_client.post(change_url(abc), second).status_code == 302


def test_a_form_without_a_version_is_refused_with_a_message(staff_client, abc):
    data = opened(abc)
    del data["version"]
    response = staff_client.post(change_url(abc), data)
    assert response.status_code == 200
    assert "does not say which version of the list it was opened at" in response.content.decode()


def test_a_film_added_meanwhile_is_a_message_not_an_error(abc):
    film = FilmFactory(title="Akira")
    Entry.objects.create(article=abc, film=film, rank=4)  # someone else, a moment ago
    entries = list(abc.entries.exclude(film=film).order_by("rank")) + [Entry(article=abc, film=film)]
    with pytest.raises(ValidationError) as refused:
        entries_save_in_order(article=abc, entries=entries)
    assert "“Akira” was added to this list by someone else a moment ago" in refused.value.messages[0]


# --- Two transactions at once ----------------------------------------------------


def _save_in_thread(article_id, base, barrier, results, dek):
    """One editor's save on its own connection: check the version, write, record."""
    try:
        # Both start together from the same version; SQLite queues the second
        # at BEGIN IMMEDIATE, PostgreSQL at the row lock of the version check.
        barrier.wait(timeout=10)
        with transaction.atomic():
            article = Article.objects.get(pk=article_id)
            article.dek = dek
            article_save(article=article, edit=ListEdit(base=base))  # the change page's path
        results.append(("saved", dek))
    except EditConflict as conflict:
        results.append(("refused", dek, conflict.current))
    finally:
        close_old_connections()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_cannot_both_win():
    from tests.factories import ArticleFactory

    article = ArticleFactory(title="Contested", draft=True)
    article_revision_record(article=article)
    base = Article.objects.get(pk=article.pk).version
    barrier, results = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_save_in_thread, args=(article.pk, base, barrier, results, dek))
        for dek in ("A's standfirst", "B's standfirst")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["refused", "saved"], results
    winner = next(r[1] for r in results if r[0] == "saved")
    article.refresh_from_db()
    assert article.dek == winner
    assert article.version == base + 1
