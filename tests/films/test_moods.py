"""Moods: one controlled, case-folded vocabulary; merge; bulk tagging in the admin."""

import math

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from films.models import Film, Mood
from films.services import films_add_mood, films_remove_mood, mood_get_or_create, mood_merge
from tests.factories import FilmFactory, MoodFactory

pytestmark = pytest.mark.django_db


def test_sad_sad_and_SAD_are_one_mood():
    first = mood_get_or_create(name="Sad")
    assert mood_get_or_create(name="sad") == first
    assert mood_get_or_create(name="  SAD ") == first
    assert Mood.objects.count() == 1
    assert first.name == "sad"


def test_database_refuses_a_second_casing():
    Mood.objects.create(name="bittersweet")
    with pytest.raises(IntegrityError), transaction.atomic():
        Mood.objects.bulk_create([Mood(name="Bittersweet", slug="bittersweet-2")])


def test_model_validation_names_the_clash():
    Mood.objects.create(name="tearjerker")
    with pytest.raises(ValidationError) as exc:
        Mood(name=" TEARJERKER ").full_clean()
    assert "There is already a mood with this name." in str(exc.value) or "already exists" in str(exc.value)


def test_japanese_mood_keeps_a_readable_slug(client):
    mood = mood_get_or_create(name="切ない")
    assert mood.slug == "切ない"
    film = FilmFactory(title="Kotonoha")
    film.moods.add(mood)
    response = client.get(mood.get_absolute_url())
    assert response.status_code == 200
    assert "Kotonoha" in response.content.decode()


def test_merge_moves_films_once_and_deletes_the_source():
    sad, weepy = MoodFactory(name="sad"), MoodFactory(name="weepy")
    both, only_weepy = FilmFactory(), FilmFactory()
    both.moods.add(sad, weepy)
    only_weepy.moods.add(weepy)
    moved = mood_merge(source=weepy, target=sad)
    assert moved == 1
    assert not Mood.objects.filter(name="weepy").exists()
    assert set(Film.objects.filter(moods=sad)) == {both, only_weepy}
    assert [m.name for m in both.moods.all()] == ["sad"]


def test_bulk_add_skips_films_already_tagged():
    sad = MoodFactory(name="sad")
    films = FilmFactory.create_batch(3)
    films[0].moods.add(sad)
    assert films_add_mood(films=films, mood=sad) == 2
    assert Film.objects.filter(moods=sad).count() == 3


@pytest.mark.parametrize("n", [5, 500])
def test_bulk_tagging_and_merging_take_as_many_queries_for_500_films_as_for_5(n, django_assert_num_queries):
    rainy, drizzle = MoodFactory(name="rainy"), MoodFactory(name="drizzle")
    films = FilmFactory.create_batch(n)
    with django_assert_num_queries(5):  # savepoint, already tagged, insert, the mood's count, release
        assert films_add_mood(films=films, mood=rainy) == n
    with django_assert_num_queries(10):  # + forwarding the old mood's address (two queries)
        assert mood_merge(source=rainy, target=drizzle) == n
    assert Film.objects.filter(moods=drizzle).count() == n


@pytest.mark.parametrize("n", [5, 500])
def test_untagging_and_merging_films_that_had_both_take_as_many_queries_for_500_films_as_for_5(
    n, django_assert_num_queries
):
    rainy, drizzle = MoodFactory(name="rainy"), MoodFactory(name="drizzle")
    films = FilmFactory.create_batch(n)
    films_add_mood(films=films, mood=rainy)
    films_add_mood(films=films, mood=drizzle)
    removed = n // 5 * 3
    # Savepoint, the rows, Django's DELETE of every 100 of them, one count of the mood, release:
    # the count is taken once, not once per film.
    with django_assert_num_queries(4 + math.ceil(removed / 100)):
        assert films_remove_mood(films=films[:removed], mood=drizzle) == removed
    drizzle.refresh_from_db()
    assert drizzle.uses == n // 5 * 2
    mood_merge(source=rainy, target=drizzle)
    drizzle.refresh_from_db()
    assert drizzle.uses == n


def changelist_action(staff_client, model, action, ids, **extra):
    return staff_client.post(
        reverse(f"admin:films_{model}_changelist"),
        {"action": action, "_selected_action": ids, **extra},
        follow=True,
    )


def test_admin_bulk_add_and_remove_mood(staff_client, client):
    heartwarming = MoodFactory(name="heartwarming")
    films = FilmFactory.create_batch(3)
    response = changelist_action(staff_client, "film", "add_mood", [f.pk for f in films[:2]], mood=heartwarming.pk)
    assert "Added “heartwarming” to 2 film(s)." in response.content.decode()
    page = client.get(heartwarming.get_absolute_url()).content.decode()
    assert films[0].title in page and films[1].title in page and films[2].title not in page

    response = changelist_action(staff_client, "film", "remove_mood", [films[0].pk], mood=heartwarming.pk)
    assert "Removed “heartwarming” from 1 film(s)." in response.content.decode()
    assert list(Film.objects.filter(moods=heartwarming)) == [films[1]]


def test_admin_bulk_action_without_mood_says_so(staff_client):
    film = FilmFactory()
    response = changelist_action(staff_client, "film", "add_mood", [film.pk])
    assert "Choose a mood in the box beside the action first." in response.content.decode()
    assert film.moods.count() == 0


def test_admin_merge_action(staff_client):
    sad, weepy = MoodFactory(name="sad"), MoodFactory(name="weepy")
    FilmFactory().moods.add(weepy)
    # Confirmed on the page a merge shows first (see test_mood_merges.py).
    response = changelist_action(staff_client, "mood", "merge", [weepy.pk], target=sad.pk, post="yes")
    assert "Merged weepy into “sad”." in response.content.decode()
    assert Film.objects.filter(moods=sad).count() == 1


def test_admin_mood_form_refuses_a_case_variant(staff_client):
    MoodFactory(name="sad")
    response = staff_client.post(reverse("admin:films_mood_add"), {"name": "  SAD ", "description": ""})
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert Mood.objects.count() == 1


def test_film_form_offers_moods_by_autocomplete_and_saves_them(staff_client):
    sad = MoodFactory(name="sad")
    film = FilmFactory(title="Hotaru")
    url = reverse("admin:films_film_change", args=[film.pk])
    page = staff_client.get(url).content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    found = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "sa", "app_label": "films", "model_name": "film", "field_name": "moods"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["sad"]
    data = {
        "title": "Hotaru",
        "romanized_title": "",
        "native_title": "",
        "other_titles": "",
        "slug": film.slug,
        "format": "feature",
        "year": "1988",
        "runtime_minutes": "",
        "episodes": "",
        "source": "",
        "synopsis": "",
        "moods": [sad.pk],
        "credits-TOTAL_FORMS": "0",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert [m.name for m in film.moods.all()] == ["sad"]


def test_mood_without_letters_is_refused_and_emoji_tags_still_get_an_address(staff_client):
    response = staff_client.post(reverse("admin:films_mood_add"), {"name": "!!!", "description": ""})
    assert "A mood needs at least one letter or digit." in response.content.decode()
    assert not Mood.objects.exists()
    from articles.models import Hashtag

    tag = Hashtag.objects.create(name="🎬")
    assert tag.slug.startswith("tag-") and tag.get_absolute_url()
