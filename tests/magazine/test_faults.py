"""What readers and editors see when Redis or the database fails."""

import logging

import environ
import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from articles.models import Article
from magazine.settings.base import resilient_redis
from magazine.views import server_error
from tests.factories import make_list
from tests.magazine.test_security import assert_no_inline_code

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every Redis call is refused at once. The config
# is made the way the settings make it for REDIS_URL.
DEAD_REDIS = {"default": resilient_redis(environ.Env.cache_url_config("redis://127.0.0.1:1/0"))}


@pytest.fixture
def redis_down(caplog):
    for log_filter in logging.getLogger("magazine.cache").filters:
        log_filter.last = float("-inf")  # a fresh process: the next outage is logged
    caplog.set_level(logging.ERROR, logger="magazine.cache")
    with override_settings(CACHES=DEAD_REDIS):
        yield caplog


def test_cache_down_degrades_to_no_cache(redis_down):
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    cache.add("k", 1)
    cache.incr("k")
    assert cache.get("k") is None
    assert cache.get_many(["a", "b"]) == {}
    cache.delete("k")
    logged = [r for r in redis_down.records if r.name == "magazine.cache"]
    assert len(logged) == 1  # once per process and interval, not once per call
    assert "Cache unavailable" in logged[0].getMessage()
    assert "Connection refused" in logged[0].getMessage()


def test_cache_down_public_pages_still_answer_and_failure_is_logged(client, redis_down):
    article = make_list(2)
    for url in ["/", "/articles/", article.get_absolute_url(), article.entries.first().film.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["cache"] == "unavailable"
    assert any(r.name == "magazine.cache" for r in redis_down.records)


def test_cache_down_admin_login_still_works(client, redis_down):
    from tests.factories import StaffFactory

    StaffFactory(username="ed")
    assert client.post("/admin/login/", {"username": "ed", "password": "wrong"}).status_code == 200
    response = client.post("/admin/login/", {"username": "ed", "password": "correct horse battery staple"})
    assert response.status_code == 302


def test_cache_down_comment_rate_limit_fails_open(client, redis_down, settings):
    from tests.comments.conftest import comment_data

    settings.COMMENTS_RATE_LIMIT = "1/60"
    article = make_list(1)
    url = reverse("comments:post", kwargs={"slug": article.slug})
    for body in ["First thoughts.", "Second thoughts."]:
        response = client.post(url, comment_data(article, body=body), REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 302, response.content.decode()
    assert article.comments.count() == 2


def _database_down(execute, sql, params, many, context):
    raise OperationalError("database is locked")


def test_database_down_gives_readers_a_clear_503(client):
    from django.db import connection

    article = make_list(1)
    with connection.execute_wrapper(_database_down):
        for url in ["/", article.get_absolute_url(), "/articles/"]:
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert "no-store" in response["Cache-Control"]
            body = response.content.decode()
            assert "back in a moment" in body
            assert "database is locked" not in body and "Traceback" not in body
            assert_no_inline_code(body)
            assert response["Content-Security-Policy"]


def test_healthz_reports_the_database_and_is_never_cached(client):
    from django.db import connection

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["cache"] == "ok"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    with connection.execute_wrapper(_database_down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_database_error_outside_a_view_still_gets_the_503_page():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    try:
        raise ValueError("secret detail")
    except ValueError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body and "secret detail" not in body
    assert_no_inline_code(body)


def test_an_uncaught_error_renders_our_500_page(monkeypatch):
    from articles import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views.HomeView, "get", boom)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "secret detail" not in response.content.decode()


def test_editor_loses_nothing_silently_when_the_database_fails_mid_save(staff_client, monkeypatch):
    """The admin save is one transaction: a failure after the article row was
    written leaves the article and its entries exactly as they were, and the
    editor is told that nothing was saved."""
    from articles import services

    article = make_list(2, title="Original title")
    entries = list(article.entries.order_by("rank"))
    before = [(e.pk, e.rank, e.film_id, e.write_up) for e in entries]
    real = services._entries_save  # the save's entries, written after the article row

    def save_then_fail(**kwargs):
        real(**kwargs)  # rows written inside the transaction …
        raise OperationalError("database is locked")  # … then the database goes away

    monkeypatch.setattr(services, "_entries_save", save_then_fail)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "title": "Edited title",
        "slug": article.slug,
        "dek": article.dek,
        "author": article.author_id,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "hashtags": "",
        "intro": article.intro,
        "conclusion": "A new conclusion.",
        "sign_off": "",
        "version": article.version,
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "2",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for i, entry in enumerate(reversed(entries)):  # swap the two ranks
        data.update(
            {
                f"entries-{i}-id": entry.pk,
                f"entries-{i}-article": article.pk,
                f"entries-{i}-rank": str(i + 1),
                f"entries-{i}-film": entry.film_id,
                f"entries-{i}-heading": "",
                f"entries-{i}-write_up": "Rewritten.",
            }
        )
    response = staff_client.post(url, data)
    assert response.status_code == 503
    assert "Your changes were not saved" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Original title"
    assert article.conclusion != "A new conclusion."
    after = [(e.pk, e.rank, e.film_id, e.write_up) for e in Article.objects.get(pk=article.pk).entries.order_by("rank")]
    assert after == before


def test_a_bulk_admin_action_is_all_or_nothing(staff_client, monkeypatch):
    from articles import admin as articles_admin
    from tests.factories import ArticleFactory

    drafts = [ArticleFactory(draft=True) for _ in range(3)]
    real, calls = articles_admin.article_publish, []

    def publish_then_fail(**kwargs):
        calls.append(kwargs["article"].pk)
        if len(calls) == 2:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(articles_admin, "article_publish", publish_then_fail)
    response = staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [a.pk for a in drafts]},
    )
    assert response.status_code == 503
    assert len(calls) == 2
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 0
