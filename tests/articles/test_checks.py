"""Editorial checks, as an editor sees them on the article's admin page."""

import pytest

from articles.checks import article_checks
from films.models import Film
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, make_list


@pytest.fixture
def article(db):
    article = make_list(3, title="Top 3 Sad Movies")
    article.hashtags.add("SadAnime")
    return article


def test_a_clean_list_passes(article):
    assert article_checks(article) == []


def test_top_n_against_the_number_of_entries(article):
    EntryFactory(article=article, rank=4)
    assert article_checks(article) == ["The title promises 3 but the list has 4 entries."]


def test_gaps_in_ranks(article):
    article.entries.get(rank=2).delete()
    assert "Rank 2 is missing." in article_checks(article)


def test_tv_series_in_a_movies_list(article):
    entry = article.entries.get(rank=2)
    entry.film.format = Film.Format.TV
    entry.film.save()
    assert article_checks(article) == [f"#2 “{entry.film.title}” is a TV series, in a list of movies."]


def test_series_in_a_list_that_does_not_say_movies_is_fine(db):
    article = ArticleFactory(title="Top 1 Sad Anime")
    article.hashtags.add("A")
    EntryFactory(article=article, rank=1, film=FilmFactory(format=Film.Format.TV))
    assert article_checks(article) == []


def test_mojibake_left_and_empty_write_ups(article):
    article.intro = "Directed by KondĹŤ."
    article.save()
    entry = article.entries.get(rank=3)
    entry.write_up = ""
    entry.save()
    assert article_checks(article) == [
        "The intro: suspected mojibake left in the text: ĹŤ.",
        f"#3 “{entry.film.title}” has no write-up.",
    ]


def test_missing_hashtags(article):
    article.hashtags.clear()
    assert article_checks(article) == ["The list has no hashtags."]


def test_several_gaps_in_ranks(article):
    EntryFactory(article=article, rank=6)
    article.entries.get(rank=2).delete()
    assert "Ranks 2, 4 and 5 are missing." in article_checks(article)


def test_checks_show_on_the_admin_change_page(article, staff_client):
    EntryFactory(article=article, rank=4)
    response = staff_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    assert "The title promises 3 but the list has 4 entries." in response.text


def test_admin_change_page_says_when_all_checks_pass(article, staff_client):
    response = staff_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert "All checks pass." in response.text
