"""
Anonymous GETs of every public page set no cookie and vary on no cookie, so
a page cache or CDN can serve them; the comment form page is the exception.
"""

import pytest
from django.test import Client
from django.urls import reverse

from comments.threads import posted_token
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EntryFactory,
    FilmFactory,
    HashtagFactory,
    MoodFactory,
    PersonFactory,
    StudioFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    person, studio, mood, tag = PersonFactory(), StudioFactory(), MoodFactory(name="sad"), HashtagFactory()
    film = FilmFactory(director=person)
    film.studios.add(studio)
    film.moods.add(mood)
    article = ArticleFactory()
    article.hashtags.add(tag)
    EntryFactory(article=article, film=film, rank=1)
    parent = CommentFactory(article=article)
    CommentFactory(article=article, parent=parent, depth=1)
    ArticleFactory().hashtags.add(tag)  # a "More from" card with a count
    return {
        "home": reverse("home"),
        "archive": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "article-after-posting": f"{article.get_absolute_url()}?comment={posted_token(parent)}",
        "film": film.get_absolute_url(),
        "mood": mood.get_absolute_url(),
        "hashtag": tag.get_absolute_url(),
        "moods": reverse("films:mood_list"),
        "person": person.get_absolute_url(),
        "studio": studio.get_absolute_url(),
        "search": reverse("search:results") + "?q=film",
        "feed": reverse("feeds:latest_rss"),
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "404": "/no-such-page/",
    }


PAGES = [
    "home",
    "archive",
    "article",
    "article-after-posting",
    "film",
    "mood",
    "hashtag",
    "moods",
    "person",
    "studio",
    "search",
    "feed",
    "sitemap",
    "robots",
    "404",
]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_get_sets_no_cookie_and_does_not_vary_on_cookie(site, page):
    response = Client().get(site[page])
    assert response.status_code == (404 if page == "404" else 200)
    assert not response.cookies, response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_reader_who_has_a_csrf_cookie_still_gets_no_new_cookie(site, page):
    """After using the form page a reader carries a csrftoken cookie; public pages leave it alone."""
    reader = Client()
    reader.get(site["article"].split("?")[0] + "comment/")
    assert "csrftoken" in reader.cookies
    response = reader.get(site[page])
    assert not response.cookies and "cookie" not in response.get("Vary", "").lower()


def test_the_comment_form_page_is_not_cacheable(site):
    response = Client().get(site["article"] + "comment/")
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
