"""
A long list is read on a phone: every entry leads back to the contents, and
the end of the list leads on to the previous and the next list.
"""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from articles.models import Article
from articles.services import article_publish
from tests.factories import ArticleFactory, EntryFactory, make_list
from tests.magazine.test_pagecache import warm

pytestmark = pytest.mark.django_db


def tree(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def pager(page):
    """{"Previous list": (title, href), "Next list": (title, href)} as the reader sees the pager."""
    links = page.xpath("//nav[@aria-label='More lists']//a")
    found = {}
    for link in links:
        label = link.xpath("string(span)").strip()
        found[label] = (link.text_content().replace(label, "", 1).strip(), link.get("href"))
    return found


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def three_lists():
    return [
        ArticleFactory(title=title, published_at=days_ago(n))
        for title, n in (("Oldest List", 30), ("Middle List", 20), ("Newest List", 10))
    ]


def test_every_entry_leads_back_to_the_contents(client):
    article = make_list(20)
    page = tree(client, article.get_absolute_url())
    [contents] = page.xpath("//nav[@id='contents']")
    assert contents.xpath("string(h2)") == "The list"
    entries = page.xpath("//ol[@class='entries']/li")
    assert len(entries) == 20
    for entry in entries:
        [back] = entry.xpath(".//a[@class='to-contents']")
        assert back.get("href") == "#contents" and back.text_content() == "Back to the list"
    # …and the contents leads to every entry, by its rank.
    assert contents.xpath(".//a/@href") == [f"#rank-{n}" for n in range(1, 21)]
    assert [e.get("id") for e in entries] == [f"rank-{n}" for n in range(1, 21)]


def test_a_middle_list_leads_to_the_one_before_and_the_one_after(client, three_lists):
    oldest, middle, newest = three_lists
    assert pager(tree(client, middle.get_absolute_url())) == {
        "Previous list": ("Oldest List", oldest.get_absolute_url()),
        "Next list": ("Newest List", newest.get_absolute_url()),
    }


def test_the_first_and_the_last_list_have_one_neighbour_each(client, three_lists):
    oldest, middle, newest = three_lists
    assert pager(tree(client, oldest.get_absolute_url())) == {"Next list": ("Middle List", middle.get_absolute_url())}
    assert pager(tree(client, newest.get_absolute_url())) == {
        "Previous list": ("Middle List", middle.get_absolute_url())
    }


def test_a_list_alone_has_no_pager(client):
    page = tree(client, ArticleFactory(title="Only List").get_absolute_url())
    assert page.xpath("//nav[@aria-label='More lists']") == []


def test_drafts_and_scheduled_lists_are_never_a_neighbour(client, three_lists):
    oldest, middle, newest = three_lists
    ArticleFactory(title="A Draft In Between", published_at=days_ago(15), draft=True)
    ArticleFactory(title="Tomorrow's List", scheduled=True)
    ArticleFactory(title="Drafted Long Ago", published_at=days_ago(40), draft=True)
    for article in three_lists:
        html = client.get(article.get_absolute_url()).content.decode()
        assert "A Draft In Between" not in html and "Tomorrow" not in html and "Drafted Long Ago" not in html
    assert pager(tree(client, middle.get_absolute_url()))["Next list"][0] == "Newest List"
    assert "Next list" not in pager(tree(client, newest.get_absolute_url()))
    assert "Previous list" not in pager(tree(client, oldest.get_absolute_url()))


def test_lists_published_at_the_same_moment_still_lead_one_to_the_other(client):
    when = days_ago(5)
    first, second, third = (ArticleFactory(title=f"Twin {n}", published_at=when) for n in (1, 2, 3))
    assert pager(tree(client, second.get_absolute_url())) == {
        "Previous list": ("Twin 1", first.get_absolute_url()),
        "Next list": ("Twin 3", third.get_absolute_url()),
    }


def test_publishing_a_new_list_updates_the_cached_page_of_the_one_before(client, three_lists):
    newest = three_lists[-1]
    url = newest.get_absolute_url()
    warm(client, url)  # served from the page cache from now on
    assert "Next list" not in pager(tree(client, url))
    fresh = ArticleFactory(title="Fresh From The Desk", draft=True)
    EntryFactory(article=fresh)
    article_publish(article=fresh)
    assert pager(tree(client, url))["Next list"] == ("Fresh From The Desk", fresh.get_absolute_url())


def test_a_scheduled_list_becomes_the_next_at_its_time_with_the_page_cached(client, three_lists):
    newest = three_lists[-1]
    url = newest.get_absolute_url()
    at = timezone.now() + datetime.timedelta(minutes=30)
    ArticleFactory(title="Half An Hour Away", published_at=at)
    warm(client, url)
    assert "Next list" not in pager(tree(client, url))
    with mock.patch("django.utils.timezone.now", return_value=at + datetime.timedelta(seconds=1)):
        assert pager(tree(client, url))["Next list"][0] == "Half An Hour Away"


def test_unpublishing_the_next_list_takes_it_off_the_pager(client, three_lists):
    middle, newest = three_lists[1], three_lists[2]
    url = middle.get_absolute_url()
    warm(client, url)
    assert pager(tree(client, url))["Next list"][0] == "Newest List"
    newest.status = Article.Status.DRAFT
    newest.save()
    assert "Next list" not in pager(tree(client, url))
