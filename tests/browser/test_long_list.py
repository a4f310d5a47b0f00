"""
A reader of a long list follows a link to #7, goes back to the contents and
on to the next list: tapping on a phone, with the keyboard alone, and on a
wide screen where the contents stays in view. The printed list leaves the
site around it out.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE
from .test_accessibility import focused, tab_to

LIST = "/articles/ten-films-that-stay-with-you/"
NEXT = "/articles/three-quiet-films/"  # published after it (the `magazine` fixture)


def in_view(page, selector):
    return page.evaluate(
        """s => { const b = document.querySelector(s).getBoundingClientRect();
                  return b.top < innerHeight && b.bottom > 0; }""",
        selector,
    )


def test_phone_reader_taps_from_rank_7_back_to_the_contents_and_on_to_the_next_list(live_server, magazine, phone_page):
    page = phone_page
    page.goto(live_server.url + LIST + "#rank-7")
    expect(page.locator("#rank-7")).to_be_in_viewport()
    assert not in_view(page, "#contents")

    page.locator("#rank-7").get_by_role("link", name="Back to the list").click()
    expect(page).to_have_url(live_server.url + LIST + "#contents")
    expect(page.get_by_role("heading", name="The list", exact=True)).to_be_in_viewport()
    assert not in_view(page, "#rank-7")

    page.get_by_role("link", name=re.compile("^Next list")).click()
    expect(page).to_have_url(live_server.url + NEXT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Three Quiet Films")
    # …and the way back: the older list is its previous one.
    expect(page.get_by_role("link", name=re.compile("^Previous list"))).to_have_attribute("href", LIST)


def test_phone_reader_does_the_same_with_the_keyboard_alone(live_server, magazine, new_page):
    page = new_page(PHONE)
    page.goto(live_server.url + LIST + "#rank-7")
    expect(page.locator("#rank-7")).to_be_in_viewport()
    # Tab continues from entry #7: its film, its facts, then the way back.
    now = tab_to(page, "#contents", limit=8)
    assert now["text"] == "Back to the list"
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + LIST + "#contents")
    expect(page.get_by_role("heading", name="The list", exact=True)).to_be_in_viewport()
    # The next Tab starts from the contents: its first entry.
    page.keyboard.press("Tab")
    assert focused(page)["href"] == "#rank-1"
    tab_to(page, NEXT, limit=120)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Three Quiet Films")


def test_on_a_wide_screen_the_contents_stays_beside_the_entries(live_server, magazine, new_page):
    page = new_page(DESKTOP)
    page.goto(live_server.url + LIST + "#rank-7")
    expect(page.locator("#rank-7")).to_be_in_viewport()
    contents = page.get_by_role("navigation", name="The list")
    expect(contents).to_be_in_viewport()
    # Beside the entries, not above them, and no "Back to the list" is needed.
    contents_box, entry_box = contents.bounding_box(), page.locator("#rank-7 .entry-body").bounding_box()
    assert contents_box["x"] >= entry_box["x"] + entry_box["width"]
    expect(page.locator("#rank-7").get_by_role("link", name="Back to the list")).to_be_hidden()

    contents.get_by_role("link", name=page.locator("#rank-10 .entry-title a").inner_text()).click()
    expect(page).to_have_url(live_server.url + LIST + "#rank-10")
    expect(page.locator("#rank-10")).to_be_in_viewport()
    expect(contents).to_be_in_viewport()
    page.get_by_role("link", name=re.compile("^Next list")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Three Quiet Films")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_printed_list_keeps_the_entries_and_drops_the_site_around_them(live_server, magazine, new_page, viewport):
    page = new_page(viewport)
    page.goto(live_server.url + LIST)
    page.evaluate("""() => {  // what other parts of the page mark as not for paper
        document.querySelector('.article-header').insertAdjacentHTML('beforeend',
            '<div class="share"><a href="/">Share</a></div><p class="no-print">Not on paper</p>');
    }""")
    page.emulate_media(media="print")
    for selector in (
        ".site-nav",
        ".site-search",
        "#comments",
        ".more-from",
        ".list-pager",
        ".share",
        ".no-print",
        ".to-contents",
    ):
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".entry")).to_have_count(10)
    for element in page.locator(".entry-head").all():
        expect(element).to_be_visible()
        assert element.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    # The contents prints as an ordinary box, not stuck to the side.
    assert page.locator("#contents").evaluate("e => getComputedStyle(e).position") == "static"
