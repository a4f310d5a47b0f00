"""
Invalidation by key: each kind of change retires the pages that show what
changed (they show it on the next request) and no other (they stay hits,
answered with no query).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import entries_save_in_order
from comments.models import Comment
from comments.services import comments_moderate
from films.models import Film, Mood, Person, Studio
from films.services import mood_merge
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    FilmFactory,
    HashtagFactory,
    MoodFactory,
    StaffFactory,
    make_list,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def is_hit(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries) == 0


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert is_hit(client, url), url


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def world():
    """
    Three lists far apart in time (A, B and an old one), each with its own
    films, hashtag, mood, people and studio, and three companions sharing
    its hashtag just before it: each list's "More from" and pager then show
    its own companions, never another group's list.
    """
    lists = {}
    for name, days in (("a", 1), ("b", 30), ("old", 400)):
        article = make_list(2, title=f"List {name.upper()}", published_at=timezone.now() - days * DAY)
        tag = HashtagFactory(name=f"Tag{name.upper()}")
        article.hashtags.add(tag)
        for n in range(1, 4):
            ArticleFactory(
                title=f"Companion {name.upper()}{n}", published_at=timezone.now() - (days + n) * DAY
            ).hashtags.add(tag)
        film = article.entries.get(rank=1).film
        mood = MoodFactory(name=f"mood-{name}")
        film.moods.add(mood)
        lists[name] = {
            "article": article,
            "film": film,
            "tag": tag,
            "mood": mood,
            "person": film.credits.first().person,
            "studio": film.studios.first(),
        }
    return lists


def pages(item):
    return {
        "list": item["article"].get_absolute_url(),
        "film": item["film"].get_absolute_url(),
        "hashtag": item["tag"].get_absolute_url(),
        "mood": item["mood"].get_absolute_url(),
        "person": item["person"].get_absolute_url(),
        "studio": item["studio"].get_absolute_url(),
    }


def test_pages_carry_the_keys_they_show_for_the_edge(client, world, settings):
    settings.PAGECACHE_EDGE_HEADERS = ("xkey", "Surrogate-Key", "Cache-Tag")
    a = world["a"]
    response = client.get(a["article"].get_absolute_url())
    keys = set(response["xkey"].split())
    assert {f"list:{a['article'].pk}", f"film:{a['film'].pk}", f"comments:{a['article'].pk}"} <= keys
    assert f"film:{world['b']['film'].pk}" not in keys  # B may be in "More from", its films never
    assert response["Surrogate-Key"] == response["xkey"] == response["Cache-Tag"]
    # A hit carries the same keys.
    assert client.get(a["article"].get_absolute_url())["xkey"] == response["xkey"]


def test_a_comment_approved_retires_its_list_and_nothing_unrelated(client, world):
    a, b = world["a"], world["b"]
    held = CommentFactory(article=a["article"], held=True, body="First time here, lovely list.")
    warm(client, *pages(a).values(), *pages(b).values())
    comments_moderate(comments=Comment.objects.filter(pk=held.pk), action="approve", moderator=StaffFactory())
    assert "First time here, lovely list." in text(client, pages(a)["list"])
    for name, url in pages(b).items():
        assert is_hit(client, url), name
    for name in ("film", "mood", "person", "studio"):
        assert is_hit(client, pages(a)[name]), name


def test_a_held_comment_and_a_draft_save_retire_nothing(client, world):
    everything = [reverse("home"), reverse("articles:list"), *pages(world["a"]).values(), *pages(world["b"]).values()]
    draft = ArticleFactory(title="Still Drafting", draft=True)
    warm(client, *everything)
    CommentFactory(article=world["a"]["article"], held=True)
    draft.intro = "A new first line."
    draft.save()
    for url in everything:
        assert is_hit(client, url), url


def test_a_typo_fixed_in_an_old_list_retires_that_list_only(client, world):
    old, a = world["old"], world["a"]
    entry = old["article"].entries.get(rank=2)
    unrelated = [reverse("home"), reverse("articles:list"), *pages(a).values(), pages(old)["mood"]]
    warm(client, pages(old)["list"], *unrelated)
    entry.write_up = "Corrected: the ending is bittersweet, not tragic."
    entry.save()
    assert "Corrected: the ending is bittersweet" in text(client, pages(old)["list"])
    for url in unrelated:
        assert is_hit(client, url), url


def test_publishing_retires_home_archive_feeds_and_what_the_list_touches_only(client, world):
    a, b = world["a"], world["b"]
    draft = ArticleFactory(title="Fresh From The Desk", draft=True)
    draft.hashtags.add(a["tag"])
    from tests.factories import EntryFactory

    EntryFactory(article=draft, film=a["film"], rank=1)
    retired = [
        reverse("home"),
        reverse("articles:list"),
        reverse("feeds:latest_rss"),
        pages(a)["hashtag"],
        pages(a)["film"],
    ]
    kept = [pages(b)["list"], pages(b)["film"], pages(b)["hashtag"], pages(b)["mood"], pages(world["old"])["list"]]
    warm(client, *retired, *kept)
    draft = Article.objects.get(pk=draft.pk)
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    for url in retired:
        assert "Fresh From The Desk" in text(client, url), url
    for url in kept:
        assert is_hit(client, url), url


def test_unpublishing_and_deleting_retire_the_list_and_its_collections(client, world):
    a, b = world["a"], world["b"]
    warm(client, reverse("home"), pages(a)["list"], pages(a)["hashtag"], pages(b)["film"])
    article = Article.objects.get(pk=a["article"].pk)
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(pages(a)["list"]).status_code == 404
    assert "List A" not in text(client, reverse("home"))
    assert is_hit(client, pages(b)["film"])
    warm(client, reverse("home"), pages(b)["list"])
    Article.objects.get(pk=b["article"].pk).delete()
    assert client.get(pages(b)["list"]).status_code == 404
    assert "List B" not in text(client, reverse("home"))


def test_a_list_scheduled_later_than_the_next_retires_nothing_and_each_appears_at_its_time(client, world):
    from unittest import mock

    soon, later = (timezone.now() + datetime.timedelta(minutes=m) for m in (20, 50))
    urls = [reverse("home"), pages(world["a"])["list"]]
    for title, at in (("Coming Soon", soon), ("Coming Later", later)):
        warm(client, *urls)
        scheduled = Article.objects.get(pk=ArticleFactory(title=title, draft=True).pk)
        scheduled.status, scheduled.published_at = Article.Status.PUBLISHED, at
        scheduled.save()
    # The first schedule made pages end at its minute; the later one left them alone.
    assert is_hit(client, urls[1])
    control = client.get(urls[0])["Cache-Control"]
    assert int(control.split("s-maxage=")[1].split(",")[0]) <= 20 * 60
    for at, title in ((soon, "Coming Soon"), (later, "Coming Later")):
        with mock.patch("django.utils.timezone.now", return_value=at + datetime.timedelta(seconds=1)):
            assert title in text(client, urls[0]), title


def test_an_entry_moved_retires_its_list_and_its_films_pages(client, world):
    a, b = world["a"], world["b"]
    first, second = a["article"].entries.order_by("rank")
    warm(client, pages(a)["list"], first.film.get_absolute_url(), pages(b)["list"])
    entries_save_in_order(article=a["article"], entries=[second, first])
    html = text(client, pages(a)["list"])
    assert html.index(f'value="1"><a href="#rank-1">{second.film.title}') > 0
    assert "#2</span> in" in text(client, first.film.get_absolute_url())
    assert is_hit(client, pages(b)["list"])


@pytest.mark.parametrize("kind", ["film", "person", "studio"])
def test_a_catalogue_edit_retires_its_pages_and_the_lists_that_show_it(client, world, kind):
    a, b = world["a"], world["b"]
    model = {"film": Film, "person": Person, "studio": Studio}[kind]
    field = "title" if kind == "film" else "name"
    warm(client, pages(a)[kind], pages(a)["list"], pages(b)["list"], pages(b)[kind])
    row = model.objects.get(pk=a[kind].pk)
    setattr(row, field, f"Renamed {kind.title()}")
    row.save()
    assert f"Renamed {kind.title()}" in text(client, pages(a)[kind])
    assert f"Renamed {kind.title()}" in text(client, pages(a)["list"])
    assert is_hit(client, pages(b)["list"]) and is_hit(client, pages(b)[kind])


def test_a_hashtag_renamed_retires_its_pages_only(client, world):
    a, b = world["a"], world["b"]
    warm(client, pages(a)["hashtag"], pages(a)["list"], pages(b)["list"], pages(b)["hashtag"])
    tag = a["tag"]
    tag.name = "TagRenamed"
    tag.save()
    assert "#TagRenamed" in text(client, pages(a)["list"])
    assert is_hit(client, pages(b)["list"]) and is_hit(client, pages(b)["hashtag"])


def test_a_mood_renamed_or_merged_retires_its_films_pages_only(client, world):
    a, b = world["a"], world["b"]
    warm(client, pages(a)["film"], pages(b)["film"], pages(b)["list"])
    mood = Mood.objects.get(pk=a["mood"].pk)
    mood.name = "hushed"
    mood.save()
    assert "hushed" in text(client, pages(a)["film"])
    assert is_hit(client, pages(b)["film"]) and is_hit(client, pages(b)["list"])
    target = MoodFactory(name="quiet")
    warm(client, pages(a)["film"], pages(b)["list"])
    mood_merge(source=mood, target=target)
    assert "quiet" in text(client, pages(a)["film"])
    assert is_hit(client, pages(b)["list"])


def test_a_comment_removed_by_a_moderator_leaves_its_list(client, world):
    a, b = world["a"], world["b"]
    comment = CommentFactory(article=a["article"], body="Spam in disguise.")
    warm(client, pages(a)["list"], pages(b)["list"])
    assert "Spam in disguise." in text(client, pages(a)["list"])
    comments_moderate(comments=Comment.objects.filter(pk=comment.pk), action="remove", moderator=StaffFactory())
    assert "Spam in disguise." not in text(client, pages(a)["list"])
    assert is_hit(client, pages(b)["list"])


def test_an_unrelated_film_page_is_not_a_list_page(client, world):
    """A new film nobody ranks changes no page readers have."""
    urls = [reverse("home"), pages(world["a"])["list"], pages(world["a"])["film"]]
    warm(client, *urls)
    FilmFactory(title="Catalogued Only", confirmed=False)
    for url in urls:
        assert is_hit(client, url), url


def test_with_no_edge_the_keys_stay_home(client, world, settings):
    """Without EDGE_URL no header carries the keys: a list page's would be about 1.5 KB each."""
    assert settings.PAGECACHE_EDGE is None and settings.PAGECACHE_EDGE_HEADERS == ()
    response = client.get(pages(world["a"])["list"])
    assert not {"xkey", "Surrogate-Key", "Cache-Tag"} & set(response.headers)
