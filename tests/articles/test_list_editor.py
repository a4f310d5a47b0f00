"""
The list editor on a list's admin page: entries as one line each, a film the
catalogue lacks added from its entry, problems named at the top, and the page's
queries pinned however long the list.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Entry
from films.models import Film
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, make_list

from .test_admin import abc, article_form, change_url, existing, order  # noqa: F401

pytestmark = pytest.mark.django_db

# The pinned number: a change that adds a query to the list's admin page must say so here.
# 11 since the hashtag suggestions and the list's review steps joined the page (one query each);
# 12 since the editor's autosaved working copy is looked up (one query, whatever the list's length).
CHANGE_PAGE_QUERIES = 12


def change_page_queries(staff_client, article):
    with CaptureQueriesContext(connection) as ctx:
        response = staff_client.get(change_url(article))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_change_page_query_count_is_pinned_and_flat(staff_client):
    change_page_queries(staff_client, make_list(1, title="Warm-up", status="draft"))  # fills the content-type cache
    five, _ = change_page_queries(staff_client, make_list(5, title="Five", status="draft"))
    twenty, response = change_page_queries(staff_client, make_list(20, title="Twenty", status="draft"))
    assert five == twenty == CHANGE_PAGE_QUERIES, (five, twenty)
    assert response.content.decode().count('class="entry-summary"') == 20 + 2  # + the blank one, the template


def test_entries_show_as_one_line_each_with_words_and_an_outline(staff_client, abc):  # noqa: F811
    Entry.objects.filter(article=abc).update(write_up="")
    Entry.objects.filter(article=abc, rank=2).update(write_up="A quiet film about two sisters who grow apart " * 3)
    html = staff_client.get(change_url(abc)).content.decode()
    summary = re.search(r'<summary class="entry-summary">(.*?)</summary>', html.split('id="entries-1"')[1], re.S)[1]
    text = " ".join(re.sub(r"<[^>]+>", " ", summary).split())
    assert text == "#2 B A quiet film about two sisters who grow apart A quiet film… 27 words"
    assert '27</span> words in the write-ups, about <span class="list-minutes">1</span> min' in html
    outline = re.search(r'<nav class="entry-outline".*?</nav>', html, re.S)[0]
    assert re.findall(r'<a href="#entries-(\d)">(\w)</a>', outline) == [("0", "A"), ("1", "B"), ("2", "C")]
    # Saved entries start closed; the blank one for a new entry is open.
    assert html.count('<details class="entry-details">') == 3


def test_a_film_the_catalogue_lacks_is_created_with_its_entry_unconfirmed(staff_client, abc):  # noqa: F811
    data = article_form(abc, existing(abc) + [{"film": FilmFactory()}])
    data.update(
        {
            "entries-3-film": "",
            "entries-3-rank": "2",
            "entries-3-new_film_title": "The Wind Rises",
            "entries-3-new_film_year": "2013",
            "entries-3-new_film_format": "feature",
        }
    )
    response = staff_client.post(change_url(abc), data)
    assert response.status_code == 302
    film = Film.objects.get(title="The Wind Rises")
    assert (film.year, film.format, film.confirmed) == (2013, "feature", False)
    assert order(abc) == [(1, "A"), (2, "The Wind Rises"), (3, "B"), (4, "C")]


def test_a_new_film_the_catalogue_has_is_refused_on_its_entry(staff_client, abc):  # noqa: F811
    FilmFactory(title="Spirited Away", year=2001)
    data = article_form(abc, existing(abc) + [{"film": FilmFactory()}])
    data.update({"entries-3-film": "", "entries-3-new_film_title": "spirited away!", "entries-3-write_up": "Kept."})
    response = staff_client.post(change_url(abc), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The catalogue already has “Spirited Away (2001)”: choose it in the film box above." in html
    assert Film.objects.filter(title__iexact="spirited away!").count() == 0
    assert "Kept.</textarea>" in html


def test_an_entry_needs_a_film_chosen_or_typed(staff_client, abc):  # noqa: F811
    data = article_form(abc, existing(abc) + [{"film": FilmFactory()}])
    data.update({"entries-3-film": "", "entries-3-write_up": "Words for a film not chosen yet."})
    html = staff_client.post(change_url(abc), data).content.decode()
    assert "Choose a film, or add one the catalogue lacks under “New film”." in html
    assert "Words for a film not chosen yet.</textarea>" in html


def test_a_failed_save_lists_every_problem_at_the_top_linking_to_its_entry(staff_client, abc):  # noqa: F811
    entries = existing(abc)
    entries[2]["rank"] = 1
    entries[2]["film"] = entries[0]["film"]  # C becomes a second A
    html = staff_client.post(change_url(abc), article_form(abc, entries, title="")).content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)[0]
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert "“A” is in this list 2 times (ranks 1, 1). A film can appear only once." in summary
    # The summary is above the fields; the entry heading shows the saved rank, and the typed one as not saved.
    assert html.index('id="error-summary"') < html.index('id="id_title"')
    third = html.split('id="entries-2"')[1]
    assert re.search(r'class="entry-rank">#3</span>.*?class="entry-unsaved">to #1, not saved', third, re.S)


def test_two_editors_adding_the_same_film_the_second_is_told(staff_client, abc):  # noqa: F811
    film = FilmFactory(title="Wolf Children")
    first = existing(abc) + [{"film": film}]
    second = existing(abc) + [{"film": film, "write_up": "Mine too."}]
    assert staff_client.post(change_url(abc), article_form(abc, first)).status_code == 302
    response = staff_client.post(change_url(abc), article_form(abc, second))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "“Wolf Children” is already in this list at #4. A film can appear only once. "
        "Someone added it while you were editing" in html
    )
    assert "Mine too.</textarea>" in html
    assert order(abc)[-1] == (4, "Wolf Children")


def test_view_on_site_for_an_entry_of_a_draft_leads_to_the_preview(staff_client):
    article = ArticleFactory(title="Not Yet", draft=True)
    entry = EntryFactory(article=article, rank=1)
    assert entry.get_absolute_url() == f"/articles/{article.slug}/preview/#rank-1"
    html = staff_client.get(change_url(article)).content.decode()
    link = re.search(r'<a href="([^"]+)">View on site</a>', html.split('id="entries-0"')[1])[1]
    response = staff_client.get(link, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(f"/articles/{article.slug}/preview/#rank-1")


def test_view_on_site_for_an_entry_of_a_live_list_leads_to_the_list(db):
    entry = make_list(1, title="Live").entries.get()
    assert entry.get_absolute_url() == "/articles/live/#rank-1"
