"""The sitemap is valid XML, lists what readers can see, and dates it by its latest change."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import FilmFactory, make_list

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sections(client):
    """The section addresses /sitemap.xml (a sitemap index) names."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text.removeprefix("http://testserver") for loc in root.findall("sm:sitemap/sm:loc", NS)]


def sitemap(client):
    """Every address of every section the index names, with its lastmod."""
    urls = {}
    for section in sections(client):
        response = client.get(section)
        assert response.status_code == 200, section
        root = ET.fromstring(response.content)
        urls.update(
            (url.find("sm:loc", NS).text.removeprefix("http://testserver"), url.findtext("sm:lastmod", namespaces=NS))
            for url in root.findall("sm:url", NS)
        )
    return urls


def test_sitemap_lists_published_content_only(client, world):
    urls = sitemap(client)
    for key in ("older", "newer"):
        assert world[key].get_absolute_url() in urls
    assert world["draft"].get_absolute_url() not in urls
    assert world["scheduled"].get_absolute_url() not in urls
    assert world["tv"].get_absolute_url() in urls
    assert world["mood"].get_absolute_url() in urls
    assert world["tag"].get_absolute_url() in urls
    assert not [u for u in urls if u.startswith(("/admin", "/search"))]


def test_lastmod_is_the_latest_real_change(client, world):
    old = timezone.now() - datetime.timedelta(days=40)
    Article.objects.filter(pk=world["older"].pk).update(updated_at=old, published_at=old)
    Article.objects.filter(pk=world["newer"].pk).update(updated_at=old + datetime.timedelta(days=3))
    newer = Article.objects.get(pk=world["newer"].pk)
    urls = sitemap(client)
    assert urls[world["older"].get_absolute_url()] == old.date().isoformat()
    # A list edited before its publication date changed when it appeared.
    assert urls[world["newer"].get_absolute_url()] == newer.published_at.date().isoformat()
    # The hashtag changed when its newest published list did — not when the scheduled one was saved.
    assert urls[world["tag"].get_absolute_url()] == newer.published_at.date().isoformat()


def test_hashtag_with_only_drafts_is_left_out(client, world):
    from tests.factories import ArticleFactory, HashtagFactory

    hidden = HashtagFactory(name="Hidden")
    ArticleFactory(draft=True).hashtags.add(hidden)
    assert hidden.get_absolute_url() not in sitemap(client)


def count_queries(client, urls):
    with CaptureQueriesContext(connection) as ctx:
        for url in urls:
            assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_sitemap_query_count_does_not_grow(client, world):
    # The index: one count per section bar the fixed one. The sections: one
    # count and one page each (home/archive/moods: one aggregate).
    before = (count_queries(client, ["/sitemap.xml"]), count_queries(client, sections(client)))
    for _ in range(5):
        make_list(5).hashtags.add(world["tag"])
        FilmFactory().moods.add(world["mood"])
    # (those writes retire the cached copies: the second round is rendered too)
    after = (count_queries(client, ["/sitemap.xml"]), count_queries(client, sections(client)))
    assert before == after == (6, 13)  # people and studios are two sections more


def test_the_index_splits_large_sections_into_pages_under_the_limit(client, world, monkeypatch):
    from magazine import sitemaps

    for _ in range(3):
        FilmFactory()
    for sitemap_class in sitemaps.sitemaps.values():
        monkeypatch.setattr(sitemap_class, "limit", 2)
    names = sections(client)
    assert "/sitemap-films.xml?p=2" in names and "/sitemap-lists.xml" in names
    films = [u for u in sitemap(client) if u.startswith("/films/")]
    assert len(films) == len(set(films)) == type(world["tv"]).objects.count()
    assert sitemaps.SECTION_SIZE <= 50_000


def test_people_and_studios_with_films_are_listed(client, world):
    from films.models import Person, Studio
    from tests.factories import PersonFactory, StudioFactory

    film = world["newer"].entries.get(rank=1).film
    person, studio = film.credits.first().person, film.studios.first()
    nobody, empty = PersonFactory(name="No Credits"), StudioFactory(name="No Films")
    urls = sitemap(client)
    assert person.get_absolute_url() in urls and studio.get_absolute_url() in urls
    assert urls[person.get_absolute_url()] == film.updated_at.date().isoformat()
    assert nobody.get_absolute_url() not in urls and empty.get_absolute_url() not in urls
    with_films = {*Person.objects.filter(films__isnull=False), *Studio.objects.filter(films__isnull=False)}
    assert {o.get_absolute_url() for o in with_films} <= set(urls)


def test_robots_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /search/" in text


def test_film_lastmod_follows_the_lists_that_rank_it(client, world):
    old = timezone.now() - datetime.timedelta(days=60)
    film = world["older"].entries.get(rank=1).film
    type(film).objects.filter(pk=film.pk).update(updated_at=old)
    lone = FilmFactory()
    type(lone).objects.filter(pk=lone.pk).update(updated_at=old)
    urls = sitemap(client)
    # Ranked in the live "older" list (10 days ago); the draft and scheduled lists do not count.
    assert urls[film.get_absolute_url()] == world["older"].published_at.date().isoformat()
    assert urls[lone.get_absolute_url()] == old.date().isoformat()
