"""
Readers whose system asks for dark get dark pages, and axe-core still finds
nothing (colour contrast included) at phone and desktop width.
"""

import pytest

from .conftest import DESKTOP, PHONE
from .test_accessibility import axe_violations

PAGES = {
    "home": "/",
    "article": "/articles/ten-films-that-stay-with-you/",
    "film": "/films/{film}/",
    "comment form": "/articles/ten-films-that-stay-with-you/comment/",
    "search": "/search/?q=tearjerker",
}


def luminance(page, selector, prop):
    """Relative brightness (0 to 1) of a computed colour, enough to tell dark from light."""
    return page.locator(selector).first.evaluate(
        """(e, prop) => { const [r, g, b] = getComputedStyle(e)[prop].match(/\\d+/g).map(Number);
                          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }""",
        prop,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations_in_dark_mode(live_server, magazine, new_page, name, viewport):
    page = new_page(viewport)
    page.emulate_media(color_scheme="dark")
    response = page.goto(live_server.url + PAGES[name].format(**magazine))
    assert response.status == 200
    assert luminance(page, "body", "backgroundColor") < 0.1
    assert luminance(page, "body", "color") > 0.8
    report = axe_violations(page)
    assert not report, f"axe on {name} in dark mode at {viewport['width']} px:\n{report}"


def test_light_is_the_default_and_the_page_says_it_does_both(live_server, magazine, page):
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + "/")
    assert luminance(page, "body", "backgroundColor") > 0.9
    assert page.locator("meta[name='color-scheme']").get_attribute("content") == "light dark"


def test_the_admin_keeps_its_own_colours(live_server, page):
    # The admin never loads the site's stylesheet, so dark mode there is Django's own.
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + "/admin/login/")
    sheets = page.evaluate("() => [...document.styleSheets].map(s => s.href || '')")
    assert not any("site." in s for s in sheets), sheets
