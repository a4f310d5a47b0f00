"""
Follow: the home, hashtag and mood pages link to a page for people about
their feed (what a feed reader is, the address to copy, what the feed holds
now), never straight to the XML.
"""

import pytest
from django.urls import reverse
from lxml import html

from films.services import mood_merge
from tests.factories import ArticleFactory, HashtagFactory, MoodFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, html.fromstring(response.content)


def follow_link(tree):
    links = tree.xpath("//p[@class='follow-link']/a")
    assert len(links) == 1
    return links[0].get("href"), links[0].text_content().strip()


def test_home_hashtag_and_mood_pages_show_a_follow_link_to_their_feeds_page(client, world):
    tag, mood = world["tag"], world["mood"]
    assert follow_link(page(client, reverse("home"))[1]) == ("/feeds/lists/", "Follow new lists")
    assert follow_link(page(client, tag.get_absolute_url())[1]) == ("/feeds/hashtags/sadanime/", "Follow #SadAnime")
    assert follow_link(page(client, mood.get_absolute_url())[1]) == (
        "/feeds/moods/bittersweet/",
        "Follow lists with bittersweet films",
    )


@pytest.mark.parametrize(
    "name,key,heading,feed,titles",
    [
        ("feeds:latest", None, "Follow the latest lists", "/feeds/lists/rss/", ["Newer List", "Older List"]),
        ("feeds:hashtag", "tag", "Follow #SadAnime", "/feeds/hashtags/sadanime/rss/", ["Newer List", "Older List"]),
        ("feeds:mood", "mood", "Follow lists with bittersweet films", "/feeds/moods/bittersweet/rss/", ["Older List"]),
    ],
)
def test_follow_page_explains_gives_the_address_and_lists_what_the_feed_holds(
    client, world, name, key, heading, feed, titles
):
    url = reverse(name, args=[world[key].slug] if key else [])
    response, tree = page(client, url)
    assert tree.xpath("//h1")[0].text_content() == heading
    assert "feed reader" in tree.xpath("//section[@class='follow-how']")[0].text_content()
    # The address to paste, on SITE_URL, in a box that selects and copies without script.
    box = tree.get_element_by_id("feed-address")
    assert box.get("value") == f"http://testserver{feed}" and box.get("readonly") is not None
    assert tree.xpath("//label[@for='feed-address']")[0].text_content() == "Feed address"
    copy = tree.xpath("//button[@data-copy]")[0]
    assert copy.get("data-copy") == f"http://testserver{feed}"
    assert copy.getparent().get("hidden") is not None  # shown by share.js only where it can copy
    atom = feed.replace("/rss/", "/atom/")
    assert tree.xpath(f"//a[@href='http://testserver{atom}']")
    # What the feed holds now: published lists only.
    assert [a.text_content() for a in tree.xpath("//ol[@class='follow-items']//a")] == titles
    assert b"Draft List" not in response.content and b"Scheduled List" not in response.content
    # A page every reader sees alike: the page cache may keep it.
    assert not response.cookies and b"csrfmiddlewaretoken" not in response.content
    assert tree.xpath("//link[@rel='canonical']")[0].get("href") == f"http://testserver{url}"


def test_the_follow_pages_offer_their_own_feed_for_autodiscovery(client, world):
    _, tree = page(client, reverse("feeds:hashtag", args=["sadanime"]))
    alternates = [link.get("href") for link in tree.xpath("//link[@rel='alternate']")]
    assert "/feeds/hashtags/sadanime/rss/" in alternates
    assert "/feeds/hashtags/sadanime/atom/" in alternates


def test_a_feed_with_nothing_in_it_yet_says_so(client, db):
    mood = MoodFactory(name="hopeful")
    _, tree = page(client, reverse("feeds:mood", args=[mood.slug]))
    assert "No lists yet" in tree.xpath("//*[@class='empty']")[0].text_content()


def test_unknown_or_draft_only_hashtag_and_unknown_mood_are_404(client, db):
    draft_only = HashtagFactory(name="SecretTag")
    ArticleFactory(draft=True).hashtags.add(draft_only)
    assert client.get(reverse("feeds:hashtag", args=["nope"])).status_code == 404
    response = client.get(reverse("feeds:hashtag", args=["secrettag"]))
    assert response.status_code == 404 and b"SecretTag" not in response.content
    assert client.get(reverse("feeds:mood", args=["nope"])).status_code == 404


def test_a_hashtag_in_another_case_and_a_merged_mood_redirect(client, world):
    response = client.get("/feeds/hashtags/SadAnime/")
    assert response.status_code == 301 and response["Location"] == "/feeds/hashtags/sadanime/"
    target = MoodFactory(name="wistful")
    mood_merge(source=world["mood"], target=target)
    response = client.get("/feeds/moods/bittersweet/")
    assert response.status_code == 301 and response["Location"] == "/feeds/moods/wistful/"
