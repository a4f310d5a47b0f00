"""
The import preview in a browser: an editor sees where every line of a pasted
list goes, answers the importer's question, corrects it, and confirms.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import StaffFactory

from .conftest import DESKTOP, PHONE
from .people import Editor
from .test_accessibility import axe_violations

PASTED = "\n\n".join(
    [
        "Three Films About Letting Go",  # 1
        "By Aiko Tanaka | March 3, 2025 | 6 min read",  # 3
        "Three quiet films for a grey afternoon.",  # 5
        "1. Hal (2013)",  # 7
        "A robot takes the place of a boy who died, and learns his grief.",  # 9
        "Share this: Facebook · Twitter",  # 11
        "2. Colorful (2010)",  # 13
        "A soul gets a second chance in a body it does not want.",  # 15
        "Advertisement",  # 17
        "3. Wolf Children (2012)",  # 19
        "A mother raises two children who are half wolf.",  # 21
        "You will love these films if you need a good cry.",  # 23
        "#SadAnime #RomanceAnime",  # 25
    ]
)
CLOSING = "You will love these films if you need a good cry."
CLOSING_LINE = 23


@pytest.fixture
def editor(new_page, live_server):
    def make(viewport=DESKTOP):
        person = Editor(new_page(viewport), live_server)
        person.log_in(StaffFactory(username="editor"))
        return person

    return make


def test_editor_answers_the_question_marks_the_conclusion_and_confirms(editor):
    editor = editor()
    editor.preview_import(PASTED)
    page = editor.page

    # Furniture is shown where it stood, struck through, with its reason.
    expect(editor.import_line(11).locator("del")).to_have_text("Share this: Facebook · Twitter")
    expect(editor.import_line(11)).to_contain_text("Dropped: share prompt")
    expect(editor.import_line(17)).to_contain_text("Dropped: advertisement marker")
    # The closing paragraph is asked about; for now it stays in the last entry.
    expect(page.get_by_role("heading", name="1 question for you")).to_be_visible()
    expect(editor.import_line(CLOSING_LINE)).to_contain_text("Does the conclusion start here?")
    assert editor.import_part(CLOSING_LINE) == "#3 Wolf Children"

    editor.mark_line(CLOSING_LINE, "Yes, the conclusion starts here")
    expect(editor.import_line(CLOSING_LINE)).to_be_in_viewport()  # back at the line just marked
    assert editor.import_part(CLOSING_LINE) == "Conclusion"
    expect(page.get_by_role("heading", name=re.compile("question for you"))).to_have_count(0)
    expect(page.locator(".import-marks")).to_contain_text(f"Line {CLOSING_LINE} “{CLOSING[:30]}")

    editor.press_button("Re-read")  # the mark travels with the text
    assert editor.import_part(CLOSING_LINE) == "Conclusion"
    editor.press_button("Create the draft")
    expect(page.locator("ul.messagelist")).to_contain_text(
        "Imported the draft “Three Films About Letting Go” with 3 entries"
    )
    expect(page.get_by_label(re.compile("^Conclusion:?$"))).to_have_value(CLOSING)


def test_editor_corrects_the_reading_from_the_keyboard(editor):
    editor = editor()
    editor.preview_import(PASTED)
    page = editor.page

    furniture = editor.import_line(15).get_by_role("button", name="Furniture (line 15)")
    furniture.focus()
    page.keyboard.press("Enter")
    expect(editor.import_line(15).locator("del")).to_have_text(re.compile("^A soul gets"))
    expect(editor.import_line(15)).to_contain_text("Dropped: marked as furniture in the preview")

    undo = editor.import_line(15).get_by_role("button", name="Undo the mark on line 15")
    undo.focus()
    page.keyboard.press("Space")
    expect(editor.import_line(15).locator("del")).to_have_count(0)
    assert editor.import_part(15) == "#2 Colorful"

    # Enter in a field re-reads the text; it neither marks a line nor creates the draft.
    page.get_by_label(re.compile("^Title:?$")).fill("Letting Go")
    page.get_by_label(re.compile("^Title:?$")).press("Enter")
    expect(page.get_by_role("heading", level=2, name="Preview: Letting Go")).to_be_visible()
    expect(page.locator(".import-marks")).to_have_count(0)
    assert editor.import_part(7) == "#1 Hal"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_no_axe_violations_on_the_preview(editor, viewport):
    editor = editor(viewport)
    editor.preview_import(PASTED.replace("Three quiet films", "KondĹŤ’s three quiet films"))
    editor.mark_line(15, "Furniture")
    report = axe_violations(editor.page)
    assert not report, f"axe on the import preview at {viewport['width']} px:\n{report}"
    if os.environ.get("SCREENSHOTS"):  # to look at it: SCREENSHOTS=/tmp/shots pytest …
        path = Path(os.environ["SCREENSHOTS"]) / f"import-preview-{viewport['width']}.png"
        editor.page.screenshot(path=path, full_page=True)
