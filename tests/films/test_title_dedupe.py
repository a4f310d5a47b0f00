"""A film's romanized title is shown only when it says something its English title does not."""

import pytest
from lxml import html as lxml_html

from tests.factories import EntryFactory, FilmFactory

pytestmark = pytest.mark.django_db


def shown(client, film):
    """The original title on the list page's entry heading, and in the facts of the list and the film page."""
    entry = EntryFactory(film=film, rank=1)
    list_page = lxml_html.fromstring(client.get(entry.article.get_absolute_url()).content)
    film_page = lxml_html.fromstring(client.get(film.get_absolute_url()).content)
    facts = "//dt[text()='Original title']/following-sibling::dd[1]"
    return (
        list_page.xpath("string(//h2[@class='entry-title']/span[@class='original-title'])"),
        list_page.xpath(f"string({facts})"),
        film_page.xpath(f"string({facts})"),
    )


@pytest.mark.parametrize("romanized", ["Perfect Blue", "perfect blue", "PERFECT BLUE!", "Pērfect Blue"])
def test_a_romanized_title_equal_to_the_english_one_is_not_shown_twice(client, romanized):
    film = FilmFactory(title="Perfect Blue", romanized_title=romanized, native_title="")
    assert shown(client, film) == ("", "", "")


def test_the_native_title_still_shows_when_the_romanized_one_is_dropped(client):
    film = FilmFactory(title="Perfect Blue", romanized_title="Perfect Blue", native_title="パーフェクトブルー")
    assert shown(client, film) == ("", "パーフェクトブルー", "パーフェクトブルー")


def test_a_different_romanized_title_is_shown(client):
    film = FilmFactory(title="Your Name.", romanized_title="Kimi no Na wa.", native_title="君の名は。")
    assert shown(client, film) == ("Kimi no Na wa.", "Kimi no Na wa. (君の名は。)", "Kimi no Na wa. (君の名は。)")
