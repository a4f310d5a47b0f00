"""
Browser tests: Playwright drives Debian's Chromium against pytest-django's
live server. No browser is ever downloaded; without a Chromium the tests are
skipped with the reason, except under CI, where a missing browser fails.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then
# refuse synchronous database access from the test (factories, fixtures).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import HashtagFactory, MoodFactory, PersonFactory, make_list  # noqa: E402
from tools.chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402

from .problems import PageProblems  # noqa: E402

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    path = find_chromium()
    if path is None:
        reason = (
            "No Chromium found (looked at $CHROMIUM_PATH, `chromium` on PATH and "
            "/usr/bin/chromium). Install Debian's: apt-get install chromium"
        )
        if os.environ.get("CI", "").lower() not in {"", "0", "false"}:
            pytest.fail(f"CI must run the browser tests. {reason}", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(browser, viewport, request):
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    problems = page.problems.report()
    context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + problems, pytrace=False)


@pytest.fixture
def page(browser, live_server, request):
    """
    A desktop-sized page on a fresh browser context (no cookies). Console
    errors, uncaught exceptions and failed requests fail the test.
    """
    yield from _open_page(browser, DESKTOP, request)


@pytest.fixture
def phone_page(browser, live_server, request):
    """The same as `page`, 390 px wide."""
    yield from _open_page(browser, PHONE, request)


@pytest.fixture
def new_page(browser, live_server, request):
    """Open more pages, each on its own context: one person each (editor, reader)."""
    opened = []

    def make(viewport=DESKTOP):
        gen = _open_page(browser, viewport, request)
        page = next(gen)
        opened.append(gen)
        return page

    yield make
    for gen in opened:
        next(gen, None)


@pytest.fixture
def magazine(db):
    """A small magazine: a 10-entry list with hashtags; #7 has a mood, a director and a studio."""
    article = make_list(10, title="Ten Films That Stay With You")
    make_list(3, title="Three Quiet Films").hashtags.add(HashtagFactory(name="SadAnime"))
    article.hashtags.add("SadAnime", "RomanceAnime")
    film = article.entries.get(rank=7).film
    film.moods.add(MoodFactory(name="tearjerker"))
    person = film.credits.first().person if film.credits.exists() else PersonFactory()
    return {"film": film.slug, "person": person.slug, "studio": film.studios.first().slug}
