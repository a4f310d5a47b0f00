"""The list editor's film box and the changelists stay quick when the catalogue is large."""

import pytest
from django.urls import reverse

from tests.factories import EntryFactory, FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db


def film_box(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "articles", "model_name": "entry", "field_name": "film"},
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_the_film_box_finds_a_film_by_any_of_its_titles(staff_client):
    FilmFactory(title="Your Name.", romanized_title="Kimi no Na wa", year=2016)
    FilmFactory(title="Weathering with You", romanized_title="Tenki no Ko", year=2019)
    assert film_box(staff_client, "you") == ["Weathering with You (2019)", "Your Name. (2016)"]
    assert film_box(staff_client, "kimi no") == ["Your Name. (2016)"]
    assert film_box(staff_client, "yourna") == ["Your Name. (2016)"]  # typed without the space
    assert film_box(staff_client, "tenki ko") == ["Weathering with You (2019)"]


def test_the_film_box_costs_the_same_queries_however_many_films(staff_client, django_assert_max_num_queries):
    director = PersonFactory(name="Makoto Shinkai")
    for n in range(30):
        FilmFactory(title=f"Garden {n}", director=director)
    film_box(staff_client, "garden")  # the session and permissions, once
    with django_assert_max_num_queries(6):
        assert len(film_box(staff_client, "garden")) == 20  # the first page of results


def test_changelists_count_lists_and_films_per_row(staff_client):
    film = FilmFactory(title="Counted")
    EntryFactory(film=film)
    EntryFactory(film=film)
    html = staff_client.get(reverse("admin:films_film_changelist")).content.decode()
    assert '<td class="field-list_count">2</td>' in html
    html = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<td class="field-entry_count">1</td>' in html
