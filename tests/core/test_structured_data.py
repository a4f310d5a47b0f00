"""
Structured data and social tags as a search engine or a link preview reads
them: JSON-LD extracted by extruct and checked against the schema.org
vocabulary (tests/schema_vocabulary.py, offline), then the details asserted.
"""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.core.test_metadata import PUBLIC_PAGES, by_type, head_meta, page
from tests.factories import ArticleFactory, FilmFactory, MoodFactory, PersonFactory, StudioFactory, make_list
from tests.schema_vocabulary import problems, validate

pytestmark = pytest.mark.django_db
PAGE_IDS = ["home", "archive", "article", "film", "moods", "mood", "hashtag", "person", "studio", "search"]


@pytest.mark.parametrize("url", PUBLIC_PAGES, ids=PAGE_IDS)
def test_every_page_json_ld_fits_the_schema_org_vocabulary(client, world, url):
    world["tv"].runtime_minutes = 24
    world["tv"].episodes = 24
    world["tv"].save()
    _, data, _ = page(client, url(world))
    assert validate(data["json-ld"]) == []


def test_the_vocabulary_check_can_fail():
    assert problems({"@type": "TVSeries", "name": "Clannad", "duration": "PT24M"}) == [
        "$: TVSeries has no property 'duration'"
    ]
    assert problems({"@type": "Movie", "directr": []}) == ["$: Movie has no property 'directr'"]
    assert problems({"@type": "Moovie"}) == ["$: unknown type 'Moovie'"]
    assert problems({"@type": "Article", "author": {"@type": "ImageObject"}}) == [
        "$.author: 'author' takes ['Organization', 'Person'], not ImageObject"
    ]
    assert problems({"@type": "WebSite", "query-input": "required"}) == [
        "$.query-input: only an Action takes 'query-input'",
        "$: WebSite has no property 'query-input'",
    ]


@pytest.mark.parametrize("url", PUBLIC_PAGES, ids=PAGE_IDS)
def test_every_page_has_locale_and_image_alt(client, world, url):
    _, data, tree = page(client, url(world))
    assert head_meta(tree, "property", "og:locale") == "en_US"
    assert head_meta(tree, "property", "og:image:alt") == head_meta(tree, "name", "twitter:image:alt")
    assert head_meta(tree, "property", "og:image:alt")


def test_image_alt_says_what_the_card_shows(client, world):
    """The site's card on pages without their own; a list's and a film's own share card say what they show."""
    _, _, tree = page(client, "/")
    assert head_meta(tree, "property", "og:image").endswith("/static/img/social-default.png")
    assert head_meta(tree, "property", "og:image:alt") == "Reel Rankings: Ranked film lists, written with feeling"

    article = world["newer"]
    film = article.entries.get(rank=1).film
    for url, name in ((article.get_absolute_url(), article.title), (film.get_absolute_url(), film.title)):
        _, _, tree = page(client, url)
        assert "/media/share/" in head_meta(tree, "property", "og:image")
        assert (head_meta(tree, "property", "og:image:width"), head_meta(tree, "property", "og:image:height")) == (
            "1200",
            "630",
        )
        alt = head_meta(tree, "property", "og:image:alt")
        assert alt.startswith(name) and head_meta(tree, "name", "twitter:image:alt") == alt


def test_list_author_is_a_person_or_the_magazine(client, world):
    _, data, _ = page(client, world["newer"].get_absolute_url())
    [art] = by_type(data, "Article")
    assert art["author"]["@type"] == "Person" and art["author"]["name"] == world["newer"].byline
    assert art["author"]["worksFor"] == {"@id": art["publisher"]["@id"]}
    assert "url" not in art["author"]  # no author pages: the home page would not identify them

    unsigned = make_list(1, title="Unsigned", author=None)
    _, data, _ = page(client, unsigned.get_absolute_url())
    [art] = by_type(data, "Article")
    assert art["author"] == {
        "@type": "Organization",
        "@id": "http://testserver/#organization",
        "name": "Reel Rankings",
        "url": "http://testserver/",
    }
    assert art["publisher"]["@id"] == art["author"]["@id"]


def test_home_has_website_with_search_and_the_organization(client, world):
    _, data, _ = page(client, "/")
    [site] = by_type(data, "WebSite")
    assert site["url"] == "http://testserver/" and site["name"] == "Reel Rankings"
    assert site["inLanguage"] == "en-US"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    # The search template leads to the real search page.
    assert client.get(action["target"]["urlTemplate"].replace("{search_term_string}", "list")).status_code == 200
    [org] = by_type(data, "Organization")
    assert org["@id"] == "http://testserver/#organization" == site["publisher"]["@id"]
    assert org["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert finders.find(org["logo"]["url"].removeprefix("http://testserver/static/"))


def test_person_and_studio_pages(client, db):
    person = PersonFactory(name="Makoto Shinkai", native_name="新海誠")
    studio = StudioFactory(name="CoMix Wave Films")
    FilmFactory(director=person).studios.add(studio)
    _, data, _ = page(client, person.get_absolute_url())
    assert data["json-ld"] == [
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": "Makoto Shinkai",
            "alternateName": "新海誠",
            "url": f"http://testserver{person.get_absolute_url()}",
        }
    ]
    _, data, _ = page(client, studio.get_absolute_url())
    assert data["json-ld"] == [
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "CoMix Wave Films",
            "url": f"http://testserver{studio.get_absolute_url()}",
        }
    ]


def test_mood_page_is_a_collection_of_its_films(client, world, settings):
    mood = world["mood"]
    films = [FilmFactory(title=f"Mood Film {n:02}") for n in range(3)]
    for film in films:
        film.moods.add(mood)
    _, data, _ = page(client, mood.get_absolute_url())
    [collection] = by_type(data, "CollectionPage")
    assert collection["name"] == "Bittersweet films"
    assert collection["url"] == f"http://testserver{mood.get_absolute_url()}"
    items = collection["mainEntity"]["itemListElement"]
    shown = sorted([world["older"].entries.get(rank=1).film, *films], key=lambda f: (f.title, f.pk))
    assert [(i["position"], i["name"], i["url"]) for i in items] == [
        (n, f.title, f"http://testserver{f.get_absolute_url()}") for n, f in enumerate(shown, start=1)
    ]
    assert collection["mainEntity"]["numberOfItems"] == 4
    assert by_type(data, "BreadcrumbList")


def test_hashtag_pages_number_items_across_pages(client, world, settings):
    now = timezone.now()
    for n in range(settings.MAGAZINE_PAGE_SIZE):
        ArticleFactory(title=f"Tagged {n}", published_at=now - datetime.timedelta(hours=n + 1)).hashtags.add(
            world["tag"]
        )
    total = settings.MAGAZINE_PAGE_SIZE + 2  # and the two live lists of the world
    _, data, _ = page(client, world["tag"].get_absolute_url())
    [collection] = by_type(data, "CollectionPage")
    first = collection["mainEntity"]["itemListElement"]
    assert collection["mainEntity"]["numberOfItems"] == total
    assert [i["position"] for i in first] == list(range(1, settings.MAGAZINE_PAGE_SIZE + 1))
    assert first[0]["name"] == "Tagged 0"
    _, data, _ = page(client, world["tag"].get_absolute_url() + "?page=2")
    second = by_type(data, "CollectionPage")[0]["mainEntity"]["itemListElement"]
    assert [i["position"] for i in second] == [settings.MAGAZINE_PAGE_SIZE + 1, total]
    assert [i["name"] for i in second] == ["Newer List", "Older List"]
    assert "Draft List" not in str(data) and "Scheduled List" not in str(data)


def test_tv_series_has_no_duration_but_a_movie_does(client, world):
    tv = world["tv"]
    tv.runtime_minutes, tv.episodes = 24, 22
    tv.save()
    movie = FilmFactory(runtime_minutes=106)
    _, data, _ = page(client, tv.get_absolute_url())
    [series] = by_type(data, "TVSeries")
    assert "duration" not in series and series["numberOfEpisodes"] == 22
    _, data, _ = page(client, movie.get_absolute_url())
    assert by_type(data, "Movie")[0]["duration"] == "PT106M"


@override_settings(LANGUAGE_CODE="en-gb")
def test_locale_follows_the_site_language(client, world):
    _, data, tree = page(client, "/")
    assert head_meta(tree, "property", "og:locale") == "en_GB"
    assert by_type(data, "WebSite")[0]["inLanguage"] == "en-GB"


def test_moods_page_query_counts_unchanged(client, world, django_assert_num_queries):
    from tests.test_query_counts import PINNED

    mood = MoodFactory(name="quiet")
    FilmFactory().moods.add(mood)
    with django_assert_num_queries(PINNED["mood"]):
        client.get(mood.get_absolute_url())
    with django_assert_num_queries(PINNED["home"]):
        client.get(reverse("home"))
