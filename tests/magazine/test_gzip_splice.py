"""
A page made around warm cached fragments is compressed around them: each
fragment's compressed piece is kept and spliced into the page's gzip
(pagecache/gzip.py, `spliced_gzip`). What a reader's browser receives
must still be the page, byte for byte, and no larger than one pass makes.
"""

import gzip
import itertools
import random
from unittest import mock

import pytest
from django.core.cache import cache

from pagecache import gzip as pagecache
from pagecache.gzip import spliced_gzip
from tests.factories import make_list

fresh = itertools.count()


def words(seed, n):
    rng = random.Random(seed)
    vocabulary = ["anime", "film", "<p>", "</p>", "love", "rain", "train", "letter", "summer", "ranked", "#7", "東京"]
    return " ".join(rng.choice(vocabulary) for _ in range(n))


@pytest.fixture
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_spliced_gzip_is_the_page_byte_for_byte(clean_cache):
    head, first, middle, second, tail = (words(seed, 9000) for seed in range(5))  # each past deflate's 32 KB window
    body = (head + first + middle + second + tail).encode()
    fragments = [("first", first), ("second", second)]

    made = spliced_gzip(body, fragments)
    assert gzip.decompress(made) == body  # gzip checks the CRC and the length too
    assert spliced_gzip(body, fragments) == made  # the kept pieces, used again, give the same bytes
    assert len(made) <= len(gzip.compress(body, 6)) * 1.01


def test_fragments_at_either_end_and_back_to_back(clean_cache):
    first, second = words(1, 3000), words(2, 3000)
    for body, fragments in [
        (first + second, [("a", first), ("b", second)]),
        (first, [("a", first)]),
        ("<html>" + first, [("a", first)]),
    ]:
        assert gzip.decompress(spliced_gzip(body.encode(), fragments)) == body.encode()


def test_a_kept_piece_is_only_used_after_the_same_bytes(clean_cache):
    """A piece refers back to what preceded it when it was made: a new preamble needs a piece of its own."""
    fragment = words(3, 4000)
    for preamble in (words(4, 500), words(5, 500)):
        body = (preamble + fragment + "</html>").encode()
        assert gzip.decompress(spliced_gzip(body, [("same-key", fragment)])) == body


def test_a_fragment_missing_from_the_page_means_one_ordinary_pass(clean_cache):
    assert spliced_gzip(b"<html>nothing cached here</html>", [("gone", "a fragment")]) is None
    assert spliced_gzip(b"<html>no fragments</html>", []) is None


def deflated_bytes(client, url, **headers):
    """Fetch `url` under a new address (a page-cache miss): (response, bytes handed to the compressor)."""
    with mock.patch.object(pagecache, "_deflate", wraps=pagecache._deflate) as deflate:
        response = client.get(f"{url}?n={next(fresh)}", headers=headers)
    return response, sum(len(call.args[0]) for call in deflate.call_args_list)


@pytest.mark.django_db
def test_a_reader_receives_the_list_compressed_around_its_fragments(client, clean_cache):
    article = make_list(20, title="Twenty Compressed Films")
    url = article.get_absolute_url()
    first, compressed = deflated_bytes(client, url)
    plain = first.content
    assert "Twenty Compressed Films" in plain.decode()
    assert compressed == len(plain)  # the first time all of it, the list as a piece of its own
    for _ in range(2):
        response, compressed = deflated_bytes(client, url, accept_encoding="gzip")
        assert compressed < len(plain) / 4  # then only what surrounds the list and its head
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain
        assert int(response["Content-Length"]) == len(response.content) <= len(gzip.compress(plain, 6)) * 1.01
