"""A film is found by any of its titles through an indexed key, kept in step with the title fields."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from films.models import Film, FilmTitle
from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db


def titles_of(film):
    return list(film.titles.values_list("kind", "title", "key"))


def test_saving_a_film_writes_one_row_per_title():
    film = FilmFactory(
        title="Your Name.",
        romanized_title="Kimi no Na wa",
        native_title="君の名は。",
        other_titles="Your Name\n\n  Kimi no Na wa.  ",
    )
    assert titles_of(film) == [
        ("english", "Your Name.", "yourname"),
        ("romanized", "Kimi no Na wa", "kiminonawa"),
        ("native", "君の名は。", "君の名は"),
        ("other", "Your Name", "yourname"),
        ("other", "Kimi no Na wa.", "kiminonawa"),
    ]


def test_editing_the_titles_rewrites_the_rows_and_the_old_title_no_longer_matches():
    film = FilmFactory(title="Tamako Love Story", romanized_title="", other_titles="Tamako Market Movie")
    film.title = "Tamako: Love Story"
    film.other_titles = ""
    film.save()
    assert titles_of(film) == [("english", "Tamako: Love Story", "tamakolovestory")]
    assert list(Film.objects.matching("tamako market movie")) == []
    assert list(Film.objects.matching("TAMAKO LOVE STORY")) == [film]


def title_queries(save):
    with CaptureQueriesContext(connection) as ctx:
        save()
    return [q["sql"].split()[0] for q in ctx.captured_queries if "films_filmtitle" in q["sql"]]


def test_saving_without_title_changes_only_reads_the_rows():
    film = FilmFactory(title="Hal")
    film.synopsis = "A robot takes the place of a lost boyfriend."
    assert title_queries(film.save) == ["SELECT"]
    # Saving named fields that hold no title leaves the rows alone.
    assert title_queries(lambda: film.save(update_fields=["synopsis"])) == []
    film.title = "Hal (2013)"
    assert title_queries(lambda: film.save(update_fields=["title"])) == ["SELECT", "DELETE", "INSERT"]
    assert titles_of(film)[0] == ("english", "Hal (2013)", "hal2013")


def test_titles_are_gone_with_the_film():
    film = FilmFactory(title="Colorful")
    film.delete()
    assert not FilmTitle.objects.exists()


def test_two_titles_with_one_key_list_the_film_once_in_title_order():
    b = FilmFactory(title="Sakura", other_titles="SAKURA!")
    a = FilmFactory(title="A Sakura", other_titles="Sakura")
    FilmFactory(title="Sakura Wars")
    assert list(Film.objects.matching("sakura")) == [a, b]
    assert list(Film.objects.matching("sakura").order_by("-title")) == [b, a]


def test_first_matching_tries_titles_in_order_in_one_query(django_assert_num_queries):
    hal = FilmFactory(title="Hal")
    colorful = FilmFactory(title="Colorful", romanized_title="Karafuru")
    with django_assert_num_queries(1):
        assert Film.objects.first_matching(["No Such Film", "karafuru", "HAL"]) == (colorful, "karafuru")
    with django_assert_num_queries(1):
        assert Film.objects.first_matching(["hal.", "Colorful"]) == (hal, "hal.")
    with django_assert_num_queries(0):
        assert Film.objects.first_matching(["", None, "!!!"]) == (None, "")
    assert Film.objects.first_matching(["nothing", "at all"]) == (None, "")


def test_first_matching_takes_the_first_film_in_the_querysets_order():
    FilmFactory(title="Sakura")
    second = FilmFactory(title="A Sakura", other_titles="Sakura")
    assert Film.objects.first_matching(["sakura"]) == (second, "sakura")
    assert Film.objects.order_by("-title").first_matching(["sakura"])[0].title == "Sakura"


def test_known_as_any_title_without_a_query(django_assert_num_queries):
    film = FilmFactory(title="A Silent Voice", native_title="聲の形", other_titles="Koe no Katachi")
    with django_assert_num_queries(0):
        assert film.is_known_as("a silent voice.")
        assert film.is_known_as("KOE NO KATACHI")
        assert not film.is_known_as("A Silent Voice 2")
        assert not film.is_known_as("")


def test_matching_uses_the_key_index():
    FilmFactory(title="Your Name.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a table this small a sequential scan is cheaper; forbid it to
            # show that the index can answer the lookup.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Film.objects.matching("your name").explain()
    assert "filmtitle_key_film" in plan


@pytest.mark.django_db(transaction=True)
def test_migration_carries_existing_titles_and_reverses():
    executor = MigrationExecutor(connection)
    before, after = [("films", "0002_mood_case_insensitive_constraint_name")], [("films", "0003_film_titles")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("films", "Film")
    old.objects.create(
        title="Your Name.",
        romanized_title="Kimi no Na wa",
        other_titles="Your Name\nKimi no Nawa",
        slug="your-name",
        title_keys="|yourname|kiminonawa|",
    )
    old.objects.create(title="Hal", slug="hal", title_keys="|hal|")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    rows = FilmTitle.objects.order_by("film__slug", "position").values_list("film__slug", "kind", "title", "key")
    assert list(rows) == [
        ("hal", "english", "Hal", "hal"),
        ("your-name", "english", "Your Name.", "yourname"),
        ("your-name", "romanized", "Kimi no Na wa", "kiminonawa"),
        ("your-name", "other", "Your Name", "yourname"),
        ("your-name", "other", "Kimi no Nawa", "kiminonawa"),
    ]
    assert list(Film.objects.matching("kimi no na wa").values_list("slug", flat=True)) == ["your-name"]

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("films", "Film")
    assert dict(old.objects.values_list("slug", "title_keys")) == {
        "your-name": "|yourname|kiminonawa|",
        "hal": "|hal|",
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    Film.objects.all().delete()
