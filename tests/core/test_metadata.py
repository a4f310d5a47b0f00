"""Every public page carries canonical, social and structured data that parsers accept."""

import extruct
import pytest
from django.test import override_settings
from django.urls import reverse
from lxml import html as lxml_html

from tests.factories import ArticleFactory, FilmFactory, PersonFactory, make_list
from tests.test_query_counts import PINNED

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    data = extruct.extract(text, base_url=f"http://testserver{url}", syntaxes=["json-ld", "opengraph"], uniform=True)
    tree = lxml_html.fromstring(response.content)
    return text, data, tree


def by_type(data, type_):
    return [d for d in data["json-ld"] if d.get("@type") == type_]


def head_meta(tree, attr, name):
    values = tree.xpath(f"//head/meta[@{attr}='{name}']/@content")
    assert len(values) == 1, (name, values)
    return values[0]


PUBLIC_PAGES = [
    lambda w: reverse("home"),
    lambda w: reverse("articles:list"),
    lambda w: w["newer"].get_absolute_url(),
    lambda w: w["tv"].get_absolute_url(),
    lambda w: reverse("films:mood_list"),
    lambda w: w["mood"].get_absolute_url(),
    lambda w: w["tag"].get_absolute_url(),
    lambda w: w["newer"].entries.first().film.credits.first().person.get_absolute_url(),
    lambda w: w["newer"].entries.first().film.studios.first().get_absolute_url(),
    lambda w: reverse("search:results") + "?q=list",
]


@pytest.mark.parametrize(
    "url",
    PUBLIC_PAGES,
    ids=["home", "archive", "article", "film", "moods", "mood", "hashtag", "person", "studio", "search"],
)
def test_every_public_page_has_canonical_description_and_cards(client, world, url):
    url = url(world)
    _, data, tree = page(client, url)
    canonical = tree.xpath("//head/link[@rel='canonical']/@href")
    assert len(canonical) == 1 and canonical[0].startswith("http://testserver/")
    assert head_meta(tree, "name", "description")
    for prop in ("og:title", "og:description", "og:image", "og:type", "og:url"):
        assert head_meta(tree, "property", prop)
    for name in ("twitter:card", "twitter:title", "twitter:description", "twitter:image"):
        assert head_meta(tree, "name", name)
    assert head_meta(tree, "property", "og:image").startswith("http://testserver/")


def test_list_page_article_and_item_list(client, world):
    article = world["newer"]
    article.hashtags.add("RomanceAnime")
    first = article.entries.get(rank=1).film
    first.other_titles = "First Alt Title"
    first.save()
    url = article.get_absolute_url()
    _, data, tree = page(client, url)
    [art] = by_type(data, "Article")
    absolute = f"http://testserver{url}"
    assert art["headline"] == "Newer List"
    assert art["description"] == "The newer dek."
    assert art["author"] == {
        "@type": "Person",
        "name": article.byline,
        "worksFor": {"@id": "http://testserver/#organization"},
    }
    assert art["publisher"]["name"] == "Reel Rankings"
    logo = art["publisher"]["logo"]
    assert logo["url"].endswith("/static/img/logo.png") and logo["width"] >= 112 and logo["height"] >= 112
    assert art["datePublished"] == article.published_at.isoformat(timespec="seconds")
    assert art["dateModified"] >= art["datePublished"]
    assert art["image"] and art["image"][0].startswith("http://testserver/")
    assert art["keywords"] == ["SadAnime", "RomanceAnime"]
    assert art["mainEntityOfPage"]["@id"] == absolute == head_meta(tree, "property", "og:url")
    assert head_meta(tree, "property", "og:type") == "article"

    [item_list] = by_type(data, "ItemList")
    items = item_list["itemListElement"]
    assert [i["position"] for i in items] == [1, 2, 3, 4, 5, 6]
    assert all(i["@type"] == "ListItem" for i in items)
    movie = items[0]["item"]
    director = first.directors[0]
    assert movie == {
        "@type": "Movie",
        "name": first.title,
        "alternateName": [first.romanized_title, "First Alt Title"],
        "url": f"http://testserver{first.get_absolute_url()}",
        "image": "http://testserver/static/img/social-default.png",
        "dateCreated": "2016",
        "director": [
            {"@type": "Person", "name": director.name, "url": f"http://testserver{director.get_absolute_url()}"}
        ],
    }
    assert items[5]["item"]["@type"] == "TVSeries" and items[5]["item"]["name"] == "Clannad: After Story"

    [crumbs] = by_type(data, "BreadcrumbList")
    assert [c["name"] for c in crumbs["itemListElement"]] == ["Home", "All lists", "Newer List"]
    assert crumbs["itemListElement"][-1]["item"] == absolute


def test_film_page_movie_or_series(client, world):
    director = PersonFactory(name="Makoto Shinkai")
    film = FilmFactory(
        title="Your Name",
        romanized_title="Kimi no Na wa",
        native_title="君の名は。",
        year=2016,
        director=director,
        synopsis="Two strangers.",
    )
    _, data, tree = page(client, film.get_absolute_url())
    [movie] = by_type(data, "Movie")
    assert movie["name"] == "Your Name"
    assert movie["alternateName"] == ["Kimi no Na wa", "君の名は。"]
    assert movie["director"][0]["name"] == "Makoto Shinkai"
    assert movie["dateCreated"] == "2016" and movie["description"] == "Two strangers."
    assert head_meta(tree, "property", "og:type") == "video.movie"
    assert by_type(data, "BreadcrumbList")
    _, data, tree = page(client, world["tv"].get_absolute_url())
    assert by_type(data, "TVSeries") and not by_type(data, "Movie")
    assert head_meta(tree, "property", "og:type") == "video.tv_show"


def test_script_close_in_a_title_cannot_break_out(client, db):
    evil = "</script><script>alert('x')</script> & <!-- Top 10"
    article = make_list(1, title=evil, dek=evil)
    film = article.entries.get().film
    film.title = evil
    film.save()
    text, data, tree = page(client, article.get_absolute_url())
    assert "<script>alert" not in text
    # Only JSON-LD and the site's own script files (share.js); nothing built from the title.
    assert (
        tree.xpath("count(//script[not(@type='application/ld+json') and not(starts-with(@src, '/static/js/'))])") == 0
    )
    [art] = by_type(data, "Article")
    assert art["headline"] == evil  # escaped in transit, intact once parsed
    assert by_type(data, "ItemList")[0]["itemListElement"][0]["item"]["name"] == evil


def test_drafts_and_scheduled_lists_leave_no_structured_trace(client, world):
    for url in [
        "/",
        reverse("articles:list"),
        world["tag"].get_absolute_url(),
        world["mood"].get_absolute_url(),
        world["older"].get_absolute_url(),
        world["older"].entries.get(rank=1).film.get_absolute_url(),
    ]:
        text, data, _ = page(client, url)
        assert "Draft List" not in text and "Scheduled List" not in text


@override_settings(SITE_URL="https://reel.example")
def test_site_url_overrides_the_host(client, world):
    _, data, tree = page(client, world["newer"].get_absolute_url())
    assert tree.xpath("//head/link[@rel='canonical']/@href") == [
        f"https://reel.example{world['newer'].get_absolute_url()}"
    ]
    assert by_type(data, "Article")[0]["publisher"]["logo"]["url"] == "https://reel.example/static/img/logo.png"


def test_paginated_archive_canonical_keeps_the_page(client, db):
    for _ in range(13):
        ArticleFactory()
    _, _, tree = page(client, reverse("articles:list") + "?page=2")
    assert tree.xpath("//head/link[@rel='canonical']/@href") == ["http://testserver/articles/?page=2"]


def test_article_page_query_count_unchanged_by_metadata(client, django_assert_num_queries):
    small = make_list(2)
    big = make_list(12)
    with django_assert_num_queries(PINNED["article"]) as small_ctx:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(small_ctx.captured_queries)):
        client.get(big.get_absolute_url())


def test_preview_of_a_draft_has_no_structured_data(staff_client, world):
    response = staff_client.get(world["draft"].get_preview_url())
    assert response.status_code == 200
    assert "application/ld+json" not in response.content.decode()
