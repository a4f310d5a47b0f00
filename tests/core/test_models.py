"""The shared tag and slug rules: moods and hashtags answer alike, and every slugged model fills its slug."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article, Hashtag
from films.models import Film, Mood, Person, Studio
from tests.factories import HashtagFactory, MoodFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["#!!!", "!!!", "  #  ", "❤️"])
@pytest.mark.parametrize("model, noun", [(Mood, "mood"), (Hashtag, "hashtag")])
def test_a_tag_without_letter_or_digit_is_refused_with_one_message(model, noun, name):
    with pytest.raises(ValidationError) as exc:
        model(name=name).full_clean(exclude=["slug"])
    assert exc.value.message_dict["name"] == [f"A {noun} needs at least one letter or digit."]


def test_admin_refuses_a_punctuation_hashtag(staff_client):
    response = staff_client.post(reverse("admin:articles_hashtag_add"), {"name": "#!!!"})
    assert response.status_code == 200
    assert "A hashtag needs at least one letter or digit." in response.content.decode()
    assert not Hashtag.objects.exists()


def test_admin_refuses_a_hashtag_differing_only_in_case(staff_client):
    HashtagFactory(name="SadAnime")
    response = staff_client.post(reverse("admin:articles_hashtag_add"), {"name": " #sadanime "})
    assert "There is already a hashtag with this name." in response.content.decode()
    assert Hashtag.objects.count() == 1


def test_hashtag_keeps_its_case_and_a_mood_folds_it():
    assert Hashtag.objects.create(name="  #Sad   Anime ").name == "Sad Anime"
    assert Mood.objects.create(name="  #Sad   Anime ").name == "sad anime"


def test_admin_mood_whose_slug_is_taken_still_gets_its_own_address(staff_client):
    taken = MoodFactory(name="slow burn")
    response = staff_client.post(reverse("admin:films_mood_add"), {"name": "slow-burn", "description": ""})
    assert response.status_code == 302
    mood = Mood.objects.get(name="slow-burn")
    assert mood.slug != taken.slug
    assert staff_client.get(mood.get_absolute_url()).context["mood"] == mood


@pytest.mark.parametrize(
    "model, source, slug, max_length",
    [
        (Studio, "name", "studio-ghibli", 80),
        (Person, "name", "studio-ghibli", 80),
        (Film, "title", "studio-ghibli", 80),
        (Article, "title", "studio-ghibli", 100),
    ],
)
def test_an_empty_slug_is_filled_from_its_source_unique_and_cut_to_length(model, source, slug, max_length):
    assert model.objects.create(**{source: "Studio Ghibli"}).slug == slug
    assert model.objects.create(**{source: "Studio Ghibli!"}).slug == f"{slug}-2"
    long = model.objects.create(**{source: "word " * 30})
    assert long.slug.startswith("word-word") and len(long.slug) <= max_length
    assert model.objects.create(**{source: "Renamed"}, slug="kept").slug == "kept"
