"""HEAD answers wherever GET does; TRACE is refused everywhere."""

import pytest
from django.urls import reverse

from tests.factories import HashtagFactory, MoodFactory, make_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls(db):
    article = make_list(3, title="Sad Songs")
    film = article.entries.get(rank=1).film
    film.moods.add(MoodFactory(name="bittersweet"))
    article.hashtags.add(HashtagFactory(name="SadAnime"))
    film.refresh_from_db()
    person = film.credits.first().person
    studio = film.studios.first()
    return {
        "home": "/",
        "archive": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "comment page": reverse("comments:post", kwargs={"slug": article.slug}),
        "film": film.get_absolute_url(),
        "moods": reverse("films:mood_list"),
        "mood": reverse("films:mood", args=["bittersweet"]),
        "hashtag": reverse("articles:hashtag", args=["sadanime"]),
        "person": person.get_absolute_url(),
        "studio": studio.get_absolute_url(),
        "search": reverse("search:results") + "?q=sad",
        "rss": reverse("feeds:latest_rss"),
        "atom": reverse("feeds:latest_atom"),
        "hashtag feed": reverse("feeds:hashtag_rss", args=["sadanime"]),
        "mood feed": reverse("feeds:mood_atom", args=["bittersweet"]),
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots"),
        "health": reverse("healthz"),
    }


def test_head_answers_like_get_without_a_body(client, public_urls):
    for name, url in public_urls.items():
        get, head = client.get(url), client.head(url)
        assert get.status_code == 200, name
        assert head.status_code == 200, name
        assert head["Content-Type"] == get["Content-Type"], name
        assert head.content == b"", name


def test_trace_is_refused_everywhere(client, public_urls):
    for name, url in [*public_urls.items(), ("admin", "/admin/login/"), ("missing", "/no-such-page/")]:
        response = client.generic("TRACE", url)
        assert response.status_code == 405, name
        assert "TRACE" not in response["Allow"], name
        assert b"Cookie" not in response.content, name
