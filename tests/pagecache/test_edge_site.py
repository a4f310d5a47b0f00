"""
The site behind Varnish, end to end: the pages' own keys go to the edge, and
a committed change purges exactly them there within a second, with no
browser: a correction, an unpublish and a takedown.
"""

import time
from urllib.parse import urlsplit

import pytest

from articles.models import Article
from tests.factories import make_list
from tests.pagecache.test_varnish import get, running_varnish

pytestmark = [pytest.mark.varnish, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def edge(live_server, settings, tmp_path):
    """Varnish with deploy/varnish.vcl in front of the test's live server, told of every change."""
    origin_port = urlsplit(live_server.url).port
    with running_varnish(tmp_path, origin_port) as port:
        settings.PAGECACHE_EDGE = {"BACKEND": "varnish", "URLS": [f"http://127.0.0.1:{port}"]}
        settings.PAGECACHE_EDGE_HEADERS = ("xkey",)
        settings.PAGECACHE_RETIRE_IN_TRANSACTION = False  # real commits here
        yield port


def read(port, path):
    status, headers, body = get(port, path, headers={"Host": "localhost"})
    return status, headers.get("x-cache", ""), body.decode()


def until(predicate, seconds=1.0):
    """Whether `predicate()` holds within `seconds` (polled), and how long it took."""
    started = time.monotonic()
    while True:
        if predicate():
            return True, time.monotonic() - started
        if time.monotonic() - started > seconds:
            return False, seconds
        time.sleep(0.02)


def test_a_correction_an_unpublish_and_a_takedown_reach_the_edge_within_a_second(edge):
    article = make_list(2, title="Edge Case Films")
    other = make_list(1, title="Another Edge List")
    url, other_url = article.get_absolute_url(), other.get_absolute_url()
    unrelated = other.entries.get().film.get_absolute_url()  # a film page that shows neither list's card
    for path in (url, other_url, unrelated):
        read(edge, path)
        status, cache, _ = read(edge, path)
        assert status == 200 and cache.startswith("HIT"), (path, cache)

    article = Article.objects.get(pk=article.pk)
    article.title = "Edge Case Films, Corrected"
    article.save()
    landed, _ = until(lambda: "Edge Case Films, Corrected" in read(edge, url)[2])
    assert landed
    assert read(edge, unrelated)[1].startswith("HIT")  # an unrelated page stays at the edge

    article = Article.objects.get(pk=article.pk)
    article.status = Article.Status.DRAFT
    article.save()
    assert until(lambda: read(edge, url)[0] == 404)[0]

    assert read(edge, unrelated)[1].startswith("HIT")
    read(edge, other_url)
    Article.objects.get(pk=other.pk).delete()
    assert until(lambda: read(edge, other_url)[0] == 404)[0]
