"""The hashtags over a list's card lead to their pages, wherever the card is shown."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from tests.factories import ArticleFactory, HashtagFactory

pytestmark = pytest.mark.django_db


def test_card_hashtags_are_links_to_their_pages_and_no_link_is_inside_another(client):
    tag_a, tag_b = HashtagFactory(name="SadAnime"), HashtagFactory(name="RomanceAnime")
    article = ArticleFactory(title="Tagged List")
    article.hashtags.add(tag_a, tag_b)
    other = ArticleFactory(title="Other List")
    other.hashtags.add(tag_a)
    for url in (reverse("home"), reverse("articles:list"), tag_a.get_absolute_url(), other.get_absolute_url()):
        page = lxml_html.fromstring(client.get(url).content)
        [card] = page.xpath(
            f"//article[contains(@class, 'card')][.//h2/a[@href='{article.get_absolute_url()}'] "
            f"or .//h3/a[@href='{article.get_absolute_url()}']]"
        )
        kicker = card.xpath(".//p[@class='kicker']/a")
        assert {(a.text_content(), a.get("href")) for a in kicker} == {
            ("#SadAnime", "/hashtags/sadanime/"),
            ("#RomanceAnime", "/hashtags/romanceanime/"),
        }, url
        assert page.xpath("//a//a") == [], url
        # The hashtag page a card leads to lists the card's list.
        assert client.get(kicker[0].get("href")).status_code == 200


def test_a_card_without_hashtags_has_no_empty_kicker(client):
    ArticleFactory(title="Untagged List")
    page = lxml_html.fromstring(client.get(reverse("articles:list")).content)
    [card] = page.xpath("//article[contains(@class, 'card')]")
    assert card.xpath(".//p[@class='kicker']") == []
