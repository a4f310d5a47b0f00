"""End-to-end journeys, one per person, as each would describe them."""

import re

import pytest
from django.contrib.auth.models import Permission

from tests.factories import (
    EntryFactory,
    FilmFactory,
    HashtagFactory,
    MoodFactory,
    PersonFactory,
    StaffFactory,
    UserFactory,
    make_list,
)

from .conftest import DESKTOP, PHONE
from .people import Editor, Moderator, Reader, Tagger

PASTED_LIST = """\
Rain, Trains and Letters

Three quiet films for a grey afternoon, each about people who almost miss each other.

1. The Garden of Words (Kotonoha no Niwa)

A student and a stranger meet in a Tokyo garden on rainy mornings. Makoto Shinkai paints every drop.

2. 5 Centimeters per Second (Byousoku 5 Centimeter)

Three chapters of a love that drifts apart, told in trains, snow and unsent letters.

3. Whisper of the Heart (Mimi wo Sumaseba)

A girl who reads every library book finds that one boy borrowed them all first.

#QuietAnime
"""
PASTED_FILMS = ["The Garden of Words", "5 Centimeters per Second", "Whisper of the Heart"]


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


def test_editor_imports_a_pasted_list_and_readers_see_it(new_page, live_server):
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))

    preview = editor.import_listicle(PASTED_LIST, title="Rain, Trains and Letters")
    assert [row.split("\t")[0] for row in preview] == ["#1", "#2", "#3"]
    for row, title in zip(preview, PASTED_FILMS):
        assert title in row
    # The draft is the admin's ordinary change page, entries in the pasted order.
    assert editor.page.get_by_label(re.compile("^Title:?$")).input_value() == "Rain, Trains and Letters"
    assert [title for _, title in editor.admin_ranks()] == PASTED_FILMS

    reader = Reader(new_page(), live_server)
    assert reader.open("/articles/rain-trains-and-letters/").status == 404  # a draft, not live
    reader.page.problems.clear()

    editor.publish("Rain, Trains and Letters")

    reader.open_home()
    reader.follow_list("Rain, Trains and Letters")
    assert reader.contents() == PASTED_FILMS
    assert reader.entry_titles() == [f"{rank} {title}" for rank, title in enumerate(PASTED_FILMS, start=1)]


def test_reader_searches_comments_and_sees_it_once_approved(new_page, live_server, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article = make_list(3, title="Three Quiet Films")
    film = FilmFactory(title="The Garden of Words", director=PersonFactory(name="Makoto Shinkai"))
    EntryFactory(article=article, film=film, rank=4)
    reader = Reader(new_page(), live_server)

    reader.open_home()
    reader.search("shinkai")
    assert any(title.startswith("The Garden of Words") for title in reader.search_results())
    reader.follow_result("The Garden of Words")
    reader.follow_ranked_in("Three Quiet Films")

    body = "The rain scene in the garden made me cry."
    status = reader.comment(name="Aiko", email="aiko@example.com", body=body)
    assert "Waiting for a moderator" in status
    # Its writer sees it in place, marked; the shared page shows it once approved.
    assert reader.comments() == [("Aiko", body)]
    reader.open(article.get_absolute_url())
    assert reader.comments() == []

    moderator = Moderator(new_page(), live_server)
    moderator.log_in(StaffFactory(username="moderator"))
    moderator.approve(body)

    reader.open(article.get_absolute_url())
    # Pages may stay a minute in the reader's own browser (max-age=60): a
    # reload asks the site again, and the site's cache has already let go.
    reader.page.reload()
    assert reader.comments() == [("Aiko", body)]
    assert reader.page.locator("#comments-heading").inner_text() == "1 comment"


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
