"""Search finds what a reader means, in any title, on SQLite's FTS5 and PostgreSQL alike."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from search.models import SearchDocument
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, PersonFactory, StudioFactory

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


def results(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response, {g["slug"]: [h.object for h in g["hits"]] for g in response.context["groups"]}


@pytest.mark.parametrize("q", ["kimi no na wa", "Your name", "your NAME.", "君の名は", "Kimi"])
def test_any_title_finds_the_film(client, catalogue, q):
    _, groups = results(client, q)
    assert groups["films"][0] == catalogue["your_name"]


def test_director_finds_person_films_and_lists(client, catalogue):
    _, groups = results(client, "SHINKAI")
    assert groups["people"] == [catalogue["shinkai"]]
    assert set(groups["films"]) == {catalogue["your_name"], catalogue["garden"]}
    assert groups["lists"] == [catalogue["article"]]


@pytest.mark.parametrize("q", ["ōima", "oima", "OIMA", "Ōima"])
def test_accents_fold(client, catalogue, q):
    _, groups = results(client, q)
    assert groups["people"] == [catalogue["oima"]]
    assert groups["films"] == [catalogue["silent_voice"]]
    assert groups["lists"] == [catalogue["article"]]


def test_hashtag_words_and_dek_find_the_list(client, catalogue):
    assert results(client, "sad anime")[1]["lists"] == [catalogue["article"]]
    assert results(client, "#SadAnime")[1]["lists"] == [catalogue["article"]]
    assert results(client, "mend it")[1]["lists"] == [catalogue["article"]]
    assert results(client, "radwimps")[1]["lists"] == [catalogue["article"]]


def test_title_match_ranks_above_write_up_match(client, catalogue, indexed):
    with indexed():
        mentions = ArticleFactory(title="Quiet Films", dek="Tearjerker, tearjerker, tearjerker.")
        EntryFactory(article=mentions, write_up="A tearjerker. Another tearjerker. The tearjerker of tearjerkers.")
        titled = ArticleFactory(
            title="The Ultimate Tearjerker List", published_at=timezone.now() - datetime.timedelta(days=30)
        )
    assert results(client, "tearjerker")[1]["lists"] == [titled, mentions]


def test_results_are_highlighted_and_escaped(client, catalogue, indexed):
    with indexed():
        ArticleFactory(title="<b>Bold</b> Kimi list")
    response, _ = results(client, "kimi")
    html = response.content.decode()
    assert "<mark>Kimi</mark>" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>Kimi</mark> list" in html
    assert "<b>Bold</b>" not in html


def test_drafts_and_scheduled_lists_are_never_found(client, catalogue, monkeypatch):
    response, groups = results(client, "shinkai")
    assert catalogue["draft"] not in groups["lists"]
    assert "Secret Draft" not in response.content.decode()
    assert "Scheduled Shinkai" not in response.content.decode()
    # …until the scheduled list's time comes, with no reindexing.
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert "Scheduled Shinkai Retrospective" in [a.title for a in results(client, "shinkai")[1]["lists"]]


def test_edits_reach_the_index(client, catalogue, indexed):
    film = catalogue["garden"]
    with indexed():
        film.other_titles = "Words Garden Alt"
        film.save()
    assert results(client, "words garden alt")[1]["films"] == [film]
    with indexed():
        film.entries.all().delete()
        film.delete()
    assert "films" not in results(client, "words garden alt")[1]
    with indexed():
        catalogue["article"].hashtags.set(["HappyEndings"])
    assert results(client, "happy endings")[1]["lists"] == [catalogue["article"]]
    assert "lists" not in results(client, "sadanime")[1]


@pytest.mark.parametrize(
    "q", ["", "   ", '"', "*", "AND OR NOT (", "NEAR(", "title:", "'; DROP TABLE x; --", "^", "-", "x" * 5000, "zzqxv"]
)
def test_empty_or_absurd_queries_are_friendly(client, catalogue, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert len(response.context["query"]) <= 100


def test_long_query_is_capped(client, catalogue):
    response = client.get(URL, {"q": "kimi " * 100})
    assert len(response.context["query"]) == 100
    assert response.context["truncated"]
    assert "first 100 characters" in response.content.decode()


def test_pagination_and_bad_pages(client, db, indexed):
    with indexed():
        for n in range(15):
            FilmFactory(title=f"Paging Film {n}")
    overview = client.get(URL, {"q": "paging"})
    assert len(overview.context["groups"][0]["hits"]) == 5
    assert "type=films" in overview.context["groups"][0]["more"]
    page2 = client.get(URL, {"q": "paging", "type": "films", "page": 2})
    assert page2.status_code == 200
    assert len(page2.context["groups"][0]["hits"]) == 3
    assert (
        "← Previous</a>" in page2.content.decode() and "Newer" not in page2.content.decode()
    )  # best first, not by date
    assert client.get(URL, {"q": "paging", "type": "films", "page": 3}).status_code == 404
    assert client.get(URL, {"q": "paging", "type": "films", "page": "x"}).status_code == 404
    assert client.get(URL, {"q": "paging", "type": "nope"}).status_code == 404


def test_query_count_does_not_grow_with_results(client, db, indexed, django_assert_num_queries):
    def make(n):
        with indexed():
            for i in range(n):
                article = ArticleFactory(title=f"Count List {i}")
                EntryFactory(article=article, film=FilmFactory(title=f"Count Film {i}"))

    make(2)
    # counts; lists: hits + articles + their top entries' films (posters); films: hits + films + directors
    with django_assert_num_queries(7):
        client.get(URL, {"q": "count"})
    make(10)
    with django_assert_num_queries(7):
        client.get(URL, {"q": "count"})
    with django_assert_num_queries(4):  # counts, hits, films, directors
        client.get(URL, {"q": "count", "type": "films"})


def test_rebuild_command(catalogue):
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--dry-run")
    assert SearchDocument.objects.count() == 0
    out = StringIO()
    call_command("rebuild_search_index", "--batch-size=1", stdout=out)
    assert "film   [##########....................] 1/3" in out.getvalue()  # a progress bar per kind
    assert "film   [##############################] 3/3" in out.getvalue()
    assert "Search index rebuilt: 3 list(s), 3 film(s), 2 person(s), 1 studio(s)." in out.getvalue()
    assert SearchDocument.objects.filter(kind="film").count() == 3
    call_command("rebuild_search_index")  # idempotent
    assert SearchDocument.objects.count() == 3 + 2 + 3 + 1  # films, people, lists (all statuses), studios


def test_engine_matches_database():
    from search.engines import PostgresEngine, SQLiteEngine, get_engine

    expected = PostgresEngine if connection.vendor == "postgresql" else SQLiteEngine
    assert isinstance(get_engine(), expected)


def test_bulk_mood_tagging_and_merging_reach_the_index(client, catalogue, indexed):
    from films.services import films_add_mood, mood_get_or_create, mood_merge

    films = [catalogue["silent_voice"], catalogue["garden"]]
    with indexed():
        films_add_mood(films=films, mood=mood_get_or_create(name="Rainy Day"))
    assert set(results(client, "rainy day")[1]["films"]) == set(films)
    with indexed():
        mood_merge(source=mood_get_or_create(name="rainy day"), target=mood_get_or_create(name="drizzle"))
    assert set(results(client, "drizzle")[1]["films"]) == set(films)
    assert "films" not in results(client, "rainy")[1]


def test_empty_query_runs_no_search(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert "Type the name of a film" in response.content.decode()


def test_search_results_are_kept_out_of_indexes(client, catalogue):
    html = client.get(URL, {"q": "kimi"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html
    # The masthead's search box is labelled for screen readers.
    assert '<label class="visually-hidden" for="site-search-q">' in html


def test_short_last_word_is_not_a_prefix(client, catalogue, indexed):
    """ "wa" in "kimi no na wa" is a word, not the start of "watch" or "was"."""
    with indexed():
        ArticleFactory(title="Kimi no na lists", dek="What to watch when it rains.")
    response, groups = results(client, "kimi no na wa")
    assert "Kimi no na lists" not in [a.title for a in groups.get("lists", [])]
    assert groups["films"][0] == catalogue["your_name"]


def test_longer_last_word_completes(client, catalogue):
    _, groups = results(client, "shin")
    assert groups["people"] == [catalogue["shinkai"]]


@pytest.mark.parametrize("q", ["", "!!!", "   "])
def test_one_group_with_nothing_to_search_is_an_empty_page(client, db, q):
    response = client.get(URL, {"q": q, "type": "films"})
    assert response.status_code == 200
    assert response.context["groups"][0]["hits"] == []


def test_deleting_a_studio_takes_it_out_of_its_films_results(client, db, indexed):
    from tests.factories import StudioFactory

    with indexed():
        studio = StudioFactory(name="Comix Wave Films")
        film = FilmFactory(title="Kotonoha")
        film.studios.add(studio)
    assert results(client, "comix")[1]["films"] == [film]
    with indexed():
        studio.delete()
    assert "films" not in results(client, "comix")[1]


def test_snippets_come_from_what_a_reader_wrote_never_from_index_helpers(client, catalogue, indexed):
    """Issue 16, item 12: "kimi no na wa" showed "SadAnime Sad Anime · …" under the list."""
    response, groups = results(client, "kimi no na wa")
    assert groups["lists"] == [catalogue["article"]]
    snippets = {h.object: str(h.snippet_html) for g in response.context["groups"] for h in g["hits"]}
    # The list matched through its film's titles; its snippet is its own opening text.
    assert snippets[catalogue["article"]].startswith("Films that break your heart and mend it.")
    html = response.content.decode()
    for helper in ("SadAnime Sad Anime", "Sad Anime ·", "CoMix Wave Films", "bittersweet"):
        assert helper not in html
    # A hit in the write-ups is shown, marked, from the write-up.
    response, _ = results(client, "radwimps")
    assert "soundtrack by <mark>RADWIMPS</mark>" in response.content.decode()
    # A film found by its director shows its synopsis, not the credits list.
    with indexed():
        catalogue["your_name"].synopsis = "Two teenagers swap bodies across Japan."
        catalogue["your_name"].save()
    response, _ = results(client, "shinkai", type="films")
    html = response.content.decode()
    assert "Two teenagers swap bodies across Japan." in html and "新海誠" not in html


# At magazine scale: counts stop at a cap, kinds stay apart, the ranking is the same.


@pytest.fixture
def cap_3(monkeypatch):
    """COUNT_CAP of 3, previews and pages of 2: the behaviour of 1,000 without a thousand rows."""
    monkeypatch.setattr("search.views.COUNT_CAP", 3)
    monkeypatch.setattr("search.views.PREVIEW_SIZE", 2)
    monkeypatch.setattr("search.views.PAGE_SIZE", 2)


def test_counts_past_the_cap_read_plus_and_pages_stop_at_it(client, db, indexed, cap_3, django_assert_num_queries):
    with indexed():
        lists = [ArticleFactory(title=f"Orchard List {n}") for n in range(5)]
        film = FilmFactory(title="Orchard Film")
    with django_assert_num_queries(7):  # as with no cap: counts, then 3 per kind shown
        response, groups = results(client, "orchard")
    html = response.content.decode()
    assert "4+ results" in html  # 3 lists (capped) + 1 film
    assert 'Lists <span class="meta">(3+)</span>' in html
    assert "The best 3 lists →" in html
    assert 'Films <span class="meta">(1)</span>' in html
    assert groups["films"] == [film]
    assert len(groups["lists"]) == 2

    page1 = client.get(URL, {"q": "orchard", "type": "lists"})
    assert (
        "More than 3 lists match; these pages show the best 3 of the newest, title matches first."
        in page1.content.decode()
    )
    assert page1.context["paginator"].num_pages == 2
    page2 = client.get(URL, {"q": "orchard", "type": "lists", "page": 2})
    shown = page1.context["groups"][0]["hits"] + page2.context["groups"][0]["hits"]
    assert len(shown) == 3 and {h.object for h in shown} <= set(lists)
    assert client.get(URL, {"q": "orchard", "type": "lists", "page": 3}).status_code == 404


def test_hidden_lists_and_films_are_not_counted_towards_the_cap(client, db, indexed, cap_3):
    with indexed():
        visible = [ArticleFactory(title=f"Meadow List {n}") for n in range(3)]
        ArticleFactory(title="Meadow Draft", draft=True)
        ArticleFactory(title="Meadow Scheduled", scheduled=True)
        FilmFactory(title="Meadow Film", confirmed=False)  # in no list: not public
    response, groups = results(client, "meadow")
    html = response.content.decode()
    assert 'Lists <span class="meta">(3)</span>' in html and "(3+)" not in html
    assert "All 3 lists →" in html
    assert "films" not in groups
    assert "3 results" in html
    pages = [client.get(URL, {"q": "meadow", "type": "lists", "page": n}) for n in (1, 2)]
    assert {h.object for page in pages for h in page.context["groups"][0]["hits"]} == set(visible)
    for page in pages:
        assert "show the best" not in page.content.decode()
        assert "Meadow Draft" not in page.content.decode() and "Meadow Scheduled" not in page.content.decode()


def test_each_kind_counts_and_ranks_only_its_own(client, db, indexed):
    with indexed():
        person = PersonFactory(name="Harbour Person")
        studio = StudioFactory(name="Harbour Studio")
        films = [FilmFactory(title=f"Harbour Film {n}") for n in range(3)]
        article = ArticleFactory(title="Harbour List")
    response = client.get(URL, {"q": "harbour"})
    by_slug = {g["slug"]: g for g in response.context["groups"]}
    assert {slug: g["count"] for slug, g in by_slug.items()} == {"lists": 1, "films": 3, "people": 1, "studios": 1}
    assert [h.object for h in by_slug["people"]["hits"]] == [person]
    assert [h.object for h in by_slug["studios"]["hits"]] == [studio]
    assert [h.object for h in by_slug["lists"]["hits"]] == [article]
    only_films = client.get(URL, {"q": "harbour", "type": "films"}).context["groups"][0]["hits"]
    assert {h.kind for h in only_films} == {"film"} and {h.object for h in only_films} == set(films)


def test_title_matches_fill_the_first_page_before_anything_else(client, db, indexed, monkeypatch):
    """When title matches alone fill a page, only they are ranked for it; the rest follow them."""
    monkeypatch.setattr("search.views.PAGE_SIZE", 2)
    with indexed():
        mentions = ArticleFactory(title="Quiet Films", dek="Lantern lantern lantern lantern.")
        titled = [
            ArticleFactory(
                title=f"Lantern {'Festival Night ' * n}List", published_at=timezone.now() - datetime.timedelta(days=n)
            )
            for n in range(3)
        ]
    page1 = client.get(URL, {"q": "lantern", "type": "lists"}).context["groups"][0]["hits"]
    page2 = client.get(URL, {"q": "lantern", "type": "lists", "page": 2}).context["groups"][0]["hits"]
    # Shorter titles score higher in bm25; the list that only mentions the word comes last.
    assert [h.object for h in page1 + page2] == [*titled, mentions]


def test_equal_scores_are_ordered_by_object(client, db, indexed):
    with indexed():
        films = [FilmFactory(title="Twin Peaks Echo", year=2000) for _ in range(4)]
    hits = client.get(URL, {"q": "echo", "type": "films"}).context["groups"][0]["hits"]
    assert [h.object.pk for h in hits] == sorted(f.pk for f in films)


def test_document_ids_follow_kind_and_object(catalogue):
    from search.models import KIND_ID_BLOCK_SIZE

    for document in SearchDocument.objects.all():
        assert document.id == SearchDocument.id_for(document.kind, document.object_id)
    first, last = SearchDocument.id_range("film")
    assert last - first + 1 == KIND_ID_BLOCK_SIZE
    assert (
        SearchDocument.objects.filter(id__range=(first, last)).count()
        == SearchDocument.objects.filter(kind="film").count()
    )


def test_past_the_cap_the_newest_matches_and_title_matches_are_ranked(client, db, indexed, cap_3, monkeypatch):
    """
    Past COUNT_CAP matches of a kind, the ranking reads the COUNT_CAP newest
    matches and the COUNT_CAP newest title matches, so a common word costs the
    same on ten thousand lists as on a thousand; under the cap, every match.
    """
    with indexed():
        old_title = ArticleFactory(title="Willow")
        old_mention = ArticleFactory(title="Plain Old List", dek="Willow willow willow willow willow willow.")
        newer = [ArticleFactory(title=f"Plain List {n}", dek="A willow by the river.") for n in range(3)]
        # Newer still, but no reader may see them: they take no place among the newest.
        ArticleFactory(title="Willow Draft", draft=True)
        ArticleFactory(title="Plain Scheduled List", dek="Willow.", scheduled=True)

    page1 = client.get(URL, {"q": "willow", "type": "lists"})
    page2 = client.get(URL, {"q": "willow", "type": "lists", "page": 2})
    shown = [h.object for page in (page1, page2) for h in page.context["groups"][0]["hits"]]
    assert shown[0] == old_title  # an old title match still comes first
    assert old_mention not in shown  # older than the three newest matches
    assert len(shown) == 3 and set(shown[1:]) <= set(newer)
    assert (
        "More than 3 lists match; these pages show the best 3 of the newest, title matches first."
        in page1.content.decode()
    )

    monkeypatch.setattr("search.views.COUNT_CAP", 10)
    _, groups = results(client, "willow")
    assert groups["lists"] == [old_title, old_mention]  # under the cap the strongest mention is ranked
