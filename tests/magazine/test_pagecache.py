"""
The readers' page cache: a warm page is answered without a query, and every
kind of change a reader could see reaches them on their next request.
"""

import datetime
import gzip
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Entry, ShareLink
from articles.services import entries_save_in_order
from comments.models import Comment
from comments.services import comments_moderate
from films.models import Credit, Mood
from films.services import films_add_mood
from pagecache.middleware import cache_control, reader_request, storable
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EntryFactory,
    FilmFactory,
    HashtagFactory,
    MoodFactory,
    PersonFactory,
    StaffFactory,
    make_list,
)

pytestmark = pytest.mark.django_db


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    return response, len(ctx.captured_queries)


def warm(client, *urls):
    """Fetch each page until it is cached; a second fetch is then answered with no query."""
    for url in urls:
        client.get(url)
        response, count = queries(client, url)
        assert response.status_code == 200 and count == 0, (url, count)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def site():
    article = make_list(2, title="The Quiet Films")
    film = article.entries.get(rank=1).film
    tag = HashtagFactory(name="QuietCinema")
    article.hashtags.add(tag)
    mood = MoodFactory(name="hushed")
    film.moods.add(mood)
    return {
        "article": article,
        "film": film,
        "tag": tag,
        "mood": mood,
        "person": film.credits.first().person,
        "studio": film.studios.first(),
    }


# --- hits ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "archive", "article", "film", "hashtag", "mood", "feed", "sitemap", "search"])
def test_a_cached_public_page_is_answered_without_a_query(client, site, name):
    url = {
        "home": reverse("home"),
        "archive": reverse("articles:list"),
        "article": site["article"].get_absolute_url(),
        "film": site["film"].get_absolute_url(),
        "hashtag": site["tag"].get_absolute_url(),
        "mood": site["mood"].get_absolute_url(),
        "feed": reverse("feeds:latest_rss"),
        "sitemap": reverse("sitemap"),
        "search": reverse("search:results") + "?q=quiet",
    }[name]
    first = client.get(url)
    second, count = queries(client, url)
    assert count == 0
    assert second.status_code == 200
    assert second.content == first.content


def test_readers_arriving_from_campaign_or_social_links_share_the_cached_page(client, site):
    url = site["article"].get_absolute_url()
    first = client.get(url, {"utm_source": "newsletter", "utm_medium": "email"})
    for params in ({"fbclid": "IwAR0abc"}, {"fbclid": "IwAR0xyz"}, {"utm_source": "mastodon"}, {}):
        response, count = queries(client, url + "?" + "&".join(f"{k}={v}" for k, v in params.items()))
        assert count == 0, params
        assert response.content == first.content
    # Parameters a page does read still make pages of their own.
    archive = reverse("articles:list")
    for n in range(13):
        ArticleFactory(title=f"Older list {n}", published_at=timezone.now() - datetime.timedelta(days=30 + n))
    assert "Older list 12" in page(client, archive + "?page=2&utm_campaign=spring")
    second_page, count = queries(client, archive + "?page=2&fbclid=IwAR0abc")
    assert count == 0 and "Older list 12" in second_page.content.decode()
    assert "Older list 12" not in page(client, archive + "?fbclid=IwAR0abc")
    assert page(client, reverse("search:results") + "?q=quiet&utm_source=x") != page(
        client, reverse("search:results") + "?q=loud"
    )


def test_a_hit_sets_no_cookie_and_carries_no_csrf_token(client, site):
    url = site["article"].get_absolute_url()
    warm(client, url)
    response = client.get(url)
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


# --- every kind of change reaches the reader on the next request ---------------


def edit_and_read(client, obj, field, value, urls):
    """Warm `urls`, set obj.field = value and save: every url shows the new value at once."""
    warm(client, *urls)
    setattr(obj, field, value)
    obj.save()
    for url in urls:
        assert value in page(client, url), url


def test_editing_a_list_shows_on_its_page_home_and_archive(client, site):
    article = site["article"]
    urls = [article.get_absolute_url(), reverse("home"), reverse("articles:list")]
    edit_and_read(client, article, "title", "The Quietest Films", urls)


def test_an_entry_added_edited_and_removed_shows_at_once(client, site):
    article, url = site["article"], site["article"].get_absolute_url()
    warm(client, url)
    entry = EntryFactory(article=article, film=FilmFactory(title="Newcomer"), rank=3, write_up="Freshly ranked.")
    assert "Freshly ranked." in page(client, url)
    entry.write_up = "Rewritten reason."
    entry.save()
    assert "Rewritten reason." in page(client, url)
    entry.delete()
    assert "Newcomer" not in page(client, url)


def test_a_hashtag_added_to_a_list_shows_on_the_list_and_the_hashtag_page(client, site):
    article = site["article"]
    other = HashtagFactory(name="SlowBurn")
    ArticleFactory(title="Another list").hashtags.add(other)  # the hashtag page exists already
    urls = [article.get_absolute_url(), other.get_absolute_url()]
    warm(client, *urls)
    article.hashtags.add(other)
    assert "SlowBurn" in page(client, urls[0])
    assert "The Quiet Films" in page(client, urls[1])


def test_renaming_a_film_shows_on_its_page_and_every_list_ranking_it(client, site):
    urls = [site["film"].get_absolute_url(), site["article"].get_absolute_url()]
    edit_and_read(client, site["film"], "title", "Renamed Film", urls)


def test_renaming_a_person_or_a_studio_shows_on_the_film_page(client, site):
    url = site["film"].get_absolute_url()
    edit_and_read(client, site["person"], "name", "Newly Named Director", [url])
    edit_and_read(client, site["studio"], "name", "Renamed Studio", [url])


def test_a_credit_added_shows_on_the_film_and_person_pages(client, site):
    person = PersonFactory(name="New Composer")
    urls = [site["film"].get_absolute_url(), person.get_absolute_url()]
    warm(client, urls[0])
    Credit.objects.create(film=site["film"], person=person, role=Credit.Role.COMPOSER)
    assert "New Composer" in page(client, urls[0])


def test_moods_added_one_at_a_time_or_in_bulk_show_on_the_film_and_mood_pages(client, site):
    film, mood = site["film"], MoodFactory(name="wistful")
    other_film = FilmFactory(title="Already Wistful")
    other_film.moods.add(mood)
    urls = [film.get_absolute_url(), mood.get_absolute_url()]
    warm(client, *urls)
    film.moods.add(mood)
    assert "wistful" in page(client, urls[0])
    assert film.title in page(client, urls[1])
    third = MoodFactory(name="luminous")
    FilmFactory().moods.add(third)
    warm(client, third.get_absolute_url())
    films_add_mood(films=[film], mood=third)  # bulk_create: no model signal
    assert film.title in page(client, third.get_absolute_url())


def test_renaming_a_mood_shows_on_the_film_page(client, site):
    url = site["film"].get_absolute_url()
    warm(client, url)
    mood = Mood.objects.get(pk=site["mood"].pk)
    mood.name = "muted"
    mood.save()
    assert "muted" in page(client, url)


def test_a_comment_approved_or_removed_by_a_moderator_shows_or_goes(client, site):
    article, url = site["article"], site["article"].get_absolute_url()
    held = CommentFactory(article=article, held=True, body="Waiting for a moderator.")
    warm(client, url)
    assert "Waiting for a moderator." not in page(client, url)
    moderator = StaffFactory()
    comments_moderate(comments=Comment.objects.filter(pk=held.pk), action="approve", moderator=moderator)
    assert "Waiting for a moderator." in page(client, url)
    warm(client, url)
    comments_moderate(comments=Comment.objects.filter(pk=held.pk), action="remove", moderator=moderator)
    assert "Waiting for a moderator." not in page(client, url)


def test_a_held_comment_leaves_the_cached_pages_alone(client, site):
    url = site["article"].get_absolute_url()
    warm(client, url)
    CommentFactory(article=site["article"], held=True)
    assert queries(client, url)[1] == 0


def test_a_shared_draft_being_opened_leaves_the_cached_pages_alone(client, site):
    """Each opening of a share link is logged; that must not retire every reader's page."""
    url = site["article"].get_absolute_url()
    warm(client, url)
    draft = ArticleFactory(title="Not Yet", draft=True)
    link = ShareLink.objects.create(article=draft, expires_at=timezone.now() + datetime.timedelta(days=1))
    warm(client, url)
    assert Client().get(link.get_absolute_url()).status_code == 200
    assert queries(client, url)[1] == 0


def test_publishing_and_unpublishing_a_list(client, site):
    draft = ArticleFactory(title="Fresh From The Desk", draft=True)
    warm(client, reverse("home"), reverse("articles:list"), reverse("feeds:latest_rss"))
    draft.status = Article.Status.PUBLISHED
    draft.save()
    for url in (reverse("home"), reverse("articles:list"), reverse("feeds:latest_rss")):
        assert "Fresh From The Desk" in page(client, url), url
    warm(client, reverse("home"), draft.get_absolute_url())
    draft.status = Article.Status.DRAFT
    draft.save()
    assert "Fresh From The Desk" not in page(client, reverse("home"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_renaming_a_list_moves_it_and_the_old_address_redirects(client, site):
    article = site["article"]
    old = article.get_absolute_url()
    warm(client, old, reverse("home"))
    article.slug = "the-hushed-films"
    article.save()
    response = client.get(old)
    assert response.status_code == 301 and response["Location"].endswith("/articles/the-hushed-films/")
    assert "/articles/the-hushed-films/" in page(client, reverse("home"))


def test_a_scheduled_list_appears_at_its_time_with_the_cache_warm(client, site):
    start = timezone.now()
    at = start + datetime.timedelta(minutes=30)
    ArticleFactory(title="Tomorrow's List", published_at=at)
    urls = [reverse("home"), reverse("articles:list"), reverse("feeds:latest_rss"), site["film"].get_absolute_url()]
    warm(client, *urls)
    for url in urls[:3]:
        assert "Tomorrow&#x27;s List" not in page(client, url) and "Tomorrow's List" not in page(client, url)
    # Every lifetime sent ends by the publish time.
    control = client.get(urls[0])["Cache-Control"]
    directives = dict(d.strip().split("=") for d in control.split(",") if "=" in d)
    assert int(directives["s-maxage"]) + int(directives["stale-while-revalidate"]) <= 30 * 60
    with mock.patch("django.utils.timezone.now", return_value=at + datetime.timedelta(seconds=1)):
        for url in urls[:3]:
            html = page(client, url)
            assert "Tomorrow&#x27;s List" in html or "Tomorrow's List" in html, url


def test_an_unconfirmed_film_of_a_scheduled_list_appears_with_it_with_the_cache_warm(
    client, site, django_capture_on_commit_callbacks
):
    # The film's public_from is the list's time: the next-scheduled-publish
    # bound that retires cached pages for the list retires them for the film.
    at = timezone.now() + datetime.timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written on commit
        film = FilmFactory(title="Hushed Lanterns", confirmed=False)
        film.moods.add(site["mood"])
        EntryFactory(article=ArticleFactory(title="Tomorrow's List", published_at=at), film=film, rank=1)
    urls = [site["mood"].get_absolute_url(), reverse("search:results") + "?q=lanterns", reverse("home")]
    warm(client, *urls)
    assert client.get(film.get_absolute_url()).status_code == 404
    assert not any("Hushed Lanterns" in page(client, url) for url in urls[:2])
    with mock.patch("django.utils.timezone.now", return_value=at + datetime.timedelta(seconds=1)):
        for url in urls[:2]:
            assert "Hushed Lanterns" in page(client, url), url
        assert client.get(film.get_absolute_url()).status_code == 200


def test_a_page_that_changed_nothing_stays_cached_through_an_unrelated_request(client, site):
    url = site["article"].get_absolute_url()
    warm(client, url)
    client.get(reverse("home"))
    assert queries(client, url)[1] == 0


# --- who never reads or fills it ---------------------------------------------------


def test_staff_never_read_or_fill_the_cache(client, staff_client, site):
    url = site["article"].get_absolute_url()
    response, count = queries(staff_client, url)
    assert count > 0 and "private" in response["Cache-Control"]
    assert queries(client, url)[1] > 0  # the editor's visit stored nothing
    warm(client, url)
    Article.objects.filter(pk=site["article"].pk).update(title="Changed Behind The Cache")  # no signal
    assert "Changed Behind The Cache" in page(staff_client, url)  # the editor reads the database


def test_previews_are_never_stored(client, staff_client):
    scheduled = ArticleFactory(title="Not Yet", scheduled=True)
    url = scheduled.get_preview_url()
    first = staff_client.get(url)
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    anonymous = Client()
    assert anonymous.get(url).status_code == 404  # no copy of the staff answer
    assert not reader_request(mock.Mock(method="GET", COOKIES={}, META={}, path_info="/preview/abc123/"))


def test_the_comment_form_is_never_read_from_or_stored(client, site):
    url = reverse("comments:post", kwargs={"slug": site["article"].slug})
    client.get(url)
    response, count = queries(client, url)
    assert count > 0 and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "make",
    [
        lambda r: r.set_cookie("sessionid", "x"),
        lambda r: r.headers.__setitem__("Cache-Control", "no-store"),
        lambda r: r.headers.__setitem__("Cache-Control", "private"),
        lambda r: r.headers.__setitem__("Vary", "*"),
    ],
)
def test_answers_marked_personal_are_never_stored(rf, make):
    response = HttpResponse("hello")
    make(response)
    assert not storable(rf.get("/"), response)
    assert storable(rf.get("/"), HttpResponse("hello"))


def test_an_answer_that_used_a_csrf_token_is_never_stored(rf):
    request = rf.get("/")
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not storable(request, HttpResponse("form"))


# --- HTTP caching -----------------------------------------------------------------------


def test_public_pages_send_validators_and_answer_conditional_requests_with_304(client, site):
    url = site["article"].get_absolute_url()
    response = client.get(url)
    assert response["ETag"] and response["Last-Modified"]
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "s-maxage=" in response["Cache-Control"] and "stale-while-revalidate=" in response["Cache-Control"]
    by_tag, count = queries(client, url, if_none_match=response["ETag"])
    assert by_tag.status_code == 304 and count == 0 and by_tag.content == b""
    by_date = client.get(url, headers={"if-modified-since": response["Last-Modified"]})
    assert by_date.status_code == 304
    site["article"].title = "Changed"
    site["article"].save()
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 200


def test_the_etag_names_the_content_so_a_flushed_cache_still_answers_304(client, site):
    url = site["article"].get_absolute_url()
    before = client.get(url, headers={"accept-encoding": "gzip"})
    assert before["Content-Encoding"] == "gzip"
    assert before.content[4:8] == bytes(4)  # no timestamp in the gzip header: the same page, the same bytes
    cache.clear()  # a Redis restart: the page is made again, byte for byte
    again = client.get(url)
    assert again["ETag"] == before["ETag"]
    assert client.get(url, headers={"if-none-match": before["ETag"]}).status_code == 304
    site["article"].title = "Changed"
    site["article"].save()
    assert client.get(url)["ETag"] != before["ETag"]


def test_feeds_carry_validators_too(client, site):
    response = client.get(reverse("feeds:latest_atom"))
    assert response["ETag"] and "public" in response["Cache-Control"]
    assert client.get(reverse("feeds:latest_atom"), headers={"if-none-match": response["ETag"]}).status_code == 304


def test_lifetimes_never_pass_the_next_publish(settings):
    settings.PAGE_CACHE_MAX_AGE, settings.PAGE_CACHE_S_MAXAGE, settings.PAGE_CACHE_STALE_WHILE_REVALIDATE = 60, 300, 60
    assert cache_control(None, 0) == "public, max-age=60, s-maxage=300, stale-while-revalidate=60"
    assert cache_control(100, 0) == "public, max-age=60, s-maxage=100, stale-while-revalidate=0"
    assert cache_control(330, 0) == "public, max-age=60, s-maxage=300, stale-while-revalidate=30"
    assert cache_control(20, 0) == "public, max-age=20, s-maxage=20, stale-while-revalidate=0"


def test_pages_and_feeds_are_compressed_for_clients_that_ask(client, site):
    for url in (site["article"].get_absolute_url(), reverse("feeds:latest_rss")):
        plain = client.get(url)
        packed = client.get(url, headers={"accept-encoding": "gzip, br"})
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain.content
        assert len(packed.content) < len(plain.content) / 2


def test_the_admin_and_previews_are_never_compressed_or_public(staff_client, site):
    response = staff_client.get(reverse("admin:articles_article_changelist"), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response and "public" not in response.get("Cache-Control", "")
    preview = staff_client.get(site["article"].get_preview_url(), headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in preview and "no-store" in preview["Cache-Control"]


def test_entries_of_a_list_show_in_rank_order_after_a_reorder(client, site):
    article, url = site["article"], site["article"].get_absolute_url()
    warm(client, url)
    first, second = article.entries.order_by("rank")
    entries_save_in_order(article=article, entries=[second, first])  # what every reordering goes through
    html = page(client, url)
    assert html.index(second.film.title) < html.index(first.film.title)
