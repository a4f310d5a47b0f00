"""
Where SQLite and PostgreSQL differ — case-insensitive matching, constraints,
concurrency — the behaviour is pinned here and runs on both (CI runs the
suite once per database). Tests that only make sense on one are marked.
"""

import threading

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from articles.models import Article, Entry, Hashtag
from films.models import Film, Mood
from tests.factories import ArticleFactory, FilmFactory, make_list


@pytest.mark.django_db
def test_tag_names_are_unique_whatever_the_case():
    Mood.objects.bulk_create([Mood(name="sad", slug="sad")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Mood.objects.bulk_create([Mood(name="SAD", slug="sad-2")])  # bypasses save()'s folding
    Hashtag.objects.bulk_create([Hashtag(name="SadAnime", slug="sadanime")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Hashtag.objects.bulk_create([Hashtag(name="sadanime", slug="sadanime-2")])


@pytest.mark.django_db
def test_rank_constraints_hold_in_the_database():
    article = make_list(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(article=article, film=FilmFactory(), rank=1)  # same rank
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(article=article, film=article.entries.get().film, rank=2)  # same film
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(article=article, film=FilmFactory(), rank=0)


@pytest.mark.django_db
def test_film_titles_match_without_case_or_punctuation():
    film = FilmFactory(title="Your Name.", romanized_title="Kimi no Na wa")
    assert list(Film.objects.matching("YOUR NAME")) == [film]
    assert list(Film.objects.matching("kimi-no-na-wa")) == [film]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_rank_inserts_never_duplicate_a_rank():
    """Two editors insert into the same list at the same moment: row locks
    (select_for_update, a no-op on SQLite) keep the ranks 1…N."""
    from articles.services import entry_insert_at

    article = make_list(3)
    films = [FilmFactory() for _ in range(6)]
    errors = []
    barrier = threading.Barrier(len(films))

    def insert(film):
        try:
            barrier.wait()
            entry_insert_at(article=article, film=film, rank=1)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=insert, args=(f,)) for f in films]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    ranks = list(article.entries.order_by("rank").values_list("rank", flat=True))
    assert ranks == list(range(1, 10))


@pytest.mark.redis
def test_redis_counters_are_shared_between_workers():
    """Two cache clients (two gunicorn workers) see one login-failure count."""
    import os

    from django_redis.cache import RedisCache

    url = os.environ["REDIS_URL"]
    one, two = (RedisCache(url, {"KEY_PREFIX": "shared-test"}) for _ in range(2))
    one.delete("failures")
    one.add("failures", 0, 60)
    one.incr("failures")
    two.incr("failures")
    assert one.get("failures") == two.get("failures") == 2
    one.delete("failures")
