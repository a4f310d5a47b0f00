"""
On Redis (the production stack) a page-cache hit is one round trip with no
pickle: the clock, the page and every key's stamp are read by one script, and
a reader whose If-None-Match names the page gets a 304 without its body
being read.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from redis.client import Redis

from tests.factories import make_list

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def round_trips(monkeypatch):
    commands = []
    real = Redis.execute_command

    def counted(self, *args, **options):
        commands.append(args[0])
        return real(self, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counted)
    return commands


def test_a_hit_is_one_round_trip_and_a_304_reads_no_body(client, round_trips, settings):
    settings.PAGECACHE_EDGE_HEADERS = ("xkey",)
    url = make_list(3, title="One Trip Films").get_absolute_url()
    first = client.get(url, headers={"accept-encoding": "gzip"})
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip"
    round_trips.clear()
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(url, headers={"accept-encoding": "gzip"})
    assert hit.status_code == 200 and hit.content == first.content and not queries.captured_queries
    assert round_trips == ["EVALSHA"]
    assert hit["xkey"] == first["xkey"] and "list:" in hit["xkey"]

    round_trips.clear()
    not_modified = client.get(url, headers={"if-none-match": first["ETag"], "accept-encoding": "gzip"})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert round_trips == ["EVALSHA"]


def test_a_change_retires_the_page_on_redis_too(client):
    article = make_list(2, title="Before The Change")
    url = article.get_absolute_url()
    client.get(url)
    article.title = "After The Change"
    article.save()
    assert "After The Change" in client.get(url).content.decode()
