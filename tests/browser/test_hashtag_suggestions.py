"""
The hashtags box of a list's admin page offers the existing hashtags as the
editor types (the browser's own suggestion list, by keyboard as by mouse), for
the second hashtag as for the first; a new hashtag can still be typed, and
without JavaScript the box is the plain text field it was, still with
suggestions for the first hashtag.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import HashtagFactory, StaffFactory, make_list

from .conftest import DESKTOP, PHONE
from .people import Editor
from .problems import PageProblems
from .test_accessibility import AXE


@pytest.fixture
def tagged_list(db):
    for name in ["RomanceAnime", "Rotoscope", "SadAnime", "Ghibli"]:
        HashtagFactory(name=name)
    article = make_list(2, title="Two Films")
    article.hashtags.add("SadAnime")
    return article


def axe_violations(page):
    """
    axe on the whole page but the entries (the desk's inline: its empty row's
    film picker, Django's select2, has no accessible name; reported, not ours).
    """
    results = AXE.run(page, context={"exclude": [["#entries-group"]]})
    return results.generate_report() if results.violations_count else ""


def suggestions(page):
    return page.locator("#id_hashtags-suggestions option").evaluate_all("os => os.map(o => o.value)")


def open_change_page(editor, article):
    editor.log_in(StaffFactory(username="editor"))
    editor.open(f"/admin/articles/article/{article.pk}/change/")
    return editor.page.get_by_label(re.compile("^Hashtags:?$"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_second_hashtag_is_suggested_and_a_new_one_allowed(new_page, live_server, tagged_list, viewport):
    page = new_page(viewport)
    editor = Editor(page, live_server)
    box = open_change_page(editor, tagged_list)
    expect(box).to_have_value("#SadAnime")

    # By keyboard alone: Tab reaches the box from the last of the writing (the sign-off), over the
    # side panel's buttons where they show.
    page.get_by_label(re.compile("^Sign off:?$")).first.focus()
    for _ in range(15):
        if page.evaluate("document.activeElement.id") == "id_hashtags":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_hashtags"
    page.keyboard.press("End")
    page.keyboard.type(" #Ro")
    assert suggestions(page) == ["#SadAnime #RomanceAnime", "#SadAnime #Rotoscope"]
    page.keyboard.type("m")
    assert suggestions(page) == ["#SadAnime #RomanceAnime"]
    # A hashtag already chosen is not offered again.
    box.fill("")
    box.press_sequentially("RomanceAnime, s")
    assert suggestions(page) == ["RomanceAnime, SadAnime"]

    # Nobody has used #BrandNew yet: typing it is fine.
    box.fill("#SadAnime #BrandNew")
    editor.save_and_continue()
    assert sorted(t.name for t in Article.objects.get(pk=tagged_list.pk).hashtags.all()) == ["BrandNew", "SadAnime"]
    report = axe_violations(page)
    assert not report, report


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_change_page_has_no_axe_violations(new_page, live_server, tagged_list, viewport):
    page = new_page(viewport)
    open_change_page(Editor(page, live_server), tagged_list)
    report = axe_violations(page)
    assert not report, report


def test_without_javascript_the_box_still_saves_and_suggests_first_hashtags(browser, live_server, tagged_list):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.problems = PageProblems(page)
    editor = Editor(page, live_server)
    box = open_change_page(editor, tagged_list)
    # The server's list, most used first: plain names for the first hashtag.
    assert suggestions(page) == ["SadAnime", "Ghibli", "RomanceAnime", "Rotoscope"]
    box.fill("#SadAnime, Ghibli, #NoScript")
    editor.save_and_continue()
    problems = page.problems.report()
    context.close()
    assert not problems, problems
    assert sorted(t.name for t in Article.objects.get(pk=tagged_list.pk).hashtags.all()) == [
        "Ghibli",
        "NoScript",
        "SadAnime",
    ]
