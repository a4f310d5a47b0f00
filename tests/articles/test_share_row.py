"""
Sharing a list: a row of plain share links (no third-party script), buttons
that share.js shows, and a link to each entry by its rank.
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from lxml import html

from articles.models import ShareLink
from tests.factories import make_list

pytestmark = pytest.mark.django_db

TITLE = "Love & Loss: 10 Films #1"


def tree_of(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def share_row(tree):
    rows = tree.xpath("//section[@class='share']")
    assert len(rows) == 1
    return rows[0]


def test_the_list_page_has_plain_share_links_with_its_address_and_title(client):
    article = make_list(3, title=TITLE)
    row = share_row(tree_of(client.get(article.get_absolute_url())))
    address = f"http://testserver{article.get_absolute_url()}"
    assert row.xpath("h2")[0].text_content() == "Share this list"
    links = {a.text_content(): a for a in row.xpath(".//a")}
    assert list(links) == ["Bluesky", "X", "Facebook", "WhatsApp", "Email"]
    for a in links.values():
        assert "noopener" in a.get("rel").split()
    href = {name: a.get("href") for name, a in links.items()}
    assert parse_qs(urlsplit(href["Bluesky"]).query) == {"text": [f"{TITLE} {address}"]}
    assert parse_qs(urlsplit(href["X"]).query) == {"text": [TITLE], "url": [address]}
    assert (
        href["Facebook"]
        == "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Farticles%2F" + article.slug + "%2F"
    )
    assert parse_qs(urlsplit(href["Email"]).query) == {"subject": [TITLE], "body": [address]}


def test_copy_and_share_buttons_wait_hidden_for_the_script(client):
    article = make_list(2, title=TITLE)
    response = client.get(article.get_absolute_url())
    row = share_row(tree_of(response))
    copy, share = row.xpath(".//button[@data-copy]")[0], row.xpath(".//button[@data-share-url]")[0]
    address = f"http://testserver{article.get_absolute_url()}"
    assert copy.get("data-copy") == address and copy.text_content() == "Copy link"
    assert share.get("data-share-url") == address and share.get("data-share-title") == TITLE
    assert share.text_content() == "Share…"
    # Without script neither is shown: both sit in hidden list items.
    assert copy.getparent().get("hidden") is not None and share.getparent().get("hidden") is not None
    assert b'src="/static/js/share.js"' in response.content
    # Nothing from another site is loaded.
    assert all(s.get("src").startswith("/static/") for s in tree_of(response).xpath("//script[@src]"))


def test_each_entry_has_one_small_link_to_its_rank(client):
    article = make_list(12)
    tree = tree_of(client.get(article.get_absolute_url()))
    links = tree.xpath("//a[@class='entry-link']")
    assert [(a.get("href"), a.text_content()) for a in links[:2]] == [
        ("#rank-1", "Link to #1"),
        ("#rank-2", "Link to #2"),
    ]
    assert len(links) == 12
    seven = tree.get_element_by_id("rank-7")
    assert seven.xpath(".//a[@class='entry-link']")[0].get("href") == "#rank-7"


def test_previews_have_no_share_row(client):
    draft = make_list(2, title="Secret Draft", status="draft")
    link = ShareLink.objects.create(article=draft, expires_at=timezone.now() + datetime.timedelta(days=7))
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    assert b'class="share"' not in response.content and b"bsky.app" not in response.content


def test_a_film_page_has_the_share_row(client):
    article = make_list(1)
    film = article.entries.get().film
    row = share_row(tree_of(client.get(film.get_absolute_url())))
    assert row.xpath("h2")[0].text_content() == "Share this film"
    facebook = row.xpath(".//a[text()='Facebook']")[0].get("href")
    assert facebook.endswith("u=http%3A%2F%2Ftestserver%2Ffilms%2F" + film.slug + "%2F")
