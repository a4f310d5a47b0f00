"""
Each hashtag and mood stores how many lists or films carry it (core.tag_uses),
so the home page's chips read one row per tag. Every way a tagging comes or
goes keeps the number true, and readers' counts still leave out what they may
not see, scheduled lists included until their time comes.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Hashtag, TaggedArticle
from core.tag_uses import recount
from films.models import Mood, TaggedFilm
from films.services import films_add_mood, films_remove_mood, mood_merge
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, HashtagFactory, MoodFactory

pytestmark = pytest.mark.django_db


def mood_chips(client):
    """{mood name: count} as the home page's "Browse by mood" shows them."""
    page = client.get(reverse("home")).content.decode()
    return {
        name: int(n)
        for name, n in re.findall(r'class="chip" href="/moods/[^"]+/">([^<]+) <span class="count">(\d+)</span>', page)
    }


def hashtag_chips(client):
    """The home page's hashtags, in its order (most lists first)."""
    page = client.get(reverse("home")).content.decode()
    return re.findall(r'class="chip chip-hashtag" href="/hashtags/[^"]+/">#([^<]+)</a>', page)


def stored(tag):
    tag.refresh_from_db()
    return tag.uses


def test_a_mood_counts_films_as_they_are_tagged_untagged_and_deleted(client):
    rainy = MoodFactory(name="rainy")
    films = [FilmFactory() for _ in range(3)]
    for film in films:
        film.moods.add(rainy)
    assert stored(rainy) == 3
    assert mood_chips(client) == {"rainy": 3}

    films[0].moods.remove(rainy)
    films[1].delete()
    assert stored(rainy) == 1
    assert mood_chips(client) == {"rainy": 1}

    films[2].moods.clear()
    assert stored(rainy) == 0
    assert mood_chips(client) == {}


def test_bulk_tagging_untagging_and_merging_keep_the_counts(client):
    rainy, drizzle = MoodFactory(name="rainy"), MoodFactory(name="drizzle")
    films = [FilmFactory() for _ in range(5)]
    assert films_add_mood(films=films, mood=rainy) == 5  # bulk_create: no per-row signal
    films[0].moods.add(drizzle)
    assert mood_chips(client) == {"rainy": 5, "drizzle": 1}

    assert films_remove_mood(films=films[3:], mood=rainy) == 2
    assert stored(rainy) == 3

    mood_merge(source=rainy, target=drizzle)  # films[0] had both: its rainy row goes with rainy
    assert stored(drizzle) == 3
    assert mood_chips(client) == {"drizzle": 3}


def test_deleting_a_mood_or_a_hashtag_takes_its_taggings_and_leaves_the_others_true():
    sad, calm = MoodFactory(name="sad"), MoodFactory(name="calm")
    film = FilmFactory()
    film.moods.add(sad, calm)
    sad.delete()
    assert stored(calm) == 1
    assert TaggedFilm.objects.count() == 1


def test_hashtags_count_every_list_but_readers_see_only_published_ones(client):
    tearjerker, comfort = HashtagFactory(name="Tearjerker"), HashtagFactory(name="Comfort")
    for _ in range(2):
        ArticleFactory().hashtags.add(comfort)
    live = ArticleFactory()
    live.hashtags.add(tearjerker)
    for article in (ArticleFactory(draft=True), ArticleFactory(scheduled=True), ArticleFactory(scheduled=True)):
        article.hashtags.add(tearjerker)
    assert stored(tearjerker) == 4  # drafts and scheduled lists included
    assert hashtag_chips(client) == ["Comfort", "Tearjerker"]  # 2 published lists against 1

    later = timezone.now() + datetime.timedelta(days=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        # The two scheduled lists went live: nothing was written, and the order turns.
        assert hashtag_chips(client) == ["Tearjerker", "Comfort"]
    assert Hashtag.objects.with_list_counts().get(pk=tearjerker.pk).num_lists == 1

    live.delete()
    assert stored(tearjerker) == 3


def test_a_moods_count_leaves_out_films_readers_may_not_see(client):
    quiet = MoodFactory(name="quiet")
    quiet_films = [FilmFactory(), FilmFactory(confirmed=False)]  # the second is unconfirmed and ranked nowhere
    for film in quiet_films:
        film.moods.add(quiet)
    assert stored(quiet) == 2
    assert mood_chips(client) == {"quiet": 1}
    EntryFactory(film=quiet_films[1], article=ArticleFactory())  # a published list makes it public
    assert mood_chips(client) == {"quiet": 2}


def test_a_count_that_drifted_is_put_right_by_recount_and_never_goes_below_zero():
    tag = HashtagFactory()
    article = ArticleFactory()
    article.hashtags.add(tag)
    Hashtag.objects.filter(pk=tag.pk).update(uses=0)  # as if a raw SQL write had gone behind its back
    article.hashtags.remove(tag)
    assert stored(tag) == 0
    TaggedArticle.objects.create(content_object=article, tag=tag)
    Hashtag.objects.filter(pk=tag.pk).update(uses=7)
    assert recount(TaggedArticle) == Hashtag.objects.count()
    assert stored(tag) == 1


def test_a_restore_counts_again(tmp_path):
    mood = MoodFactory(name="wistful")
    films = [FilmFactory() for _ in range(2)]
    films_add_mood(films=films, mood=mood)
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path))
    Mood.objects.filter(pk=mood.pk).update(uses=0)
    call_command("restore", str(path), force=True)
    assert stored(mood) == 2
