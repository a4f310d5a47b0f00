"""
Small things on the desk a person notices at once: a share link's Copy
button, SEO texts counted as they are typed, targets a finger can hit.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import CommentFactory, StaffFactory, make_list

from .conftest import PHONE
from .people import Editor
from .test_comments_moderation import QUEUE, OneClickModerator, moderator_user  # noqa: F401
from .test_list_editor import change_path, ghibli  # noqa: F401


def log_in(new_page, live_server, viewport=None):
    editor = Editor(new_page(viewport) if viewport else new_page(), live_server)
    editor.log_in(StaffFactory(username="editor"))
    return editor


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_a_share_link_is_copied_with_its_copy_button(new_page, live_server, ghibli, how):  # noqa: F811
    editor = log_in(new_page, live_server)
    page = editor.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    editor.open(change_path(ghibli))
    url = editor.make_share_link(note="Studio press office")
    button = page.get_by_role("button", name="Copy share link 1")
    if how == "mouse":
        button.click()
    else:
        button.focus()
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="copied")).to_have_text("Share link 1 copied")
    assert page.evaluate("navigator.clipboard.readText()") == url


def test_the_seo_description_counts_and_says_when_it_is_too_long(new_page, live_server, ghibli):  # noqa: F811
    editor = log_in(new_page, live_server)
    editor.open(change_path(ghibli))
    page = editor.page
    page.get_by_text("Search engines and sharing").click()
    box = page.get_by_label("SEO description:")
    box.fill("A" * 150)
    count = page.locator("#id_seo_description_count")
    expect(count).to_have_text("150 of 160 characters.")
    box.fill("A" * 172)
    expect(box).to_have_value("A" * 172)  # nothing cut
    expect(count).to_have_text("12 characters too many: at most 160.")


def test_on_a_phone_the_handle_and_move_buttons_are_44_px_at_least(new_page, live_server, ghibli):  # noqa: F811
    editor = log_in(new_page, live_server, PHONE)
    editor.open(change_path(ghibli))
    row = editor.entry("Spirited Away")
    for target in [row.locator(".entry-handle"), row.locator(".entry-up"), row.locator(".entry-down")]:
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (target, box)


def test_the_moderation_queue_fits_1280_px_with_a_long_address_in_a_comment(new_page, live_server, moderator_user):  # noqa: F811
    """Before: the excerpt (the row's link, a <th>) did not wrap, and the table clipped the buttons."""
    article = make_list(2, title="Top 20 Sad Romance Anime Movies That Will Break Your Heart")
    for held in (True, False):
        CommentFactory(
            article=article,
            held=held,
            name="Jonathan Whitfield-Montgomery",
            body="See https://example.com/a/very/long/address/that/never/breaks/anywhere/at/all " * 3,
        )
    moderator = OneClickModerator(new_page(), live_server)
    moderator.log_in(moderator_user)
    moderator.open(QUEUE)
    widths = moderator.page.evaluate(
        "() => { const box = document.querySelector('#result_list').parentElement;"
        " return [document.documentElement.scrollWidth, innerWidth, box.scrollWidth, box.clientWidth]; }"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
    expect(moderator.page.get_by_role("button", name="Remove").first).to_be_in_viewport()


def test_on_a_phone_an_editors_send_back_note_is_the_first_thing_the_writer_sees(new_page, live_server, ghibli):  # noqa: F811
    """Before: the note sat in the Publishing section, below the fold (far below, at 390 px)."""
    from articles.models import State, Transition

    editor = StaffFactory(username="eddie", first_name="Eddie")
    Transition.objects.create(
        article=ghibli, user=editor, from_state=State.REVIEW, to_state=State.DRAFT, note="Say why Totoro is second."
    )
    writer = log_in(new_page, live_server, PHONE)
    writer.open(change_path(ghibli))
    note = writer.page.locator(".review-note")
    expect(note).to_contain_text("Sent back by Eddie")
    expect(note).to_contain_text("Say why Totoro is second.")
    expect(note).to_be_in_viewport()
    expect(writer.page.locator(".review-note")).to_have_count(1)  # said once


def test_on_a_phone_nothing_in_the_writing_runs_past_the_screen(new_page, live_server, ghibli):  # noqa: F811
    editor = log_in(new_page, live_server, PHONE)
    editor.open(change_path(ghibli))
    editor.open_entry("Spirited Away")
    past = editor.page.evaluate(
        "() => [...document.querySelectorAll('.desk-writing *')]"
        ".filter(el => el.getBoundingClientRect().right > innerWidth + 0.5).map(el => el.className || el.tagName)"
    )
    assert past == []
