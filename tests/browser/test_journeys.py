"""End-to-end journeys, one per person, as each would describe them."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import (
    FilmFactory, HashtagFactory, MoodFactory, StaffFactory, UserFactory, make_list,
)

from .conftest import DESKTOP, PHONE
from .people import Editor, Reader, Tagger


def test_editor_builds_reorders_previews_and_publishes_a_list(new_page, live_server):
    for title in ["Your Name", "A Silent Voice", "Wolf Children", "Whisper of the Heart"]:
        FilmFactory(title=title)
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))

    editor.start_list(title="Four Films to Cry To", dek="Tissues ready.", intro="Why we cry.")
    for title in ["Your Name", "A Silent Voice", "Wolf Children"]:
        editor.add_entry(title, write_up=f"About {title}.")
    editor.save_and_continue()
    assert editor.admin_ranks() == [(1, "Your Name"), (2, "A Silent Voice"), (3, "Wolf Children")]

    # A fourth film goes in at the top and Wolf Children moves up to #2, in one save.
    editor.add_entry("Whisper of the Heart", rank=1)
    editor.set_rank("Wolf Children", 2)
    editor.save_and_continue()
    expected = ["Whisper of the Heart", "Wolf Children", "Your Name", "A Silent Voice"]
    assert editor.admin_ranks() == list(enumerate(expected, start=1))

    editor.preview()
    assert "this is a draft" in editor.page.locator(".preview-banner").inner_text()
    reader = Reader(new_page(), live_server)
    assert reader.open("/articles/four-films-to-cry-to/").status == 404  # not live yet
    reader.page.problems.clear()

    editor.publish("Four Films to Cry To")

    reader.open_home()
    reader.follow_list("Four Films to Cry To")
    assert reader.contents() == expected
    assert reader.entry_titles() == [f"{rank} {title}" for rank, title in enumerate(expected, start=1)]


def test_tagger_adds_a_mood_to_several_films_at_once(new_page, live_server):
    chosen = [FilmFactory(title=t) for t in ["Your Name", "A Silent Voice", "Wolf Children"]]
    FilmFactory(title="Summer Wars")
    MoodFactory(name="bittersweet")
    tagger_user = UserFactory(username="tagger", is_staff=True)
    tagger_user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="films", codename__in=["view_film", "change_film"])
    )
    tagger = Tagger(new_page(), live_server)
    tagger.log_in(tagger_user)

    tagger.add_mood([film.title for film in chosen], "bittersweet")

    reader = Reader(new_page(), live_server)
    reader.open("/moods/bittersweet/")
    assert reader.film_cards() == sorted(film.title for film in chosen)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_reader_browses_from_home_to_a_hashtag(new_page, live_server, viewport):
    article = make_list(10, title="Ten Films That Stay With You")
    article.hashtags.add(HashtagFactory(name="SadAnime"))
    seventh = article.entries.get(rank=7).film
    seventh.moods.add(MoodFactory(name="tearjerker"))
    reader = Reader(new_page(viewport), live_server)

    reader.open_home()
    reader.follow_list(article.title)
    entry = reader.jump_to(7)
    assert reader.open_film(entry) == seventh.title
    reader.follow_mood("tearjerker")
    assert reader.film_cards() == [seventh.title]
    reader.page.go_back()
    reader.follow_ranked_in(article.title)
    reader.follow_hashtag("SadAnime")
    assert reader.card_titles() == [article.title]
