"""
The list editor: an editor reorders a list by dragging and from the keyboard,
adds a film the catalogue lacks from its entry, and saves once; without
JavaScript the rank boxes still do it; nothing typed is lost.
"""

import re

import pytest
from playwright.sync_api import expect

from films.models import Film
from tests.factories import StaffFactory, make_list

from .conftest import DESKTOP, PHONE
from .people import Editor, Reader
from .test_accessibility import axe_violations

TITLES = ["Spirited Away", "My Neighbor Totoro", "Princess Mononoke", "Kiki's Delivery Service", "Porco Rosso"]


@pytest.fixture
def ghibli(db):
    article = make_list(5, title="Top 5 Ghibli Films", status="draft")
    for entry, title in zip(article.entries.order_by("rank").select_related("film"), TITLES):
        Film.objects.filter(pk=entry.film_id).update(title=title)
        Film.objects.get(pk=entry.film_id).save()  # its title rows follow
    return article


def change_path(article):
    return f"/admin/articles/article/{article.pk}/change/"


def preview_order(new_page, live_server, editor_page, article):
    editor_page.goto(live_server.url + article.get_preview_url())
    return [t.split(" ", 1)[1] for t in Reader(editor_page, live_server).entry_titles()]


def test_editor_drags_moves_by_keyboard_adds_a_missing_film_and_saves_once(new_page, live_server, ghibli):
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))
    editor.open(change_path(ghibli))
    page = editor.page
    reloads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and reloads.append(frame.url))

    # One drag: #5 to #1. The ranks shown follow at once, marked as not saved.
    editor.drag("Porco Rosso", onto="Spirited Away")
    assert editor.entry_lines()[:2] == [("#1", "Porco Rosso"), ("#2", "Spirited Away")]
    expect(editor.entry("Porco Rosso").locator(".entry-unsaved")).to_have_text("was #5, not saved yet")
    expect(page.locator(".list-announcer")).to_have_text("Porco Rosso moved to rank 1 of 5.")

    # Two keystrokes: Kiki's Delivery Service (now #5) up two places.
    heard = editor.move_by_keyboard("Kiki's Delivery Service", "Alt+ArrowUp", "Alt+ArrowUp")
    assert heard == "Kiki's Delivery Service moved to rank 3 of 5."
    expect(editor.entry("Kiki's Delivery Service").locator("summary.entry-summary")).to_be_focused()

    # The missing film, made on the spot, goes in at #2 by its rank box.
    entry = editor.add_new_film(title="The Wind Rises", year=2013, format_label="Feature film")
    entry.locator("textarea[name$=-write_up]").fill("A dream of flight, and what it costs.")
    entry.locator("input[name$=-rank]").fill("2")
    entry.locator("input[name$=-rank]").press("Enter")  # moves it; does not send the form
    expected = [
        "Porco Rosso",
        "The Wind Rises",
        "Spirited Away",
        "Kiki's Delivery Service",
        "My Neighbor Totoro",
        "Princess Mononoke",
    ]
    assert [film for _, film in editor.entry_lines() if film != "Choose a film"] == expected
    assert [rank for rank, _ in editor.entry_lines()][:6] == ["#1", "#2", "#3", "#4", "#5", "#6"]
    expect(page.locator(".entry-outline li")).to_have_text(expected)
    assert reloads == []  # every move so far happened on the page

    editor.save_and_continue()
    assert len(reloads) == 1  # the save
    assert editor.entry_lines()[:6] == [(f"#{r}", t) for r, t in enumerate(expected, start=1)]
    film = Film.objects.get(title="The Wind Rises")
    assert (film.year, film.confirmed) == (2013, False)
    assert preview_order(new_page, live_server, page, ghibli) == expected


def test_without_javascript_the_rank_boxes_save_the_order(browser, live_server, ghibli):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        editor = Editor(context.new_page(), live_server)
        editor.log_in(StaffFactory(username="editor"))
        editor.open(change_path(ghibli))
        expect(editor.page.locator(".entry-move")).to_have_count(0)  # no buttons that cannot work
        editor.open_entry("Porco Rosso").locator("input[name$=-rank]").fill("1")
        editor.open_entry("Princess Mononoke").locator("input[name$=-rank]").fill("2")
        editor.page.locator("input[name=_continue]").first.click()
        expect(editor.page.locator("ul.messagelist")).to_contain_text("successfully")
        expected = [
            "Porco Rosso",
            "Princess Mononoke",
            "Spirited Away",
            "My Neighbor Totoro",
            "Kiki's Delivery Service",
        ]
        assert [film for _, film in editor.entry_lines()][:5] == expected
        editor.page.goto(live_server.url + ghibli.get_preview_url())
        assert [t.split(" ", 1)[1] for t in Reader(editor.page, live_server).entry_titles()] == expected
    finally:
        context.close()


def test_a_failed_save_keeps_everything_and_goes_to_the_first_problem(new_page, live_server, ghibli):
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))
    editor.open(change_path(ghibli))
    editor.drag("Porco Rosso", onto="Spirited Away")
    blank = editor.page.locator(".entry-row:not(.empty-form):not(.has_original)").last
    blank.locator("textarea[name$=-write_up]").fill("Words for a film I forgot to choose.")
    editor.page.locator("input[name=_continue]").first.click()

    summary = editor.page.locator("#error-summary")
    expect(summary).to_contain_text("Choose a film, or add one the catalogue lacks")
    blank = editor.page.locator(".entry-row.has-errors")
    expect(blank.locator("details.entry-details")).to_have_attribute("open", "")
    expect(blank.locator(".select2-selection")).to_be_focused()
    expect(blank.locator("textarea[name$=-write_up]")).to_have_value("Words for a film I forgot to choose.")
    # The move was not saved, and the entry's line says so instead of showing #1 as if it were;
    # the entries stay in the order the editor made.
    assert [film for _, film in editor.entry_lines()][:2] == ["Porco Rosso", "Spirited Away"]
    porco = editor.entry("Porco Rosso")
    expect(porco.locator(".entry-rank")).to_have_text("#1")
    expect(porco.locator(".entry-unsaved")).to_have_text("was #5, not saved yet")
    summary.get_by_role("link").first.click()
    expect(editor.page).to_have_url(re.compile(r"#entries-5$"))


def test_leaving_with_unsaved_changes_asks_first(new_page, live_server, ghibli):
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))
    editor.open(change_path(ghibli))
    asked = []
    editor.page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    editor.page.get_by_role("link", name="Articles").first.click()
    assert asked == []  # nothing changed yet: no question
    editor.open(change_path(ghibli))
    editor.move_by_keyboard("Porco Rosso", "Alt+ArrowUp")
    editor.page.get_by_role("link", name="Articles").first.click()
    assert asked == ["beforeunload"]
    assert editor.path == change_path(ghibli)  # the editor chose to stay: the move is still there
    assert editor.entry_lines()[3] == ("#4", "Porco Rosso")


def test_word_counts_follow_the_typing(new_page, live_server, ghibli):
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))
    editor.open(change_path(ghibli))
    ghibli.entries.update(write_up="")
    editor.open(change_path(ghibli))
    entry = editor.open_entry("Spirited Away")
    entry.locator("textarea[name$=-write_up]").fill("A girl works in a bathhouse for spirits. " * 30)
    expect(entry.locator(".entry-word-count")).to_have_text("240")
    expect(editor.page.locator(".list-words")).to_have_text("240")
    expect(editor.page.locator(".list-minutes")).to_have_text("2")
    expect(entry.locator(".entry-excerpt")).to_have_text("A girl works in a bathhouse for spirits. A girl works in…")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("state", ["as opened", "after a failed save"])
def test_no_axe_violations_on_the_list_editor(new_page, live_server, ghibli, viewport, state):
    editor = Editor(new_page(viewport), live_server)
    editor.log_in(StaffFactory(username="editor"))
    editor.open(change_path(ghibli))
    editor.open_entry("Spirited Away")
    if state == "after a failed save":
        editor.set_rank("Porco Rosso", 1)
        editor.fill_in(Title="")
        editor.page.locator("input[name=_continue]").first.click()
        expect(editor.page.locator("#error-summary")).to_be_visible()
    report = axe_violations(editor.page)
    assert not report, f"axe on the list editor ({state}) at {viewport['width']} px:\n{report}"
