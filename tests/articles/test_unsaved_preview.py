"""
The change form's Preview button: the form as it stands, shown as the public
page would show it, and nothing of it kept — no rows, no revision, no new
film, no file, no message for later, and no trace a reader could see.
"""

import re
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article, ArticleRevision, Entry
from films.models import Film
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, StaffFactory
from tests.films.test_posters import image_file

from .test_admin import PREFIX, abc, article_form, change_url, existing, order  # noqa: F401

pytestmark = pytest.mark.django_db


def preview_url(article=None):
    if article is None:
        return reverse("admin:articles_article_preview_add")
    return reverse("admin:articles_article_preview", args=[article.pk])


def listed(html):
    """The titles in the page's contents, in rank order."""
    contents = re.search(r'<nav class="contents".*?</nav>', html, re.S)[0]
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', contents)


def stored(article):
    """Everything a save would change, read back from the database."""
    article = Article.objects.get(pk=article.pk)
    return (
        article.title,
        article.version,
        order(article),
        sorted(t.name for t in article.hashtags.all()),
        ArticleRevision.objects.filter(article=article).count(),
        LogEntry.objects.count(),
        Film.objects.count(),
    )


def rearranged(article):
    """C moved to #1, a film made on the spot inserted at #2, B deleted, hashtags and title changed."""
    a, b, c = existing(article)
    data = article_form(
        article,
        [
            {**a, "rank": 3},
            {**b, "DELETE": True},
            {**c, "rank": 1, "write_up": "Now first, and said so."},
            {"film": FilmFactory(title="placeholder")},
        ],
        title="Top 3 Quiet Films, Reordered",
        hashtags="#Quiet #Rain",
    )
    data.update(
        {
            f"{PREFIX}-3-film": "",
            f"{PREFIX}-3-rank": "2",
            f"{PREFIX}-3-new_film_title": "The Wind Rises",
            f"{PREFIX}-3-new_film_year": "2013",
            f"{PREFIX}-3-new_film_format": "feature",
            f"{PREFIX}-3-write_up": "A dream of flight.",
        }
    )
    return data


def test_the_preview_shows_the_form_as_it_would_be_saved_and_keeps_nothing(staff_client, abc):  # noqa: F811
    data = rearranged(abc)
    before = stored(abc)
    response = staff_client.post(preview_url(abc), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — not saved." in html
    assert '<h1 id="article-title">Top 3 Quiet Films, Reordered</h1>' in html
    assert listed(html) == ["C", "The Wind Rises", "A"]
    assert "Now first, and said so." in html and "#Rain" in html
    assert stored(abc) == before
    assert not Film.objects.filter(title="The Wind Rises").exists()


def test_the_preview_is_never_stored_or_indexed(staff_client, abc):  # noqa: F811
    response = staff_client.post(preview_url(abc), rearranged(abc))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_the_saves_messages_do_not_follow_the_editor_to_the_next_page(staff_client, abc):  # noqa: F811
    # Inserting at #1 renumbers the rest: a real save says so on the next page; a preview must not.
    data = article_form(abc, existing(abc) + [{"rank": 1, "film": FilmFactory(title="D")}])
    assert staff_client.post(preview_url(abc), data).status_code == 200
    html = staff_client.get(change_url(abc)).content.decode()
    assert "renumbered" not in html and "successfully" not in html
    assert order(abc) == [(1, "A"), (2, "B"), (3, "C")]


def test_a_new_list_is_previewed_without_being_created(staff_client):
    films = [FilmFactory(title=t) for t in "XYZ"]
    lists, revisions = Article.objects.count(), ArticleRevision.objects.count()
    response = staff_client.post(preview_url(), article_form(entries=[{"film": f} for f in reversed(films)]))
    assert response.status_code == 200
    assert listed(response.content.decode()) == ["Z", "Y", "X"]
    assert (Article.objects.count(), ArticleRevision.objects.count(), Entry.objects.count()) == (lists, revisions, 0)


def test_a_form_that_would_not_save_shows_why_in_the_preview_tab(staff_client, abc):  # noqa: F811
    before = stored(abc)
    a, b, c = existing(abc)
    data = article_form(abc, [a, b, {**c, "film": a["film"]}], title="")
    response = staff_client.post(preview_url(abc), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Preview — not saved</h1>" in html
    problems = " ".join(
        re.sub(r"<[^>]+>", " ", re.search(r'<div class="error-summary".*?</div>', html, re.S)[0]).split()
    )
    assert "Title: This field is required." in problems
    assert "“A” is in this list 2 times" in problems, problems
    assert "still in the editor's tab exactly as you typed it" in html
    assert stored(abc) == before


def test_an_edit_conflict_is_named_in_the_preview_tab(staff_client, abc):  # noqa: F811
    from articles.revisions import article_revision_record

    article_revision_record(article=abc)  # version 1; the page was opened at 0, before it
    data = article_form(abc, existing(abc), version="0")
    response = staff_client.post(preview_url(abc), data)
    assert "Someone else saved this list after you opened it" in response.content.decode()


def test_an_uploaded_featured_image_is_not_written_by_a_preview(staff_client, abc, settings):  # noqa: F811
    data = rearranged(abc)
    data["featured_image"] = image_file(1600, 900, name="rain.png")
    data["featured_image_alt"] = "Rain"
    response = staff_client.post(preview_url(abc), data)
    assert response.status_code == 200
    assert "A new featured image shows once the list is saved." in response.content.decode()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_readers_never_see_what_was_only_previewed(client, staff_client):
    """The page cache and the cached entries of the public page hold only what was saved."""
    article = ArticleFactory(title="Three Live Films")
    entries = [EntryFactory(article=article, rank=r, write_up=f"Saved words {r}.") for r in (1, 2, 3)]
    url = article.get_absolute_url()
    assert "Saved words 1." in client.get(url).content.decode()  # cached for readers

    data = article_form(
        article, [{"id": e.pk, "rank": e.rank, "film": e.film, "write_up": "Only previewed."} for e in entries]
    )
    preview = staff_client.post(preview_url(article), data).content.decode()
    assert preview.count("Only previewed.") == 3

    for _ in range(2):  # the first answer rendered afresh, the second from the page cache
        html = client.get(url).content.decode()
        assert "Only previewed." not in html
        assert all(f"Saved words {r}." in html for r in (1, 2, 3))


def test_the_preview_address_opened_directly_leads_back_to_the_form(staff_client, abc):  # noqa: F811
    assert staff_client.get(preview_url(abc)).url == change_url(abc)
    assert staff_client.get(preview_url()).url == reverse("admin:articles_article_add")


def test_only_people_who_may_change_the_list_can_preview_it(client, abc):  # noqa: F811
    assert client.post(preview_url(abc), article_form(abc, existing(abc))).status_code == 302  # to the login
    writer = StaffFactory(username="writer", is_superuser=False)
    client.force_login(writer)
    assert client.post(preview_url(abc), article_form(abc, existing(abc))).status_code == 403


def test_the_change_form_has_a_preview_button_that_opens_its_own_tab(staff_client, abc):  # noqa: F811
    html = staff_client.get(change_url(abc)).content.decode()
    buttons = re.findall(r'<input type="submit" value="Preview"[^>]*>', html)
    assert len(buttons) == 2  # above and below the form
    assert f'formaction="{preview_url(abc)}"' in buttons[0] and 'formtarget="list-preview"' in buttons[0]
