"""
Sharing and following, in the browser: "Copy link" by mouse and by keyboard,
"Share…" only where the browser has the Web Share API, an entry's "Link to #7"
copies its address and lands on it, a follow page's feed address copies; and
without JavaScript the plain links remain and no dead button shows. Every
page must log no console error (so nothing breaks the CSP) and pass axe.
"""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE
from .problems import PageProblems
from .test_accessibility import axe_violations

ARTICLE = "/articles/ten-films-that-stay-with-you/"
# Addresses are the canonical ones, on SITE_URL (the test settings' http://testserver), never the address bar's.
ADDRESS = "http://testserver" + ARTICLE

# Records what the page handed to the share sheet, as a browser with the Web Share API would receive it.
WEB_SHARE_STUB = """
window.__shared = [];
Object.defineProperty(navigator, "share", {
  configurable: true,
  value: (data) => { window.__shared.push({ title: data.title, url: data.url }); return Promise.resolve(); },
});
"""


def open_page(new_page, live_server, viewport, path, init_script=None):
    page = new_page(viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    if init_script:
        page.add_init_script(init_script)
    page.goto(live_server.url + path)
    return page


def clipboard(page):
    return page.evaluate("navigator.clipboard.readText()")


def status(page):
    return page.get_by_role("status").filter(has_text="copied")


def tab_until(page, locator, limit=40):
    """Press Tab until `locator` has the focus, as a keyboard user would reach it."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail("Tab never reached the element")


def start_tabbing_after_the_hashtags(page):
    """Focus the list's last hashtag: the share row comes next in the tab order."""
    page.locator(".article-tags a").last.focus()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_copy_link_by_mouse(new_page, live_server, magazine, viewport):
    page = open_page(new_page, live_server, viewport, ARTICLE)
    share = page.get_by_role("region", name="Share this list")
    expect(share.get_by_role("link", name="Bluesky")).to_be_visible()
    share.get_by_role("button", name="Copy link").click()
    expect(status(page)).to_have_text("Link copied")
    assert clipboard(page) == ADDRESS
    report = axe_violations(page)  # with the announcement showing
    assert not report, report


def test_copy_link_by_keyboard_with_enter_and_space(new_page, live_server, magazine):
    page = open_page(new_page, live_server, PHONE, ARTICLE)
    copy = page.get_by_role("button", name="Copy link")
    start_tabbing_after_the_hashtags(page)
    page.keyboard.press("Tab")
    expect(copy).to_be_focused()  # the hidden "Share…" (no Web Share here) is skipped
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Link copied")
    assert clipboard(page) == ADDRESS
    page.evaluate("navigator.clipboard.writeText('something else')")
    page.keyboard.press("Space")
    expect(status(page)).to_have_text("Link copied")
    assert clipboard(page) == ADDRESS


def test_share_button_is_absent_without_the_web_share_api(new_page, live_server, magazine):
    page = open_page(new_page, live_server, DESKTOP, ARTICLE, init_script="delete Navigator.prototype.share;")
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    expect(page.get_by_role("button", name="Share…")).to_be_hidden()
    assert page.get_by_role("button", name="Share…").count() == 0  # hidden from assistive technology too


@pytest.mark.parametrize("by", ["mouse", "keyboard"])
def test_share_button_hands_title_and_address_to_the_web_share_api(new_page, live_server, magazine, by):
    page = open_page(new_page, live_server, PHONE, ARTICLE, init_script=WEB_SHARE_STUB)
    share = page.get_by_role("button", name="Share…")
    expect(share).to_be_visible()
    if by == "mouse":
        share.click()
    else:
        start_tabbing_after_the_hashtags(page)
        page.keyboard.press("Tab")
        expect(share).to_be_focused()
        page.keyboard.press("Enter")
    page.wait_for_function("window.__shared.length === 1")
    assert page.evaluate("window.__shared") == [{"title": "Ten Films That Stay With You", "url": ADDRESS}]
    report = axe_violations(page)
    assert not report, report


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_link_to_an_entry_lands_on_it_focused_and_marked(new_page, live_server, magazine, viewport):
    page = open_page(new_page, live_server, viewport, ARTICLE + "#rank-7")
    seven = page.locator("#rank-7")
    expect(seven).to_be_focused()
    expect(seven).to_be_in_viewport()
    # Marked by a bar in the accent colour beside it (the :target rule), which no other entry has.
    assert "159, 29, 32" in seven.evaluate("el => getComputedStyle(el).boxShadow")
    assert page.locator("#rank-6").evaluate("el => getComputedStyle(el).boxShadow") == "none"
    # Tab goes on into #7 (its film's link), not back to the top of the page.
    page.keyboard.press("Tab")
    expect(seven.get_by_role("link").first).to_be_focused()


@pytest.mark.parametrize("by", ["mouse", "keyboard"])
def test_link_to_an_entry_copies_its_address(new_page, live_server, magazine, by):
    page = open_page(new_page, live_server, DESKTOP, ARTICLE)
    link = page.locator("#rank-7").get_by_role("link", name="Link to #7")
    if by == "mouse":
        link.click()
    else:
        page.locator("#rank-6").get_by_role("link", name="Link to #6").focus()
        tab_until(page, link)
        page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Link to #7 copied")
    assert clipboard(page) == ADDRESS + "#rank-7"
    assert page.url.endswith(ARTICLE + "#rank-7")
    expect(link).to_be_focused()  # the reader stays where they were
    expect(page.locator("#rank-7")).to_be_in_viewport()


def test_follow_page_copies_the_feed_address(new_page, live_server, magazine):
    page = open_page(new_page, live_server, PHONE, "/hashtags/sadanime/")
    page.get_by_role("link", name="Follow #SadAnime").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow #SadAnime")
    expect(page.get_by_label("Feed address")).to_have_value("http://testserver/feeds/hashtags/sadanime/rss/")
    page.get_by_role("button", name="Copy address").click()
    expect(page.get_by_role("status")).to_have_text("Feed address copied")
    assert clipboard(page) == "http://testserver/feeds/hashtags/sadanime/rss/"


@pytest.mark.parametrize("path", [ARTICLE, "/feeds/hashtags/sadanime/"])
def test_without_javascript_the_plain_links_remain_and_no_button_shows(browser, live_server, magazine, path):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    problems = PageProblems(page)
    try:
        page.goto(live_server.url + path)
        assert page.get_by_role("button", name="Copy link").count() == 0
        assert page.get_by_role("button", name="Copy address").count() == 0
        assert page.get_by_role("button", name="Share…").count() == 0
        if path == ARTICLE:
            expect(page.get_by_role("link", name="Email")).to_have_attribute(
                "href",
                "mailto:?subject=Ten%20Films%20That%20Stay%20With%20You&body=http%3A%2F%2Ftestserver%2Farticles%2Ften-films-that-stay-with-you%2F",
            )
            page.get_by_role("link", name="Link to #7").click()
            assert page.url.endswith("#rank-7")
            expect(page.locator("#rank-7")).to_be_in_viewport()
        else:
            expect(page.get_by_label("Feed address")).to_have_value("http://testserver/feeds/hashtags/sadanime/rss/")
    finally:
        context.close()
    assert not problems.report(), problems.report()
