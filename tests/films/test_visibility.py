"""
A film an import or a list's editor created (unconfirmed) stays off every
public surface until a cataloguer confirms it or a list ranking it is
published; a scheduled list makes it public when it appears, with no job.
"""

import datetime
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish, article_schedule
from films.models import Film
from tests.factories import (
    ArticleFactory,
    EntryFactory,
    FilmFactory,
    MoodFactory,
    PersonFactory,
    StudioFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TYPO = "Howls Movng Castel"


@pytest.fixture
def typo(db, django_capture_on_commit_callbacks):
    """An unconfirmed film with a director, a studio and a mood of its own, ranked in a draft list."""
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written on commit
        director = PersonFactory(name="Hayao Miyazaki")
        studio = StudioFactory(name="Studio Ghibli")
        mood = MoodFactory(name="whimsical")
        film = FilmFactory(title=TYPO, romanized_title="Hauru no Ugoku Shiro", confirmed=False, director=director)
        film.studios.add(studio)
        film.moods.add(mood)
        # The director and studio have a public film too, so their pages exist either way.
        other = FilmFactory(title="Spirited Away", director=director)
        other.studios.add(studio)
        draft = ArticleFactory(title="Top 5 Ghibli Films", draft=True)
        EntryFactory(article=draft, film=film, rank=1)
    return {"film": film, "director": director, "studio": studio, "mood": mood, "list": draft}


@pytest.fixture(autouse=True)
def uncached(settings):
    """
    These tests set states with update(), which sends no signal: they are about
    the visibility rule, so pages are rendered every time. The page cache's own
    tests (tests/magazine/test_pagecache.py) prove that real edits retire pages.
    """
    settings.PAGE_CACHE_EXCLUDE = [r""]


def _locs(client, path):
    response = client.get(path)
    assert response.status_code == 200
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [
        loc.text.removeprefix("http://testserver") for loc in ET.fromstring(response.content).findall(".//sm:loc", ns)
    ]


def sitemap_paths(client):
    """Every address in the sitemap, through the index and its section pages."""
    locs = [loc for section in _locs(client, "/sitemap.xml") for loc in _locs(client, section)]
    return {loc.split("://", 1)[-1].partition("/")[2] if "://" in loc else loc.lstrip("/") for loc in locs}


def shows(client, url, text):
    response = client.get(url)
    assert response.status_code == 200, url
    return text in response.content.decode()


def visible_on(client, world, surface):
    film, mood = world["film"], world["mood"]
    match surface:
        case "film page":
            status = client.get(film.get_absolute_url()).status_code
            assert status in (200, 404)
            return status == 200
        case "person page":
            return shows(client, world["director"].get_absolute_url(), TYPO)
        case "studio page":
            return shows(client, world["studio"].get_absolute_url(), TYPO)
        case "mood page":
            return shows(client, mood.get_absolute_url(), TYPO)
        case "moods index count":
            response = client.get(reverse("films:mood_list"))
            return {m.name: m.num_films for m in response.context["object_list"]}["whimsical"] == 1
        case "home moods":
            return mood in client.get(reverse("home")).context["moods"]
        case "search":
            response = client.get(reverse("search:results"), {"q": "movng castel"})
            assert response.status_code == 200
            return any(g["slug"] == "films" for g in response.context["groups"])
        case "sitemap film":
            return film.get_absolute_url().lstrip("/") in sitemap_paths(client)
        case "sitemap mood":
            return mood.get_absolute_url().lstrip("/") in sitemap_paths(client)
    raise AssertionError(surface)


SURFACES = [
    "film page",
    "person page",
    "studio page",
    "mood page",
    "moods index count",
    "home moods",
    "search",
    "sitemap film",
    "sitemap mood",
]


@pytest.mark.parametrize("surface", SURFACES)
def test_unconfirmed_film_in_a_draft_is_on_no_public_surface(client, typo, surface):
    assert not visible_on(client, typo, surface)


@pytest.mark.parametrize("surface", SURFACES)
def test_publishing_a_list_that_ranks_it_makes_it_public(client, typo, surface):
    article_publish(article=typo["list"])
    assert visible_on(client, typo, surface)


@pytest.mark.parametrize("surface", SURFACES)
def test_a_scheduled_list_makes_it_public_when_it_appears_without_a_job(client, typo, surface):
    article_schedule(article=typo["list"], at=timezone.now() + datetime.timedelta(hours=1))
    assert not visible_on(client, typo, surface)
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert visible_on(client, typo, surface)


@pytest.mark.parametrize("surface", SURFACES)
def test_a_confirmed_film_is_public_without_any_list(client, typo, surface):
    typo["film"].confirmed = True
    typo["film"].save()
    assert visible_on(client, typo, surface)


def test_unconfirmed_film_page_404s_even_at_an_old_address(client, typo):
    film = typo["film"]
    old = film.get_absolute_url()
    film.slug = "howls-moving-castle"
    film.save()
    # No redirect: it would reveal the unconfirmed film's new address.
    assert client.get(old).status_code == 404
    film.confirmed = True
    film.save()
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, "/films/howls-moving-castle/")


def test_feeds_carry_the_film_only_once_its_list_is_published(client, typo):
    urls = [reverse("feeds:latest_rss"), reverse("feeds:mood_rss", args=[typo["mood"].slug])]
    assert not any(shows(client, url, TYPO) for url in urls)
    article_publish(article=typo["list"])
    assert all(shows(client, url, TYPO) for url in urls)


def test_import_creates_unconfirmed_films_and_matches_existing_ones_as_they_are():
    from articles.services import listicle_import

    known = FilmFactory(title="Spirited Away")
    text = "# Top 2 Ghibli Films\n\n## 1. Spirited Away (2001)\n\nA bathhouse.\n\n## 2. Howls Movng Castel (2004)\n\nA typo.\n"
    report = listicle_import(text=text)
    films = {o.film.title: o.film for o in report.films}
    assert films["Spirited Away"] == known and known.confirmed
    assert films["Howls Movng Castel"].confirmed is False
    assert not Film.objects.public().filter(pk=films["Howls Movng Castel"].pk).exists()


@pytest.fixture
def cataloguer_client(client):
    user = UserFactory(username="cataloguer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_film", "change_film"]))
    client.force_login(user)
    return client


def test_admin_shows_the_state_filters_unconfirmed_and_confirms(cataloguer_client, typo):
    url = reverse("admin:films_film_changelist")
    response = cataloguer_client.get(url, {"confirmed": "no"})
    page = response.content.decode()
    assert list(response.context["cl"].result_list) == [typo["film"]]
    assert "Unconfirmed, not public" in page
    response = cataloguer_client.post(
        url,
        {"action": "confirm", "_selected_action": [typo["film"].pk, Film.objects.get(title="Spirited Away").pk]},
        follow=True,
    )
    assert "Confirmed 1 film(s). 1 already confirmed." in response.content.decode()
    assert Film.objects.get(pk=typo["film"].pk).confirmed
    assert cataloguer_client.get(typo["film"].get_absolute_url()).status_code == 200
    assert list(cataloguer_client.get(url, {"confirmed": "no"}).context["cl"].result_list) == []


def test_confirming_retires_the_cached_pages_that_left_the_film_out(cataloguer_client, typo, settings):
    from django.test import Client

    settings.PAGE_CACHE_EXCLUDE = [r"^/admin/"]
    reader = Client()
    mood_page = typo["mood"].get_absolute_url()
    assert TYPO not in reader.get(mood_page).content.decode()  # now cached without it
    cataloguer_client.post(
        reverse("admin:films_film_changelist"), {"action": "confirm", "_selected_action": [typo["film"].pk]}
    )
    assert TYPO in reader.get(mood_page).content.decode()


def test_admin_state_says_when_a_published_list_made_it_public(cataloguer_client, typo):
    article_publish(article=typo["list"])
    page = cataloguer_client.get(reverse("admin:films_film_changelist")).content.decode()
    assert "Unconfirmed, public through a published list" in page


def test_confirming_needs_the_change_permission(client, typo):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_film"))
    client.force_login(viewer)
    url = reverse("admin:films_film_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="confirm"' not in response.content.decode()
    client.post(url, {"action": "confirm", "_selected_action": [typo["film"].pk]})
    assert not Film.objects.get(pk=typo["film"].pk).confirmed
