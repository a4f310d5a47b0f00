"""
The admin still works under the Content Security Policy: a real Chromium logs
in, adds a list with an entry (inline formset JS, autocomplete, the schedule
form's words), saves it, and the browser reports no policy violation on the way.
"""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def csp_page(browser):
    """A page of the session's Chromium that records Content-Security-Policy reports."""
    page = browser.new_page()
    page.set_default_timeout(10_000)
    page.violations = []
    page.on(
        "console",
        lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    # Playwright's greenlet gives the test its own contextvars, hence its own
    # database connection, which the test database teardown would not see.
    from django.db import connections

    connections.close_all()
    page.close()


def test_admin_add_list_with_entry_under_csp(transactional_db, live_server, csp_page):
    page = csp_page
    # transactional_db first: the test database is then set up before the
    # live server and torn down after it has closed its connections.
    from articles.models import Article
    from tests.factories import FilmFactory, StaffFactory

    StaffFactory(username="ed")
    FilmFactory(title="Your Name")
    page.goto(f"{live_server.url}/admin/login/")
    # The watch works: an inline script is refused and reported.
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.ran = 1'; document.body.append(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.ran") is None and page.violations
    page.violations.clear()
    page.fill("#id_username", "ed")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Films Under Policy")
    # The slug is filled by prepopulate.js, a script file.
    assert page.input_value("#id_slug") == "films-under-policy"
    # The schedule form says the chosen time back in words (schedule-words.js).
    page.click("#publishing summary:text('Schedule…')")
    page.fill("#id_schedule_date", "2030-12-03")
    page.fill("#id_schedule_time", "09:00")
    assert page.inner_text("#publishing output.schedule-words") == "goes live Tue 3 Dec at 09:00"
    # Autocomplete (select2) on the entry's film.
    page.click("#entries-0 .select2-selection")
    page.fill(".select2-search__field", "Your")
    page.click(".select2-results__option:text('Your Name')")
    page.fill("#id_entries-0-write_up", "Why it is here.")
    # "Add another entry" comes from inlines.js.
    page.click(".add-row a")
    assert page.locator("#entries-1").is_visible()
    page.click("input[name=_continue] >> nth=0")  # the sticky row; the side panel has no second row on a wide screen
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get(title="Films Under Policy")
    assert [e.film.title for e in article.entries.all()] == ["Your Name"]
    assert page.violations == []
