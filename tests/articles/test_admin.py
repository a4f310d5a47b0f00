"""The editors' admin: compose a ranked list, insert, move, and be told what is wrong."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, HashtagFactory

pytestmark = pytest.mark.django_db

PREFIX = "entries"


def article_form(article=None, entries=(), **overrides):
    """POST data for the article change form; `entries` are dicts of rank/film/id/DELETE."""
    data = {
        "title": article.title if article else "Top 3 Quiet Films",
        "slug": article.slug if article else "",
        "dek": "",
        "author": "",
        "status": article.status if article else "draft",
        "published_at_0": timezone.now().strftime("%Y-%m-%d"),
        "published_at_1": "12:00:00",
        "hashtags": "",
        "intro": "",
        "conclusion": "",
        "sign_off": "",
        # The version the editor's page was opened at (refreshed: a save records a new one).
        "version": Article.objects.get(pk=article.pk).version if article else "",
        f"{PREFIX}-TOTAL_FORMS": str(len(entries)),
        f"{PREFIX}-INITIAL_FORMS": str(sum(1 for e in entries if e.get("id"))),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for i, entry in enumerate(entries):
        data[f"{PREFIX}-{i}-id"] = entry.get("id", "")
        data[f"{PREFIX}-{i}-article"] = article.pk if article else ""
        data[f"{PREFIX}-{i}-rank"] = entry.get("rank", "")
        data[f"{PREFIX}-{i}-film"] = entry["film"].pk
        data[f"{PREFIX}-{i}-heading"] = entry.get("heading", "")
        data[f"{PREFIX}-{i}-write_up"] = entry.get("write_up", "Words.")
        if entry.get("DELETE"):
            data[f"{PREFIX}-{i}-DELETE"] = "on"
    data.update(overrides)
    return data


def existing(article):
    return [{"id": e.pk, "rank": e.rank, "film": e.film} for e in article.entries.order_by("rank")]


def order(article):
    return list(article.entries.order_by("rank").values_list("rank", "film__title"))


@pytest.fixture
def abc():
    article = ArticleFactory(title="Top 3 Quiet Films", draft=True)
    for rank, title in enumerate(["A", "B", "C"], start=1):
        EntryFactory(article=article, rank=rank, film=FilmFactory(title=title))
    return article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_create_list_with_entries_numbered_in_order(staff_client):
    films = [FilmFactory(title=t) for t in "XYZ"]
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        article_form(entries=[{"film": f} for f in films]),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article = Article.objects.get(title="Top 3 Quiet Films")
    assert order(article) == [(1, "X"), (2, "Y"), (3, "Z")]


def test_insert_new_entry_at_rank_one(staff_client, abc):
    entries = existing(abc) + [{"rank": 1, "film": FilmFactory(title="D")}]
    response = staff_client.post(change_url(abc), article_form(abc, entries), follow=True)
    assert response.redirect_chain
    assert order(abc) == [(1, "D"), (2, "A"), (3, "B"), (4, "C")]
    assert "Ranks were renumbered 1–4 to make room." in response.content.decode()


def test_new_entry_without_rank_gets_next_free_rank(staff_client, abc):
    entries = existing(abc) + [{"film": FilmFactory(title="D")}]
    assert staff_client.post(change_url(abc), article_form(abc, entries)).status_code == 302
    assert order(abc) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]


def test_move_an_entry(staff_client, abc):
    entries = existing(abc)
    entries[2]["rank"] = 1  # C to the top
    assert staff_client.post(change_url(abc), article_form(abc, entries)).status_code == 302
    assert order(abc) == [(1, "C"), (2, "A"), (3, "B")]


def test_delete_closes_the_gap(staff_client, abc):
    entries = existing(abc)
    entries[0]["DELETE"] = True
    assert staff_client.post(change_url(abc), article_form(abc, entries)).status_code == 302
    assert order(abc) == [(1, "B"), (2, "C")]


def test_order_shown_after_saving_is_order_saved(staff_client, abc):
    entries = existing(abc)
    entries[0]["rank"], entries[1]["rank"] = 2, 1
    staff_client.post(change_url(abc), article_form(abc, entries))
    assert order(abc) == [(1, "B"), (2, "A"), (3, "C")]
    formset = staff_client.get(change_url(abc)).context["inline_admin_formsets"][0].formset
    assert [f.instance.film.title for f in formset.forms if f.instance.pk] == ["B", "A", "C"]


def test_duplicate_rank_is_refused_naming_both_entries(staff_client, abc):
    entries = existing(abc) + [{"rank": 2, "film": FilmFactory(title="D")}, {"rank": 2, "film": FilmFactory(title="E")}]
    response = staff_client.post(change_url(abc), article_form(abc, entries))
    assert response.status_code == 200
    assert "Rank 2 is given to both “D” and “E”. Give each entry its own rank." in response.content.decode()
    assert order(abc) == [(1, "A"), (2, "B"), (3, "C")]


def test_the_same_film_twice_is_refused_naming_its_ranks(staff_client, abc):
    film_b = abc.entries.get(rank=2).film
    entries = existing(abc) + [{"film": film_b}]
    response = staff_client.post(change_url(abc), article_form(abc, entries))
    assert response.status_code == 200
    assert "“B” is in this list 2 times (ranks 2, new). A film can appear only once." in response.content.decode()
    assert order(abc) == [(1, "A"), (2, "B"), (3, "C")]


def test_gap_is_refused(staff_client, abc):
    entries = existing(abc) + [{"rank": 7, "film": FilmFactory(title="D")}]
    response = staff_client.post(change_url(abc), article_form(abc, entries))
    assert response.status_code == 200
    assert (
        "Rank 7 for “D” would leave a gap: the list has 4 entries, so ranks run from 1 to 4."
        in response.content.decode()
    )
    assert order(abc) == [(1, "A"), (2, "B"), (3, "C")]


def test_same_film_twice_is_refused_and_form_keeps_what_was_typed(staff_client, abc):
    film_a = abc.entries.get(rank=1).film
    entries = existing(abc) + [{"rank": 1, "film": film_a, "write_up": "My careful new paragraph."}]
    response = staff_client.post(change_url(abc), article_form(abc, entries, dek="A new dek I typed"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "“A” is in this list 2 times" in body
    assert "My careful new paragraph." in body
    assert "A new dek I typed" in body
    assert order(abc) == [(1, "A"), (2, "B"), (3, "C")]
    assert abc.entries.count() == 3


def test_rank_below_one_is_refused(staff_client, abc):
    entries = existing(abc) + [{"rank": 0, "film": FilmFactory(title="D")}]
    response = staff_client.post(change_url(abc), article_form(abc, entries))
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()


def test_duplicate_slug_is_a_message_not_a_500(staff_client, abc):
    other = ArticleFactory(slug="taken")
    response = staff_client.post(change_url(abc), article_form(abc, existing(abc), slug=other.slug))
    assert response.status_code == 200
    assert "Article with this Slug already exists." in response.content.decode()


def test_publish_action_and_preview_link(staff_client, abc):
    changelist = staff_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert abc.get_preview_url() in changelist
    staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [abc.pk]},
    )
    abc.refresh_from_db()
    assert abc.is_live


def test_renumber_action_closes_gaps(staff_client):
    article = ArticleFactory()
    for rank, title in [(1, "A"), (4, "B")]:
        EntryFactory(article=article, rank=rank, film=FilmFactory(title=title))
    staff_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "renumber", "_selected_action": [article.pk]},
    )
    assert order(article) == [(1, "A"), (2, "B")]


@pytest.mark.parametrize("name", ["article", "hashtag"])
def test_admin_lists_search_and_filter(staff_client, abc, name):
    url = reverse(f"admin:articles_{name}_changelist")
    assert staff_client.get(url, {"q": "Quiet"}).status_code == 200


def test_hashtags_typed_with_hash_and_spaces_find_existing_ones(staff_client, abc):
    from articles.models import Hashtag

    HashtagFactory(name="AnimeLovers")
    response = staff_client.post(
        change_url(abc), article_form(abc, existing(abc), hashtags="#animelovers, #SadAnime # ❤️")
    )
    assert response.status_code == 302
    assert sorted(t.name for t in abc.hashtags.all()) == ["AnimeLovers", "SadAnime"]
    assert Hashtag.objects.count() == 2
    page = staff_client.get(change_url(abc)).content.decode()
    assert "#AnimeLovers #SadAnime" in page or "#SadAnime #AnimeLovers" in page
