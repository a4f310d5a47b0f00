"""
Every absolute address comes from SITE_URL, never from the Host header the
request came in with; an unknown Host is a 400, never a 500.
"""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, HashtagFactory, make_list

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/articles/", "/no-such-page/", "/feeds/lists/rss/", "/sitemap.xml"])
def test_an_unknown_host_gets_the_400_page(client, path):
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "We couldn’t understand that request" in page
    assert "attacker.example" not in page


@pytest.fixture
def published(db):
    article = make_list(3, title="Sad Songs")
    article.hashtags.add(HashtagFactory(name="SadAnime"))
    return article


def public_urls(article):
    film = article.entries.get(rank=1).film
    return [
        "/",
        article.get_absolute_url(),
        film.get_absolute_url(),
        "/robots.txt",
        "/sitemap.xml",
        reverse("feeds:latest_rss"),
        reverse("feeds:latest_atom"),
        reverse("feeds:hashtag_rss", args=["sadanime"]),
        reverse("feeds:hashtag_atom", args=["sadanime"]),
    ]


@override_settings(SITE_URL="https://reel.example")
def test_links_never_echo_the_requests_host_or_port(client, published):
    """`Host: localhost:6666` (allowed, e.g. a port forward) once put 6666 into every link of the sitemap and feeds."""
    for url in public_urls(published):
        response = client.get(url, HTTP_HOST="localhost:6666")
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "https://reel.example/" in body, url
        assert "localhost" not in body and "6666" not in body, url


def test_moderator_mail_links_to_the_site_not_the_requests_host(client, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    moderator = UserFactory(username="mod", email="mod@example.com", is_staff=True)
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    article = ArticleFactory(title="Sad Anime")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:post", kwargs={"slug": article.slug}),
            comment_data(article, body="Held: see https://spam.example"),
            HTTP_HOST="localhost:6666",
            REMOTE_ADDR="192.0.2.10",
        )
    assert len(mail.outbox) == 1
    assert "http://testserver/admin/comments/comment/?status=held" in mail.outbox[0].body
    assert "6666" not in mail.outbox[0].body
