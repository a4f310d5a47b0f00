"""
A hashtag's page and feed exist only once a published list carries it; a
hashtag feed in the wrong case redirects like the page; a merged mood's page
and feed redirect to the mood it was merged into, after a confirmation page.
"""

import pytest
from django.urls import reverse

from films.models import Film, Mood
from films.services import mood_merge
from slugs.models import OldSlug
from tests.factories import ArticleFactory, FilmFactory, HashtagFactory, MoodFactory, make_list

pytestmark = pytest.mark.django_db

HASHTAG_URLS = ["articles:hashtag", "feeds:hashtag_rss", "feeds:hashtag_atom"]
MOOD_URLS = ["films:mood", "feeds:mood_rss", "feeds:mood_atom"]


@pytest.mark.parametrize("name", HASHTAG_URLS)
@pytest.mark.parametrize("where", ["draft", "scheduled"])
def test_hashtag_only_drafts_or_scheduled_lists_carry_is_404(client, name, where):
    tag = HashtagFactory(name="SecretProject")
    ArticleFactory(**{where: True}).hashtags.add(tag)
    url = reverse(name, args=[tag.slug])
    assert client.get(url).status_code == 404
    ArticleFactory().hashtags.add(tag)  # a published list now carries it
    response = client.get(url)
    assert response.status_code == 200
    assert "SecretProject" in response.content.decode()


@pytest.mark.parametrize("name", HASHTAG_URLS)
def test_hashtag_in_the_wrong_case_redirects_permanently_to_the_lower_case_address(client, name):
    tag = HashtagFactory(name="SadAnime")
    ArticleFactory().hashtags.add(tag)
    response = client.get(reverse(name, args=["SadAnime"]))
    assert response.status_code == 301
    assert response["Location"] == reverse(name, args=["sadanime"])
    assert client.get(response["Location"]).status_code == 200


def test_hashtag_query_count_is_unchanged(client, django_assert_num_queries):
    tag = HashtagFactory(name="SadAnime")
    make_list(3).hashtags.add(tag)
    with django_assert_num_queries(5):  # as pinned in test_query_counts.py (the card posters are one)
        assert client.get(tag.get_absolute_url()).status_code == 200


@pytest.fixture
def merged(db):
    """'weepy' (with a film) merged into 'sad'; a list features the film so the feeds have an item."""
    sad, weepy = MoodFactory(name="sad"), MoodFactory(name="weepy")
    film = FilmFactory(title="Grave of the Fireflies")
    film.moods.add(weepy)
    article = ArticleFactory()
    article.entries.create(film=film, rank=1)
    mood_merge(source=weepy, target=sad)
    return {"sad": sad, "old_slug": "weepy", "film": film}


@pytest.mark.parametrize("name", MOOD_URLS)
def test_merged_mood_page_and_feeds_redirect_permanently_to_the_target(client, merged, name):
    response = client.get(reverse(name, args=[merged["old_slug"]]))
    assert response.status_code == 301
    assert response["Location"] == reverse(name, args=[merged["sad"].slug])
    assert "Grave of the Fireflies" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("name", MOOD_URLS)
def test_unknown_mood_is_still_404(client, name):
    assert client.get(reverse(name, args=["never-was"])).status_code == 404


def test_a_chain_of_merges_lands_in_one_hop(client, merged):
    tearjerker = MoodFactory(name="tearjerker")
    mood_merge(source=merged["sad"], target=tearjerker)
    for old in ("weepy", "sad"):
        response = client.get(reverse("films:mood", args=[old]))
        assert (response.status_code, response["Location"]) == (301, tearjerker.get_absolute_url())


def test_a_reused_name_merged_again_points_to_the_new_target(client, merged):
    weepy_again, gloomy = MoodFactory(name="weepy"), MoodFactory(name="gloomy")
    assert weepy_again.slug == "weepy"
    # While it lives, the new mood answers at its address.
    assert client.get("/moods/weepy/").status_code == 200
    mood_merge(source=weepy_again, target=gloomy)
    response = client.get("/moods/weepy/")
    assert (response.status_code, response["Location"]) == (301, gloomy.get_absolute_url())
    assert OldSlug.objects.filter(slug="weepy").count() == 1


def merge_post(staff_client, ids, target, **extra):
    return staff_client.post(
        reverse("admin:films_mood_changelist"),
        {"action": "merge", "_selected_action": ids, "target": target.pk, **extra},
    )


def test_merge_asks_first_saying_what_will_move(staff_client):
    sad, weepy, gloomy = MoodFactory(name="sad"), MoodFactory(name="weepy"), MoodFactory(name="gloomy")
    both, only_weepy, only_gloomy = FilmFactory(), FilmFactory(), FilmFactory()
    both.moods.add(sad, weepy)
    only_weepy.moods.add(weepy)
    only_gloomy.moods.add(gloomy, weepy)
    response = merge_post(staff_client, [weepy.pk, gloomy.pk, sad.pk], sad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Merge moods into “sad”?" in page
    rows = {m.name: (m.num_films, m.num_moving, m.num_already) for m in response.context["sources"]}
    assert rows == {"weepy": (3, 2, 1), "gloomy": (1, 1, 0)}
    assert "“sad” has 1 film; after the merge it will have 3." in page
    assert 'value="Yes, merge 2 moods into “sad”"' in page
    # Nothing happened yet.
    assert set(Mood.objects.values_list("name", flat=True)) == {"sad", "weepy", "gloomy"}

    response = merge_post(staff_client, [weepy.pk, gloomy.pk, sad.pk], sad, post="yes")
    assert response.status_code == 302
    assert set(Mood.objects.values_list("name", flat=True)) == {"sad"}
    assert Film.objects.filter(moods=sad).count() == 3
    assert staff_client.get("/moods/gloomy/")["Location"] == sad.get_absolute_url()


def test_merge_without_a_target_or_other_mood_says_so(staff_client):
    sad = MoodFactory(name="sad")
    response = staff_client.post(
        reverse("admin:films_mood_changelist"), {"action": "merge", "_selected_action": [sad.pk]}, follow=True
    )
    assert "Choose the mood to merge into" in response.content.decode()
    response = staff_client.post(
        reverse("admin:films_mood_changelist"),
        {"action": "merge", "_selected_action": [sad.pk], "target": sad.pk},
        follow=True,
    )
    assert "Select at least one mood other than the one to merge into." in response.content.decode()
    assert Mood.objects.filter(name="sad").exists()
