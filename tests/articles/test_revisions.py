"""Revisions of a list: recorded on every real change, compared in an editor's words, restored."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision, Entry
from articles.revisions import article_revision_record, changelog, live_state, rank_changes, word_diff
from articles.services import entry_insert_at, entry_move, entry_remove, listicle_import, revision_restore
from tests.articles.test_admin import article_form, change_url, existing
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked():
    article = ArticleFactory(title="Five Films", draft=True)
    for rank, title in enumerate(["Your Name", "Wolf Children", "Hal", "Josee", "Mirai"], start=1):
        EntryFactory(article=article, rank=rank, film=FilmFactory(title=title), write_up=f"About {title}.")
    article_revision_record(article=article)
    return article


def history(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def lines(changes):
    return [c.text for c in changes]


def test_an_admin_save_records_a_revision_with_the_editor_and_the_entries(staff_client, ranked):
    data = article_form(ranked, existing(ranked), dek="A new standfirst")
    assert staff_client.post(change_url(ranked), data).status_code == 302
    latest = ArticleRevision.objects.filter(article=ranked).select_related("revision__user").first()
    assert latest.version == 2  # version 1 is the fixture's first revision
    assert latest.revision.user.username == "admin" or latest.revision.user.is_staff
    state = live_state(ranked)
    assert [e.title for e in state.entries] == ["Your Name", "Wolf Children", "Hal", "Josee", "Mirai"]
    assert state.fields["dek"] == "A new standfirst"


def test_a_save_that_changes_nothing_records_nothing_and_logs_no_changed_hashtags(staff_client, ranked):
    ranked.hashtags.add("SadAnime", "RomanceAnime")
    article_revision_record(article=ranked)
    before = ArticleRevision.objects.filter(article=ranked).count()
    published = timezone.localtime(ranked.published_at)
    data = article_form(
        ranked,
        existing(ranked),
        hashtags="#romanceanime #SadAnime",
        dek=ranked.dek,
        intro=ranked.intro,
        conclusion=ranked.conclusion,
        author=ranked.author_id,
        comments_open="on",
        published_at_0=published.strftime("%Y-%m-%d"),
        published_at_1=published.strftime("%H:%M:%S"),
    )
    for i, entry in enumerate(ranked.entries.order_by("rank")):
        data[f"entries-{i}-write_up"] = entry.write_up
    response = staff_client.post(change_url(ranked), data)
    assert response.status_code == 302
    from articles.revisions import states_of

    revisions = list(ArticleRevision.objects.filter(article=ranked)[:2])
    states = states_of(revisions)
    assert ArticleRevision.objects.filter(article=ranked).count() == before, lines(
        changelog(states[revisions[1].pk], states[revisions[0].pk])
    )
    log = LogEntry.objects.filter(object_id=str(ranked.pk)).latest("action_time")
    assert "Hashtags" not in log.get_change_message()
    assert "version" not in log.get_change_message().lower()


def test_services_record_revisions_too(ranked):
    entry_insert_at(article=ranked, film=FilmFactory(title="Akira"), rank=1)
    entry_move(entry=Entry.objects.get(article=ranked, film__title="Hal"), rank=2)
    entry_remove(entry=Entry.objects.get(article=ranked, film__title="Mirai"))
    assert list(ArticleRevision.objects.filter(article=ranked).values_list("version", flat=True)) == [4, 3, 2, 1]
    ranked.refresh_from_db()
    assert ranked.version == 4


def test_an_import_records_a_revision_by_the_importer():
    editor = UserFactory(username="importer")
    report = listicle_import(text="# Two Films\n\n1. Akira\nWords.\n\n2. Paprika\nMore words.\n", author=editor)
    revision = ArticleRevision.objects.select_related("revision__user").get(article=report.article)
    assert revision.revision.user == editor
    assert revision.revision.comment == "Imported from text"


def test_rank_changelog_speaks_in_ranks(ranked):
    old = live_state(ranked)
    entries = {e.film.title: e for e in ranked.entries.select_related("film")}
    entry_move(entry=entries["Hal"], rank=1)
    entry_remove(entry=entries["Mirai"])
    entry_insert_at(article=ranked, film=FilmFactory(title="Akira"), rank=4)
    Entry.objects.filter(article=ranked, film__title="Josee").update(
        write_up="About Josee.\n\nA second paragraph.\n\nA third."
    )
    assert lines(changelog(old, live_state(ranked))) == [
        "Hal moved #3 → #1",
        "Akira added at #4",
        "Mirai removed (was #5)",
        "#5 write-up: 2 paragraphs changed",
    ]


def test_entries_pushed_down_by_an_insert_are_not_called_moved(ranked):
    old = live_state(ranked)
    entry_insert_at(article=ranked, film=FilmFactory(title="Akira"), rank=1)
    assert lines(rank_changes(old, live_state(ranked))) == ["Akira added at #1"]


def test_word_diff_is_escaped_and_marks_words():
    html = word_diff("The <b>sad</b> film", "The <b>happy</b> film")
    assert "<del>&lt;b&gt;sad&lt;/b&gt;</del><ins>&lt;b&gt;happy&lt;/b&gt;</ins>" in html
    assert "<b>" not in html


def test_history_page_shows_who_when_state_and_the_changelog(staff_client, ranked):
    entry_move(entry=Entry.objects.get(article=ranked, film__title="Hal"), rank=1)
    Article.objects.filter(pk=ranked.pk).update(intro="A brand new intro.")
    article_revision_record(article=ranked)
    response = staff_client.get(history(ranked))
    page = response.content.decode()
    assert response.status_code == 200
    assert "What changed from version 2 to version 3" in page
    assert "<del>First</del>" in page or "<del>" in page
    staff_client.get(history(ranked))  # the default comparison is the latest against the one before
    oldest, newest = ArticleRevision.objects.filter(article=ranked).order_by("version")[::2]
    page = staff_client.get(history(ranked), {"a": oldest.pk, "b": newest.pk}).content.decode()
    assert "Hal moved #3 → #1" in page
    assert "Draft" in page


def test_history_numbers_from_1_and_says_scheduled_for_a_list_not_live_yet(staff_client):
    """Before: the first revision was version 2, and a scheduled list's revision said "Published"."""
    import datetime

    from articles.services import article_publish, article_schedule

    film = FilmFactory(title="Akira")
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        article_form(entries=[{"film": film, "rank": 1}], title="One Film", _continue="1"),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="One Film")
    at = timezone.now() + datetime.timedelta(days=2)
    article_schedule(article=article, at=at, by=staff_client.user)
    article_revision_record(article=article)
    article_publish(article=article, by=staff_client.user)
    article_revision_record(article=article)
    page = staff_client.get(history(article)).content.decode()
    rows = re.findall(r'<th scope="row">(\d+)</th>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td>([^<]*)</td>', page, re.S)
    assert [version for version, _ in rows] == ["3", "2", "1"]
    states = [re.sub(r"\s+", " ", state) for _, state in rows]
    assert states[0] == "Published"
    assert states[1].startswith("Scheduled for ") and states[2] == "Draft"


def test_history_is_linked_from_the_change_page(staff_client, ranked):
    page = staff_client.get(change_url(ranked)).content.decode()
    assert f'href="{history(ranked)}"' in page


def test_history_page_query_count_is_pinned_and_flat(staff_client, ranked):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(history(ranked)).status_code == 200
        return len(ctx.captured_queries)

    staff_client.get(history(ranked))
    few = count()
    for n in range(25):
        Article.objects.filter(pk=ranked.pk).update(dek=f"Standfirst {n}")
        article_revision_record(article=ranked, user=UserFactory())
    many = count()
    # 7 since the states shown (scheduled or published) are read from the lists' own rows, one query.
    assert few == many == 7, (few, many)


def test_history_bad_parameters_are_not_errors(staff_client, ranked):
    assert staff_client.get(history(ranked), {"a": "x", "b": "999999", "page": "nope"}).status_code == 200


def test_restore_brings_back_the_old_order_as_a_new_revision(staff_client, ranked):
    first = ArticleRevision.objects.get(article=ranked)
    entry_move(entry=Entry.objects.get(article=ranked, film__title="Hal"), rank=1)
    Article.objects.filter(pk=ranked.pk).update(title="Five Films, Reordered")
    article_revision_record(article=ranked)
    response = staff_client.post(reverse("admin:articles_article_restore", args=[ranked.pk, first.pk]), follow=True)
    assert "Restored version 1 as a new revision (version 4)" in response.content.decode()
    assert list(ranked.entries.order_by("rank").values_list("film__title", flat=True)) == [
        "Your Name",
        "Wolf Children",
        "Hal",
        "Josee",
        "Mirai",
    ]
    ranked.refresh_from_db()
    assert ranked.title == "Five Films"
    assert ArticleRevision.objects.filter(article=ranked).count() == 4  # nothing overwritten: 2, 3, 4 and 5


def test_restoring_a_revision_whose_film_was_deleted_says_so_and_restores_the_rest(staff_client, ranked):
    first = ArticleRevision.objects.get(article=ranked)
    hal = Entry.objects.get(article=ranked, film__title="Hal")
    film = hal.film
    entry_remove(entry=hal)
    film.delete()
    response = staff_client.post(reverse("admin:articles_article_restore", args=[ranked.pk, first.pk]), follow=True)
    page = response.content.decode()
    assert "“Hal” (#3 in version 1) was not restored: the film has since been deleted" in page
    assert list(ranked.entries.order_by("rank").values_list("rank", "film__title")) == [
        (1, "Your Name"),
        (2, "Wolf Children"),
        (3, "Josee"),
        (4, "Mirai"),
    ]


def test_restoring_a_published_list_shows_what_readers_will_see_change_and_asks_first(staff_client, ranked):
    """Before: a restore on a published list went live at once, with no question."""
    from articles.services import article_publish

    first = ArticleRevision.objects.get(article=ranked)
    entry_move(entry=Entry.objects.get(article=ranked, film__title="Hal"), rank=1)
    article_publish(article=ranked)
    url = reverse("admin:articles_article_restore", args=[ranked.pk, first.pk])
    page = staff_client.post(url).content.decode()
    assert "Restore version 1 of a published list?" in page
    assert "readers see the restored version as soon as you confirm" in page
    assert "Hal moved #1 → #3" in page
    assert ranked.entries.get(rank=1).film.title == "Hal"  # nothing restored yet
    response = staff_client.post(url, {"confirm": "Restore version 1 on the site"}, follow=True)
    assert "Restored version 1 as a new revision" in response.content.decode()
    assert ranked.entries.get(rank=1).film.title == "Your Name"


def test_restore_needs_the_permission(client, ranked):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client.force_login(user)
    first = ArticleRevision.objects.get(article=ranked)
    assert "Restore version" not in client.get(history(ranked)).content.decode()
    response = client.post(reverse("admin:articles_article_restore", args=[ranked.pk, first.pk]))
    assert response.status_code == 403


def test_restore_service_keeps_address_and_state(ranked):
    first = ArticleRevision.objects.get(article=ranked)
    Article.objects.filter(pk=ranked.pk).update(status=Article.Status.PUBLISHED, slug="moved-on")
    report = revision_restore(article=ranked, revision=first)
    assert report.article.status == Article.Status.PUBLISHED
    assert report.article.slug == "moved-on"
