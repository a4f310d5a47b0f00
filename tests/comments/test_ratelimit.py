"""The per-address rate limit, on local memory and across processes sharing Redis."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.test import RequestFactory

from comments.ratelimit import comment_rate_limited
from core.net import client_address
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory

REDIS_URL = os.environ.get("REDIS_URL", "")  # the `redis` marker skips without it
ROOT = Path(__file__).resolve().parents[2]


def test_limit_counts_per_address_and_window(settings, monkeypatch):
    settings.COMMENTS_RATE_LIMIT = "3/60"

    def post(address):
        return comment_rate_limited(RequestFactory().post("/", REMOTE_ADDR=address))

    monkeypatch.setattr(time, "time", lambda: 1000.0)
    assert [post("192.0.2.1") for _ in range(5)] == [False, False, False, True, True]
    assert post("192.0.2.2") is False  # another address
    monkeypatch.setattr(time, "time", lambda: 1080.0)
    assert post("192.0.2.1") is False  # the next window


@pytest.mark.django_db
def test_limit_applies_per_address(post_comment, client, settings):
    settings.COMMENTS_RATE_LIMIT = "1/60"
    article = ArticleFactory()
    assert post_comment(article, body="one").status_code == 302
    assert post_comment(article, body="two").status_code == 429
    other = client.post(
        f"/articles/{article.slug}/comment/",
        comment_data(article, body="three"),
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client can prepend anything
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: do not trust it
        (1, "garbage", "10.0.0.1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.MAGAZINE_TRUSTED_PROXIES = proxies
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


WORKER = """
import django, sys
django.setup()
from django.test import RequestFactory
from comments.ratelimit import comment_rate_limited
request = RequestFactory().post("/", REMOTE_ADDR=sys.argv[1])
print(sum(not comment_rate_limited(request) for _ in range(int(sys.argv[2]))))
"""


@pytest.mark.redis
def test_limit_holds_across_two_processes_sharing_redis():
    """Two separate worker processes, 8 attempts each, one address: only 5 in all get through."""
    prefix = f"test-{uuid.uuid4()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "magazine.settings.test",
        "COMMENTS_RATE_LIMIT": "5/3600",
        "REDIS_URL": f"{REDIS_URL}?key_prefix={prefix}",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, "192.0.2.50", "8"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [w.communicate(timeout=60) for w in workers]
    for worker, (_out, err) in zip(workers, results):
        assert worker.returncode == 0, err
    allowed = [int(out) for out, _ in results]
    assert sum(allowed) == 5, allowed
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    keys = server.keys(f"{prefix}:*")
    assert keys and sum(int(server.get(k)) for k in keys) == 16  # every attempt was counted in Redis
    server.delete(*keys)
    # without a shared cache each process would have let 5 through (10 in all)


@pytest.mark.redis
@pytest.mark.django_db
def test_view_rate_limit_on_redis_cache(post_comment, settings):
    import redis

    prefix = f"test-{uuid.uuid4()}"
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    }
    settings.COMMENTS_RATE_LIMIT = "2/60"
    article = ArticleFactory()
    assert [post_comment(article, body=f"c{n}").status_code for n in range(3)] == [302, 302, 429]
    server = redis.Redis.from_url(REDIS_URL)
    # The page cache and the single-use form tokens keep keys there too; the limit's are "rl".
    keys = server.keys(f"{prefix}:*:rl*")
    assert len(keys) == 1 and int(server.get(keys[0])) == 3  # the count lives in Redis
    server.delete(*server.keys(f"{prefix}:*"))
