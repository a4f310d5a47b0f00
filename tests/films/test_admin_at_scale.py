"""The list editor's film box and the changelists stay quick when the catalogue is large."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, CommentFactory, EntryFactory, FilmFactory, PersonFactory

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


def changelist_titles(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def filters(page):
    """The changelist's filter sidebar."""
    return page.split('id="changelist-filter"')[1].split("</search>")[0]


def test_the_lists_search_finds_words_films_and_hashtags_each_list_once(staff_client):
    from articles.models import Hashtag

    rainy = ArticleFactory(title="Rainy Day Anime", draft=True)
    EntryFactory(article=rainy, film=FilmFactory(title="Garden of Words"), rank=1)
    EntryFactory(article=rainy, film=FilmFactory(title="Words Bubble Up Like Soda Pop"), rank=2)
    quiet = ArticleFactory(title="Quiet Films")
    quiet.hashtags.add(Hashtag.objects.create(name="RainyMood"))
    ArticleFactory(title="Loud Films")
    url = reverse("admin:articles_article_changelist")

    assert [a.title for a in changelist_titles(staff_client, url, q="words")] == [
        "Rainy Day Anime"
    ]  # two films, one row
    assert {a.title for a in changelist_titles(staff_client, url, q="rainy")} == {"Rainy Day Anime", "Quiet Films"}
    assert [a.title for a in changelist_titles(staff_client, url, q="rainy garden")] == [
        "Rainy Day Anime"
    ]  # every term
    assert [a.title for a in changelist_titles(staff_client, url, q='"quiet films"')] == [
        "Quiet Films"
    ]  # a quoted phrase
    assert changelist_titles(staff_client, url, q="nothing like this") == []


def test_the_moderation_queue_filters_by_the_lists_with_comments_waiting_not_every_list(staff_client):
    waiting = ArticleFactory(title="A List With Comments Waiting")
    CommentFactory(article=waiting, is_public=False, body="Held for a moderator.")
    answered = ArticleFactory(title="A List Whose Comments Are All Approved")
    CommentFactory(article=answered, body="Approved long ago.")
    queue = reverse("admin:comments_comment_changelist")

    page = staff_client.get(queue).content.decode()
    assert "A List With Comments Waiting" in filters(page)
    assert "A List Whose Comments Are All Approved" not in filters(page)
    assert 'id="date-hierarchy-label"' not in page  # no year links: a DISTINCT over every comment

    # Any list can still be chosen (from its title in the search box, or by address) and is then offered.
    page = staff_client.get(queue, {"article": answered.pk}).content.decode()
    assert "Approved long ago." in page and "Held for a moderator." not in page
    assert "A List Whose Comments Are All Approved" in filters(page)
    assert staff_client.get(queue, {"article": "x"}).status_code in (200, 302)  # the admin's "?e=1", never a 500
