"""
Never a word lost: the list editor keeps a working copy a few seconds after
typing stops, offers it back when the list (or the add page) is opened again,
and the leave-page guard knows a refused form holds unsaved work.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, WorkingCopy
from tests.factories import FilmFactory, StaffFactory

from .people import Editor
from .test_list_editor import change_path, ghibli  # noqa: F401

KEPT = re.compile(r"Unsaved changes kept at \d\d:\d\d")
WRITE_UPS = {
    "Spirited Away": "A girl works in a bathhouse for spirits and keeps her name.",
    "My Neighbor Totoro": "Two sisters, a sick mother, and a cat that is also a bus.",
    "Porco Rosso": "A pilot who became a pig flies for money over the Adriatic.",
}


def log_in(new_page, live_server, **kwargs):
    editor = Editor(new_page(**kwargs), live_server)
    editor.log_in(StaffFactory(username="editor"))
    return editor


def type_into_three_entries(editor):
    for film, text in WRITE_UPS.items():
        box = editor.open_entry(film).locator("textarea[name$=-write_up]")
        box.click()
        box.press("Control+A")
        box.press_sequentially(text, delay=2)


def test_three_entries_typed_then_the_tab_closed_come_back_in_one_click(new_page, live_server, ghibli):  # noqa: F811
    editor = log_in(new_page, live_server)
    editor.open(change_path(ghibli))
    type_into_three_entries(editor)
    status = editor.page.locator(".autosave-status")
    expect(status).to_have_text(KEPT)
    copy = WorkingCopy.objects.get(article=ghibli)
    assert ghibli.revisions.count() == 0  # a working copy is never a revision
    assert copy.version == Article.objects.get(pk=ghibli.pk).version
    editor.page.close()  # no save, no leave-page question: the tab is simply gone

    # Another browser altogether: the copy comes from the server.
    editor = log_in(new_page, live_server)
    editor.open(change_path(ghibli))
    offer = editor.page.locator(".autosave-offer")
    expect(offer).to_be_visible()
    expect(offer.locator("li")).to_have_text(
        ["#1 Spirited Away: write-up", "#2 My Neighbor Totoro: write-up", "#5 Porco Rosso: write-up"]
    )
    offer.get_by_role("button", name="Restore my unsaved work").click()
    expect(offer).to_be_hidden()
    for film, text in WRITE_UPS.items():
        expect(editor.open_entry(film).locator("textarea[name$=-write_up]")).to_have_value(text)
    expect(editor.entry("Porco Rosso").locator(".entry-excerpt")).to_contain_text("A pilot who became a pig")

    # Saving makes it the list's and the working copy is done with.
    editor.save_and_continue()
    assert not WorkingCopy.objects.filter(article=ghibli).exists()
    assert ghibli.entries.get(rank=5).write_up == WRITE_UPS["Porco Rosso"]
    expect(editor.page.locator(".autosave-offer")).to_be_hidden()


def test_with_the_keyboard_only_a_new_list_is_offered_back_on_the_add_page(new_page, live_server, db):
    FilmFactory(title="Mirai", year=2018)
    editor = log_in(new_page, live_server)
    editor.open("/admin/articles/article/add/")
    page = editor.page
    page.locator("#id_title").focus()
    page.keyboard.type("Time and Family")
    page.keyboard.press("Tab")
    entry = page.locator(".entry-row:not(.empty-form)").first
    editor.choose_film(entry, "Mirai")
    entry.locator("textarea[name$=-write_up]").focus()
    page.keyboard.type("A boy meets his sister from the future.")
    expect(page.locator(".autosave-status")).to_have_text(KEPT)
    page.close()

    editor = log_in(new_page, live_server)
    editor.open("/admin/articles/article/add/")
    page = editor.page
    offer = page.locator(".autosave-offer")
    expect(offer.locator("li")).to_contain_text(["Title", "New entry: #1 Mirai"])
    offer.get_by_role("button", name="Restore my unsaved work").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_have_value("Time and Family")
    entry = page.locator(".entry-row:not(.empty-form)").first
    expect(entry.locator(".select2-selection__rendered")).to_have_text(re.compile("Mirai"))
    expect(entry.locator("textarea[name$=-write_up]")).to_have_value("A boy meets his sister from the future.")
    page.locator("input[name=_continue]").first.press("Enter")
    expect(page.locator("ul.messagelist")).to_contain_text("successfully")
    article = Article.objects.get(title="Time and Family")
    assert article.entries.get().film.title == "Mirai"
    assert not WorkingCopy.objects.exists()


def test_a_copy_the_server_never_got_is_kept_in_the_browser(new_page, live_server, ghibli):  # noqa: F811
    editor = log_in(new_page, live_server)
    page = editor.page
    page.route(re.compile(r"/autosave/$"), lambda route: route.abort("aborted"))  # the network is down
    editor.open(change_path(ghibli))
    editor.fill_in(Title="Top 5 Ghibli Films, Ranked Again")
    expect(page.locator(".autosave-status")).to_contain_text("kept in this browser")
    assert not WorkingCopy.objects.exists()
    page.unroute(re.compile(r"/autosave/$"))

    again = page.context.new_page()  # the same browser, a new tab
    again.goto(live_server.url + change_path(ghibli))
    offer = again.locator(".autosave-offer")
    expect(offer).to_contain_text("never reached the server")
    expect(offer.locator("li")).to_have_text(["Title"])
    offer.get_by_role("button", name="Restore my unsaved work").click()
    expect(again.locator("#id_title")).to_have_value("Top 5 Ghibli Films, Ranked Again")
    expect(again.locator(".autosave-status")).to_have_text(re.compile("Your unsaved work is back"))
    expect(again.locator(".autosave-status")).to_have_text(KEPT)  # and now the server has it
    assert WorkingCopy.objects.get().data["fields"]
    again.close()


def test_discarding_the_copy_forgets_it(new_page, live_server, ghibli):  # noqa: F811
    editor = log_in(new_page, live_server)
    editor.open(change_path(ghibli))
    editor.fill_in(Standfirst="A new standfirst.")
    expect(editor.page.locator(".autosave-status")).to_have_text(KEPT)
    editor.page.close()
    editor = log_in(new_page, live_server)
    editor.open(change_path(ghibli))
    editor.page.get_by_role("button", name="Discard it").click()
    expect(editor.page.locator(".autosave-status")).to_have_text("The unsaved copy was discarded.")
    editor.page.wait_for_timeout(300)
    assert not WorkingCopy.objects.exists()
    editor.open(change_path(ghibli))
    expect(editor.page.locator(".autosave-offer")).to_be_hidden()


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_a_refused_save_is_unsaved_work_and_leaving_asks(new_page, live_server, ghibli, how):  # noqa: F811
    editor = log_in(new_page, live_server)
    editor.open(change_path(ghibli))
    page = editor.page
    # Spirited Away a second time: the save is refused.
    editor.add_entry("Spirited Away", write_up="The same film again, by mistake.")
    page.locator("input[name=_continue]").first.click()
    expect(page.locator("#error-summary")).to_contain_text("Spirited Away")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    link = (
        page.locator("#content-start")
        .get_by_role("link", name="Articles")
        .or_(page.get_by_role("link", name="Articles"))
        .first
    )
    if how == "mouse":
        link.click()
    else:
        link.focus()
        page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert page.url.endswith(change_path(ghibli))
    expect(page.locator("textarea[name$=-write_up]").filter(has_text="The same film again")).to_have_count(1)
    # The refused form is also the working copy now.
    expect(page.locator(".autosave-status")).to_have_text(KEPT)
    assert "The same film again, by mistake." in [v for _, v in WorkingCopy.objects.get().data["fields"]]


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_removing_a_new_entry_with_words_asks_first(new_page, live_server, ghibli, how):  # noqa: F811
    editor = log_in(new_page, live_server)
    editor.open(change_path(ghibli))
    page = editor.page
    page.locator(".add-row a").click()
    row = page.locator(".entry-row:not(.empty-form):not(.has_original)").last
    row.locator("textarea[name$=-write_up]").fill("Three paragraphs I do not want to lose.")
    answers = ["dismiss", "accept"]
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        getattr(dialog, answers.pop(0))()

    page.on("dialog", answer)
    remove = row.locator(".inline-deletelink")

    def press():
        if how == "mouse":
            remove.click()
        else:
            remove.focus()
            page.keyboard.press("Enter")

    rows_before = page.locator(".entry-row:not(.empty-form)").count()
    press()
    assert asked == ["Remove this new entry and its 8 words? This cannot be undone."]
    expect(row.locator("textarea[name$=-write_up]")).to_have_value("Three paragraphs I do not want to lose.")
    press()
    expect(page.locator(".entry-row:not(.empty-form)")).to_have_count(rows_before - 1)
