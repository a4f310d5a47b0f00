"""Drafts and scheduled lists never reach readers, on any public page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, HashtagFactory, MoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_lists():
    """One live list, one draft and one scheduled for tomorrow, sharing a film and a hashtag."""
    film = FilmFactory(title="Shared Film")
    mood = MoodFactory(name="sad")
    film.moods.add(mood)
    tag = HashtagFactory(name="SadAnime")
    lists = {
        "live": ArticleFactory(title="Live List Title"),
        "draft": ArticleFactory(title="Draft List Title", draft=True),
        "scheduled": ArticleFactory(title="Scheduled List Title", scheduled=True),
    }
    for article in lists.values():
        EntryFactory(article=article, film=film, rank=1)
        article.hashtags.add(tag)
    return lists, film, mood, tag


def test_published_is_status_and_date():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    ArticleFactory(draft=True, published_at=timezone.now() - datetime.timedelta(days=3))
    assert list(Article.objects.published()) == [live]


def test_scheduled_list_goes_live_by_itself(client, monkeypatch):
    article = ArticleFactory(scheduled=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        lambda lists, film, mood, tag: reverse("home"),
        lambda lists, film, mood, tag: reverse("articles:list"),
        lambda lists, film, mood, tag: lists["live"].get_absolute_url(),
        lambda lists, film, mood, tag: film.get_absolute_url(),
        lambda lists, film, mood, tag: mood.get_absolute_url(),
        lambda lists, film, mood, tag: tag.get_absolute_url(),
    ],
    ids=["home", "archive", "article-more-from", "film-ranked-in", "mood", "hashtag"],
)
def test_unpublished_lists_never_leak(client, three_lists, url):
    lists, film, mood, tag = three_lists
    response = client.get(url(lists, film, mood, tag))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft List Title" not in body
    assert "Scheduled List Title" not in body


def test_live_list_is_listed_where_readers_look(client, three_lists):
    lists, film, mood, tag = three_lists
    for url in [reverse("home"), reverse("articles:list"), film.get_absolute_url(), tag.get_absolute_url()]:
        assert "Live List Title" in client.get(url).content.decode(), url


@pytest.mark.parametrize("which", ["draft", "scheduled"])
def test_unpublished_article_page_is_404(client, three_lists, which):
    lists, *_ = three_lists
    assert client.get(lists[which].get_absolute_url()).status_code == 404


def test_preview_is_for_staff_only(client, staff_client, three_lists):
    lists, *_ = three_lists
    url = lists["draft"].get_preview_url()
    assert client.get(url).status_code == 404
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Draft List Title" in response.content.decode()
    assert "this is a draft" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
