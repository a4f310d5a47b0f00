"""
axe-core finds no violations on any public page, at phone and desktop width,
and the reader journey works from the keyboard alone.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

# Every rule axe-core runs by default (WCAG 2.x A and AA, best practices).
AXE = Axe()

PAGES = {
    "home": "/",
    "archive": "/articles/",
    "article": "/articles/ten-films-that-stay-with-you/",
    "film": "/films/{film}/",
    "mood": "/moods/tearjerker/",
    "moods": "/moods/",
    "hashtag": "/hashtags/sadanime/",
    "follow": "/feeds/lists/",
    "follow hashtag": "/feeds/hashtags/sadanime/",
    "follow mood": "/feeds/moods/tearjerker/",
    "person": "/people/{person}/",
    "studio": "/studios/{studio}/",
    "search": "/search/?q=tearjerker",
    "search, nothing found": "/search/?q=zzzzqqq",
    "comment form": "/articles/ten-films-that-stay-with-you/comment/",
    "404": "/no-such-page/",
}


def axe_violations(page):
    results = AXE.run(page)
    if not results.violations_count:
        return ""
    return results.generate_report()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(browser, live_server, magazine, new_page, name, viewport):
    page = new_page(viewport)
    path = PAGES[name].format(**magazine)
    if name == "404":
        page.problems.expect_status(path, 404)
    response = page.goto(live_server.url + path)
    assert response.status == (404 if name == "404" else 200)
    report = axe_violations(page)
    assert not report, f"axe on {name} at {viewport['width']} px:\n{report}"


@pytest.mark.parametrize("name", ["home", "archive", "hashtag", "article", "search"])
def test_every_link_is_big_enough_for_a_finger(browser, live_server, magazine, new_page, name):
    # WCAG 2.2's target size (2.5.8), which Lighthouse checks and axe runs on request:
    # the hashtags above a card's title sit side by side on one small line.
    page = new_page(PHONE)
    page.goto(live_server.url + PAGES[name].format(**magazine))
    results = AXE.run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]}})
    assert not results.violations_count, f"{name} at 390 px:\n{results.generate_report()}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_no_axe_violations_on_a_comment_form_with_errors(browser, live_server, magazine, new_page, settings, viewport):
    settings.COMMENTS_MIN_SECONDS = 0
    page = new_page(viewport)
    page.goto(live_server.url + "/articles/ten-films-that-stay-with-you/comment/")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert page.locator(".field-error").count() == 3  # name, email and comment are all needed
    report = axe_violations(page)
    assert not report, f"axe on the comment form with errors at {viewport['width']} px:\n{report}"


def focused(page):
    # Smooth scrolling (for readers who do not ask for reduced motion) brings
    # the focused element into view over a few frames: wait for it.
    page.wait_for_function(
        """() => { const b = document.activeElement.getBoundingClientRect();
                   return b.bottom > 0 && b.top < innerHeight; }""",
        timeout=3000,
    )
    # …and let that scroll finish: Enter pressed while it still runs starts a
    # fragment scroll that the focus scroll then overrides (Chromium), so the
    # page would stay where it was. A person is never that quick.
    page.evaluate(
        """() => new Promise(resolve => {
            let last = scrollY, still = 0;
            const tick = () => {
                still = scrollY === last ? still + 1 : 0;
                last = scrollY;
                still >= 5 ? resolve() : requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
        })"""
    )
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {
                id: el.id, text: el.innerText.trim(), href: el.getAttribute('href'),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
            };
        }"""
    )


def tab_to(page, href_or_text, limit=80):
    """Press Tab until the link is focused; every stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["outline"] and now["visible"], f"focus not visible on {now}"
        if href_or_text in (now["href"], now["text"]):
            return now
    raise AssertionError(f"{href_or_text!r} not reached with Tab")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_reader_journey_by_keyboard(browser, live_server, magazine, new_page, viewport):
    page = new_page(viewport)
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to content" and first["visible"] and first["outline"]
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    tab_to(page, "Ten Films That Stay With You")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ten Films That Stay With You")

    tab_to(page, "#rank-7")
    page.keyboard.press("Enter")
    expect(page.locator("#rank-7")).to_be_in_viewport()
    # The next Tab continues from entry #7, not from the top of the page.
    page.keyboard.press("Tab")
    film_link = focused(page)
    assert film_link["href"] == f"/films/{magazine['film']}/", film_link
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + f"/films/{magazine['film']}/")

    tab_to(page, "/moods/tearjerker/")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tearjerker")
