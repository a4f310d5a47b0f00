"""
The smaller bugs of the writing desk (issue 24, item 8), each asserted as an
editor would see it: each of these failed before its fix.
"""

import re

import pytest

from articles.models import Article
from tests.articles.test_admin import abc, article_form, change_url, existing  # noqa: F401
from tests.articles.test_edit_conflicts import opened
from tests.articles.test_roles import a_list, writer  # noqa: F401
from articles.revisions import article_revision_record

pytestmark = pytest.mark.django_db


def summary(html):
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return found[0] if found else ""


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_imported_byline_can_be_edited_in_the_form(staff_client, abc):  # noqa: F811
    Article.objects.filter(pk=abc.pk).update(byline_text="By Marta Okafor")
    html = staff_client.get(change_url(abc)).content.decode()
    assert re.search(r'<input[^>]+name="byline_text"[^>]+value="By Marta Okafor"', html)
    response = staff_client.post(change_url(abc), article_form(abc, existing(abc), byline_text="Marta Okafor"))
    assert response.status_code == 302
    assert Article.objects.get(pk=abc.pk).byline == "Marta Okafor"


def test_a_writer_sees_the_byline_but_cannot_give_it_away(writer):  # noqa: F811
    article = a_list(writer.user, draft=True)
    html = writer.get(change_url(article)).content.decode()
    assert "Byline" in html and 'name="byline_text"' not in html


def test_a_duplicate_film_links_to_the_entry_at_fault(staff_client, abc):  # noqa: F811
    entries = existing(abc)
    response = staff_client.post(change_url(abc), article_form(abc, entries + [{"film": entries[0]["film"]}]))
    assert response.status_code == 200
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary(response.content.decode()))
    assert links == [("entries-3", "Entries: “A” is in this list 2 times (ranks 1, new). "
                      "A film can appear only once.")], links


def test_the_conflict_page_says_it_once_with_nothing_empty(staff_client, abc):  # noqa: F811
    article_revision_record(article=abc)
    first, second = opened(abc), opened(abc)
    first["dek"] = "A's new standfirst"
    assert staff_client.post(change_url(abc), first).status_code == 302
    html = staff_client.post(change_url(abc), {**second, "sign_off": "B's"}).content.decode()
    box = summary(html)
    # Before: the box said "Fix this first:" over an empty list, and the message came three times.
    assert re.findall(r"<li>(.*?)</li>", box, re.S) == [
        '<a href="#edit-conflict">Someone else saved this list after you opened it: see what they changed</a>'
    ]
    assert 'id="edit-conflict"' in html
    assert text(html).count("Someone else saved this list after you opened it") == 2  # the summary and the section
