"""Revisions, edit conflicts and share links, as the editors and a freelancer live them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.revisions import article_revision_record
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, StaffFactory

from .conftest import DESKTOP, PHONE
from .people import Editor, Reader

AXE = Axe()
TITLES = ["Your Name", "Wolf Children", "Hal"]


@pytest.fixture
def three(db):
    article = ArticleFactory(title="Three Films", slug="three-films")
    for rank, title in enumerate(TITLES, start=1):
        EntryFactory(article=article, rank=rank, film=FilmFactory(title=title), write_up=f"About {title}.")
    article_revision_record(article=article)
    return article


def test_second_of_two_editors_is_refused_shown_the_changes_and_keeps_their_typing(new_page, live_server, three):
    ada, bea = Editor(new_page(), live_server), Editor(new_page(), live_server)
    ada.log_in(StaffFactory(username="ada", first_name="Ada", last_name="Lovelace"))
    bea.log_in(StaffFactory(username="bea", first_name="Bea", last_name="Hopper"))
    ada.open_list("Three Films")
    bea.open_list("Three Films")

    ada.fill_in(Standfirst="Ada's standfirst")
    ada.set_rank("Hal", 1)
    ada.save_and_continue()

    bea.fill_in(Sign_off="Bea's careful sign-off")
    bea.save()
    conflict = bea.page.locator(".edit-conflict")
    expect(conflict).to_contain_text("Someone else saved this list after you opened it")
    assert "Hal moved #3 → #1" in bea.changelog()
    assert "Standfirst changed" in bea.changelog()
    expect(bea.page.get_by_label("Sign off")).to_have_value("Bea's careful sign-off")  # nothing lost

    # Bea brings Ada's standfirst in, then overwrites deliberately, from the keyboard.
    bea.fill_in(Standfirst="Ada's standfirst")
    bea.page.get_by_label("Overwrite their changes").focus()
    bea.page.keyboard.press("Space")
    bea.save_and_continue()
    three.refresh_from_db()
    assert (three.dek, three.sign_off) == ("Ada's standfirst", "Bea's careful sign-off")


def test_editor_reorders_reads_the_history_restores_and_readers_see_the_old_order(new_page, live_server, three):
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor", first_name="Ed"))
    editor.open_list("Three Films")
    editor.set_rank("Hal", 1)
    editor.save_and_continue()
    assert [t for _, t in editor.admin_ranks()] == ["Hal", "Your Name", "Wolf Children"]

    editor.open_history()
    assert editor.changelog() == ["Hal moved #3 → #1"]
    editor.restore_version(1)  # the fixture's first revision: versions number from 1

    reader = Reader(new_page(), live_server)
    reader.open("/articles/three-films/")
    assert reader.contents() == TITLES


def test_a_share_link_opens_the_draft_until_it_is_revoked(new_page, live_server, three):
    three.status = "draft"
    three.save()
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))
    editor.open_list("Three Films")
    url = editor.make_share_link(note="Studio press office")

    freelancer = Reader(new_page(), live_server)
    freelancer.page.goto(url)
    expect(freelancer.page.locator(".preview-banner")).to_contain_text("Preview — not published.")
    assert freelancer.contents() == TITLES

    editor.revoke_share_link()
    freelancer.page.problems.expect_status(url.removeprefix(live_server.url), 410)
    response = freelancer.page.goto(url)
    assert response.status == 410
    expect(freelancer.page.get_by_role("heading", level=1)).to_have_text("This preview link no longer works")
    assert "Three Films" not in freelancer.page.content()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_history_conflict_and_share_pages_have_no_axe_violations(new_page, live_server, three, viewport, tmp_path):
    from articles.services import entry_move

    Entry = three.entries.model
    entry_move(entry=Entry.objects.get(article=three, film__title="Hal"), rank=1)
    three.intro = "A new intro.\n\nWith a second paragraph."
    three.save()
    article_revision_record(article=three)

    ada, bea = Editor(new_page(viewport), live_server), Editor(new_page(viewport), live_server)
    ada.log_in(StaffFactory(username="ada"))
    bea.log_in(StaffFactory(username="bea"))
    ada.open_list("Three Films")
    ada.open_history()
    _check(ada.page, "history", viewport)

    bea.open_list("Three Films")
    ada.open_list("Three Films")
    ada.fill_in(Standfirst="Ada's")
    ada.save_and_continue()
    bea.fill_in(Sign_off="Bea's")
    bea.save()
    expect(bea.page.locator(".edit-conflict")).to_be_visible()
    # The entries inline is the entries editor's (its empty autocomplete has
    # no name on main already); everything this page adds is checked.
    _check(bea.page, "conflict", viewport, exclude=[[".inline-group"]])

    three.status = "draft"
    three.save()
    ada.open_list("Three Films")
    url = ada.make_share_link()
    _check(ada.page, "share links", viewport)
    reader = Reader(new_page(viewport), live_server)
    reader.page.goto(url)
    _check(reader.page, "shared preview", viewport)


def _check(page, name, viewport, exclude=None):
    import os

    shots = os.environ.get("SCREENSHOTS")
    if shots:
        page.screenshot(path=f"{shots}/{name.replace(' ', '-')}-{viewport['width']}.png", full_page=True)
    results = AXE.run(page, context={"exclude": exclude} if exclude else None)
    assert not results.violations_count, f"axe on {name} at {viewport['width']} px:\n{results.generate_report()}"
