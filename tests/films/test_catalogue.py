import pytest

from core.text import match_key
from films.models import Film
from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["Your Name", "your name.", "YOUR  NAME", "Kimi no Na wa", "kimi-no-na-wa", "君の名は。"]
)
def test_film_found_by_any_title_ignoring_case_and_punctuation(typed):
    film = FilmFactory(title="Your Name.", romanized_title="Kimi no Na wa", native_title="君の名は。")
    FilmFactory(title="Your Lie in April")
    assert list(Film.objects.matching(typed)) == [film]


def test_other_titles_match_too():
    film = FilmFactory(title="Anohana", other_titles="Ano Hi Mita Hana no Namae\nThe Flower We Saw That Day")
    assert list(Film.objects.matching("the flower we saw that day")) == [film]


def test_match_key_folds_accents():
    assert match_key("Ōima") == match_key("oima") == "oima"


def test_slugs_are_unique_and_readable():
    a = FilmFactory(title="Colorful")
    b = FilmFactory(title="Colorful")
    assert (a.slug, b.slug) == ("colorful", "colorful-2")
    assert FilmFactory(title="聲の形").slug == "聲の形"


def test_unknown_slug_is_404(client):
    assert client.get("/films/no-such-film/").status_code == 404
    assert client.get("/moods/no-such-mood/").status_code == 404
    assert client.get("/hashtags/no-such-tag/").status_code == 404
