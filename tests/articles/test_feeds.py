"""Feeds parse cleanly in a real feed reader's parser and carry only published lists."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from tests.factories import make_list

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(
        response.content,
        response_headers={"content-type": response["Content-Type"], "content-location": f"http://testserver{url}"},
    )
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


FEEDS = [
    ("feeds:latest_rss", None, "rss20"),
    ("feeds:latest_atom", None, "atom10"),
    ("feeds:hashtag_rss", "tag", "rss20"),
    ("feeds:hashtag_atom", "tag", "atom10"),
    ("feeds:mood_rss", "mood", "rss20"),
    ("feeds:mood_atom", "mood", "atom10"),
]


def feed_url(world, name, key):
    return reverse(name, args=[world[key].slug] if key else [])


@pytest.mark.parametrize("name,key,version", FEEDS)
def test_feeds_are_valid_and_hold_only_published_lists(client, world, name, key, version):
    url = feed_url(world, name, key)
    feed = parse(client, url)
    assert feed.version == version
    titles = [e.title for e in feed.entries]
    expected = ["Older List"] if key == "mood" else ["Newer List", "Older List"]
    assert titles == expected
    assert "Draft List" not in str(feed) and "Scheduled List" not in str(feed)
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"http://testserver{url}"]


def test_items_carry_dek_top_three_dates_and_ids(client, world):
    for name in ("feeds:latest_rss", "feeds:latest_atom"):
        feed = parse(client, reverse(name))
        newer = feed.entries[0]
        article = world["newer"]
        assert newer.link == f"http://testserver{article.get_absolute_url()}"
        assert "The newer dek." in newer.summary
        top = [e.film.title for e in article.entries.order_by("rank")[:3]]
        fourth = article.entries.get(rank=4).film.title
        for title in top:
            assert title in newer.summary
        assert fourth not in newer.summary
        assert datetime.datetime(*newer.published_parsed[:6], tzinfo=datetime.UTC) == article.published_at.replace(
            microsecond=0
        )
        ids = [e.id for e in feed.entries]
        assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
        assert [t.term for t in newer.tags] == ["SadAnime"]


def test_item_id_survives_a_slug_rename(client, world):
    before = parse(client, reverse("feeds:latest_atom")).entries[0].id
    world["newer"].slug = "renamed"
    world["newer"].save()
    after = parse(client, reverse("feeds:latest_atom")).entries[0]
    assert after.id == before and after.link.endswith("/articles/renamed/")


def test_unknown_hashtag_or_mood_is_404(client, db):
    assert client.get(reverse("feeds:hashtag_rss", args=["nope"])).status_code == 404
    assert client.get(reverse("feeds:mood_atom", args=["nope"])).status_code == 404


@pytest.mark.parametrize("name,key,version", FEEDS)
def test_feed_query_count_does_not_grow(client, world, django_assert_num_queries, name, key, version):
    url = feed_url(world, name, key)
    expected = 3 if key is None else 4  # (object) + lists + hashtags + top entries with films
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    for _ in range(5):
        article = make_list(5)
        article.hashtags.add(world["tag"])
        article.entries.get(rank=1).film.moods.add(world["mood"])
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_pages_link_their_feeds(client, world):
    home = client.get("/").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in home
    assert reverse("feeds:latest_atom") in home
    assert (
        reverse("feeds:hashtag_rss", args=["sadanime"]) in client.get(world["tag"].get_absolute_url()).content.decode()
    )
    assert (
        reverse("feeds:mood_atom", args=["bittersweet"])
        in client.get(world["mood"].get_absolute_url()).content.decode()
    )
