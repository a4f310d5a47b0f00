"""Two editors on one list: each sees the other, and no one once the other tab closes."""

import re

from playwright.sync_api import expect

from tests.factories import StaffFactory

from .people import Editor
from .test_list_editor import change_path, ghibli  # noqa: F401


def test_both_editors_see_each_other_and_nothing_once_a_tab_closes(new_page, live_server, ghibli, settings):  # noqa: F811
    settings.PRESENCE_HEARTBEAT = 1
    settings.PRESENCE_TIMEOUT = 5
    ada, bea = Editor(new_page(), live_server), Editor(new_page(), live_server)
    ada.log_in(StaffFactory(username="ada", first_name="Ada", last_name="Lovelace"))
    bea.log_in(StaffFactory(username="bea", first_name="Bea", last_name="Hopper"))
    ada.open(change_path(ghibli))
    bea.open(change_path(ghibli))
    expect(ada.page.locator("#presence")).to_have_text(
        re.compile(r"^Bea Hopper has had this list open since \d\d:\d\d\.$")
    )
    expect(bea.page.locator("#presence")).to_have_text(
        re.compile(r"^Ada Lovelace has had this list open since \d\d:\d\d\.$")
    )
    bea.page.close()
    expect(ada.page.locator("#presence")).to_be_hidden(timeout=10_000)
