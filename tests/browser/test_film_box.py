"""
A film the catalogue lacks, from the film box itself: "No results" offers to
create it, by mouse or by keyboard, and the list saves it unconfirmed.
"""

import pytest
from playwright.sync_api import expect

from films.models import Film
from tests.factories import StaffFactory

from .people import Editor
from .test_list_editor import change_path, ghibli  # noqa: F401


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_no_results_offers_to_create_the_film_unconfirmed(new_page, live_server, ghibli, how):  # noqa: F811
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))
    editor.open(change_path(ghibli))
    page = editor.page
    row = page.locator(".entry-row:not(.empty-form):not(.has_original)").last
    row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Mirai")
    offer = page.locator(".select2-results .film-create")
    expect(offer).to_have_text("Create “Mirai” (unconfirmed)")
    expect(page.locator(".select2-results__message")).to_contain_text("No film “Mirai” in the catalogue.")
    if how == "mouse":
        offer.click()
    else:
        page.keyboard.press("Enter")
    year = row.get_by_label("Year")
    expect(year).to_be_focused()
    expect(row.get_by_label("English title")).to_have_value("Mirai")
    expect(row.locator(".select2-selection__rendered")).to_have_text("Mirai (new, unconfirmed)")
    expect(row.locator(".entry-film")).to_have_text("Mirai")
    year.fill("2018")
    row.get_by_label("Format").select_option(label="Feature film")
    row.locator("textarea[name$=-write_up]").fill("A boy meets his sister from the future.")
    editor.save_and_continue()
    film = Film.objects.get(title="Mirai")
    assert (film.year, film.confirmed) == (2018, False)
    assert ghibli.entries.get(film=film).rank == 6
