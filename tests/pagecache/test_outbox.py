"""
An invalidation is never lost: a change whose keys cannot reach the cache is
kept in the database and retried until it lands, and meanwhile no process
that met the outage serves a page the lost change might cover.
"""

import os
import socket
import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from pagecache import invalidation, store
from pagecache.models import PendingInvalidation
from tests.factories import make_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit_path_only(settings):
    """What production does: keys are retired on commit, and only then."""
    settings.PAGECACHE_RETIRE_IN_TRANSACTION = False
    invalidation.forget_outage()
    yield
    invalidation.forget_outage()


def is_hit(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code == 200 and not ctx.captured_queries


def unpublish(article, commit):
    with commit(execute=True):
        article = Article.objects.get(pk=article.pk)
        article.status = Article.Status.DRAFT
        article.save()


def test_a_change_the_cache_cannot_take_is_kept_and_lands_later(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # committed, as a real list would be
        article = make_list(2, title="Kept Safe")
    url = article.get_absolute_url()
    client.get(url)
    assert is_hit(client, url)
    real_retire = store.retire

    def unreachable(keys):
        raise ConnectionError("the cache did not answer")

    monkeypatch.setattr(store, "retire", unreachable)
    unpublish(article, django_capture_on_commit_callbacks)
    kept = PendingInvalidation.objects.get()
    assert f"list:{article.pk}" in kept.keys.split()
    # The cache still holds the page, but this process met the outage: it
    # trusts nothing in the cache until the kept keys have landed.
    assert invalidation.degraded()
    assert client.get(url).status_code == 404
    monkeypatch.setattr(store, "retire", real_retire)
    monkeypatch.setattr(invalidation, "DRAIN_INTERVAL", 0)
    assert client.get(url).status_code == 404  # drained first, then answered
    assert not PendingInvalidation.objects.exists() and not invalidation.degraded()
    assert client.get(url).status_code == 404


def test_a_retry_that_fails_again_keeps_the_change(monkeypatch):
    PendingInvalidation.objects.create(keys="list:1 home")
    monkeypatch.setattr(store, "retire", lambda keys: (_ for _ in ()).throw(ConnectionError("still away")))
    invalidation.met_outage()
    assert invalidation.drain(force=True) is False
    assert PendingInvalidation.objects.get().keys == "list:1 home"
    assert invalidation.degraded()


def test_nothing_is_kept_when_the_cache_answers(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_list(1)
    unpublish(article, django_capture_on_commit_callbacks)
    assert not PendingInvalidation.objects.exists() and not invalidation.degraded()


# --- Redis behind a proxy that black-holes --------------------------------------------


class BlackHoleProxy:
    """A TCP proxy to Redis on 127.0.0.1 that can swallow every byte (a network partition)."""

    def __init__(self, target):
        self.target = target
        self.black_hole = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                if not self.black_hole.is_set():
                    sink.sendall(data)
        except OSError:
            pass

    def close(self):
        self.listener.close()


@pytest.mark.redis
def test_redis_black_holed_during_an_unpublish_serves_no_reader_the_list(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from urllib.parse import urlsplit

    parts = urlsplit(os.environ["REDIS_URL"])
    proxy = BlackHoleProxy((parts.hostname, parts.port or 6379))
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}{parts.path or '/1'}",
            "KEY_PREFIX": f"outbox-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    monkeypatch.setattr(invalidation, "DRAIN_INTERVAL", 0)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            article = make_list(2, title="Taken Off In A Storm")
        url = article.get_absolute_url()
        client.get(url)
        assert is_hit(client, url)
        proxy.black_hole.set()
        unpublish(article, django_capture_on_commit_callbacks)
        assert PendingInvalidation.objects.exists()
        for _ in range(3):  # during the partition: rendered from the database
            assert client.get(url).status_code == 404
        proxy.black_hole.clear()
        cache.close()  # the partition broke the open connections; new ones are made
        for _ in range(5):  # after it: the kept change lands before anything is read
            assert client.get(url).status_code == 404
        assert not PendingInvalidation.objects.exists()
    finally:
        proxy.black_hole.clear()
        proxy.close()
