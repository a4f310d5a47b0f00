"""Public pages load without console errors or failed requests, the icon included."""

import pytest

from .test_accessibility import PAGES


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_with_its_icon(page, live_server, magazine, name):
    path = PAGES[name].format(**magazine)
    if name == "404":
        page.problems.expect_status(path, 404)
    page.goto(live_server.url + path, wait_until="networkidle")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).ok
    # Browsers and crawlers that ignore <link rel=icon> ask for /favicon.ico.
    favicon = page.request.get(live_server.url + "/favicon.ico")
    assert favicon.ok and favicon.headers["content-type"].startswith("image/svg")
    # The page fixture fails the test on any console error or failed request.
