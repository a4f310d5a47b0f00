"""
A cataloguer's two screens: the film list with its state column, where
unconfirmed films are filtered and confirmed, and the page a mood merge
shows before it deletes anything — by mouse and by keyboard, axe-clean at
phone and desktop width.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from films.models import Film, Mood
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, MoodFactory, StaffFactory

from .conftest import DESKTOP, PHONE
from .people import StaffMember
from .test_accessibility import axe_violations

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
# Set SCREENSHOTS_DIR to keep a PNG of each screen to look at.
SHOTS = os.environ.get("SCREENSHOTS_DIR")


def shoot(page, name, viewport):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{viewport['width']}.png", full_page=True)


@pytest.fixture
def cataloguer(db, new_page, live_server):
    def log_in(viewport=DESKTOP):
        staff = StaffMember(new_page(viewport), live_server)
        staff.log_in(StaffFactory(username=f"cataloguer{viewport['width']}"))
        return staff

    return log_in


@pytest.fixture
def catalogue(db):
    typo = FilmFactory(title="Howls Movng Castel", confirmed=False)
    EntryFactory(article=ArticleFactory(draft=True), film=typo, rank=1)
    FilmFactory(title="Spirited Away")
    sad, weepy, gloomy = MoodFactory(name="sad"), MoodFactory(name="weepy"), MoodFactory(name="gloomy")
    for film in FilmFactory.create_batch(3):
        film.moods.add(weepy)
    FilmFactory().moods.add(gloomy, sad)
    return {"typo": typo, "sad": sad}


@VIEWPORTS
def test_unconfirmed_films_are_filtered_and_confirmed(cataloguer, catalogue, viewport):
    staff = cataloguer(viewport)
    staff.open("/admin/films/film/")
    row = staff.page.locator("#result_list tr", has_text="Howls Movng Castel")
    expect(row).to_contain_text("Unconfirmed, not public")
    staff.page.get_by_role("link", name="Unconfirmed", exact=True).click()
    expect(staff.page.locator("#result_list tbody tr")).to_have_count(1)
    shoot(staff.page, "admin-films-unconfirmed", viewport)
    report = axe_violations(staff.page)
    assert not report, report
    staff.run_action("/admin/films/film/?confirmed=no", ["Howls Movng Castel"], "confirm")
    expect(staff.page.locator("ul.messagelist")).to_contain_text("Confirmed 1 film(s).")
    assert Film.objects.get(pk=catalogue["typo"].pk).confirmed


@VIEWPORTS
def test_mood_merge_shows_what_will_move_then_merges(cataloguer, catalogue, viewport):
    staff = cataloguer(viewport)
    staff.run_action("/admin/films/mood/", ["weepy", "gloomy"], "merge", target="sad")
    page = staff.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge moods into “sad”?")
    expect(page.get_by_role("row", name="weepy 3 3 0")).to_be_visible()
    expect(page.get_by_role("row", name="gloomy 1 0 1")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("“sad” has 1 film; after the merge it will have 4.")
    shoot(page, "admin-mood-merge", viewport)
    report = axe_violations(page)
    assert not report, report
    page.get_by_role("button", name="Yes, merge 2 moods into “sad”").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Merged gloomy, weepy into “sad”.")
    assert list(Mood.objects.values_list("name", flat=True)) == ["sad"]


def test_mood_merge_by_keyboard_alone_and_take_me_back(cataloguer, catalogue):
    staff = cataloguer()
    page = staff.page
    staff.run_action("/admin/films/mood/", ["weepy"], "merge", target="sad")
    back = page.get_by_role("link", name="No, take me back")
    back.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{staff.base}/admin/films/mood/")
    assert Mood.objects.filter(name="weepy").exists()

    staff.run_action("/admin/films/mood/", ["weepy"], "merge", target="sad")
    # From the top of the form, Tab reaches the confirm button first.
    page.locator("form input[type=submit]").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(page.locator("form input[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("ul.messagelist")).to_contain_text("Merged weepy into “sad”.")
    staff.open("/moods/weepy/")
    expect(page).to_have_url(f"{staff.base}/moods/sad/")
