"""
The import preview through the admin test client: every block of the text
where it will go, and the editor's marks (heading, furniture, conclusion),
carried in the form and read again, then written as shown.
"""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article

from .test_importer_admin import URL, hidden

TEXT = "\n\n".join(
    [
        "Sad Films",  # 1
        "By Aiko Tanaka | March 3, 2025 | 6 min read",  # 3
        "An intro.",  # 5
        "1. Hal (2013)",  # 7
        "A robot.",  # 9
        "Share this: Facebook",  # 11
        "Clannad",  # 13
        "Family, by Yoshifumi KondĹŤ.",  # 15
        "3. Colorful",  # 17
        "A soul.",  # 19
        "It was made in 2010.",  # 21
        "You will love these films.",  # 23
        "#SadAnime",  # 25
    ]
)


def group(response, key):
    """The HTML of one part of the preview (“entry-2”, “conclusion”, “meta” …), or "" when it is not shown."""
    m = re.search(rf'<section class="import-group" id="group-{key}".*?</section>', response.text, re.S)
    return m.group(0) if m else ""


def lines_in(response, key):
    return [int(n) for n in re.findall(r'id="line-(\d+)"', group(response, key))]


def step(client, response, **pressed):
    """Press a button on the page: the text and every hidden field go back with it, as in a browser."""
    return client.post(URL, {"text": TEXT, **hidden(response), **pressed})


def test_every_block_is_shown_in_the_part_it_goes_to(staff_client):
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    assert lines_in(page, "meta") == [1, 3]
    assert lines_in(page, "intro") == [5]
    # The share prompt stays where it stood, struck through; “Clannad” is read as a paragraph of #1.
    assert lines_in(page, "entry-1") == [7, 9, 11, 13, 15]
    assert lines_in(page, "entry-3") == [17, 19, 21, 23]
    assert lines_in(page, "hashtags") == [25]
    assert "#3 Colorful</h4>" in group(page, "entry-3")
    assert Article.objects.count() == 0


def test_a_dropped_furniture_line_is_struck_through_with_its_reason(staff_client):
    entry = group(staff_client.post(URL, {"text": TEXT, "preview": "Preview"}), "entry-1")
    assert '<span class="line-where">Dropped: share prompt</span>' in entry
    assert '<del class="line-text">Share this: Facebook</del>' in entry


def test_repairs_are_shown_on_their_lines(staff_client):
    entry = group(staff_client.post(URL, {"text": TEXT, "preview": "Preview"}), "entry-1")
    assert "Line 15: repaired mojibake “KondĹŤ” → “Kondō”." in entry
    assert "The year 2013 is saved on the film, not in its title." in entry


def test_the_unsure_closing_paragraph_is_asked_and_answered(staff_client):
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    assert "1 question for you" in page.text
    asked = re.search(r'<li class="import-line is-entry is-question" id="line-23">.*?</li>', page.text, re.S).group(0)
    assert "Does the conclusion start here?" in asked
    assert 'name="mark_line" value="23:conclusion"' in asked

    answered = step(staff_client, page, mark_line="23:conclusion")
    assert lines_in(answered, "conclusion") == [23]
    assert lines_in(answered, "entry-3") == [17, 19, 21]
    assert "question for you" not in answered.text
    assert "You marked this as the start of the conclusion." in group(answered, "conclusion")


def test_marking_the_conclusion_start_moves_it_and_everything_after_it(staff_client):
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    assert 'value="21:conclusion"' in group(page, "entry-3")
    moved = step(staff_client, page, mark_line="21:conclusion")
    assert lines_in(moved, "entry-3") == [17, 19]
    assert lines_in(moved, "conclusion") == [21, 23]
    assert hidden(moved)["mark"][0].startswith("21:conclusion:")


def test_marking_a_line_as_a_heading_creates_an_entry(staff_client):
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    marked = step(staff_client, page, mark_line="13:heading")
    assert lines_in(marked, "entry-1") == [7, 9, 11]
    assert lines_in(marked, "entry-2") == [13, 15]
    assert "#2 Clannad</h4>" in group(marked, "entry-2")
    assert re.search(r"<td>#2</td>\s*<td>Clannad", marked.text)
    assert "with 3 entries" in marked.text


def test_marking_a_line_as_furniture_drops_it_and_undo_brings_it_back(staff_client):
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    dropped = step(staff_client, page, mark_line="9:furniture")
    entry = group(dropped, "entry-1")
    assert '<span class="line-where">Dropped: marked as furniture in the preview</span>' in entry
    assert '<del class="line-text">A robot.</del>' in entry
    assert "Line 9 “A robot.” is page furniture." in dropped.text

    undone = step(staff_client, dropped, unmark="9")
    assert '<span class="line-text">A robot.</span>' in group(undone, "entry-1")
    assert "mark" not in hidden(undone)


def test_marks_survive_a_failed_submit_and_confirm_writes_what_was_shown(staff_client):
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    page = step(staff_client, page, mark_line="13:heading")
    page = step(staff_client, page, mark_line="21:conclusion")
    page = step(staff_client, page, mark_line="11:heading")  # a share prompt as a heading: #2 is then held twice
    assert "Nothing was imported:" in page.text
    assert "Your corrections" in page.text
    marks = [m.split(":")[:2] for m in hidden(page)["mark"]]
    assert marks == [["11", "heading"], ["13", "heading"], ["21", "conclusion"]]

    page = step(staff_client, page, unmark="11")
    assert "Nothing was imported:" not in page.text
    response = step(staff_client, page, confirm="Create the draft")
    assert response.status_code == 302
    article = Article.objects.get()
    assert [(e.rank, e.film.title, e.write_up) for e in article.entries.order_by("rank")] == [
        (1, "Hal", "A robot."),
        (2, "Clannad", "Family, by Yoshifumi Kondō."),
        (3, "Colorful", "A soul."),
    ]
    assert article.conclusion == "It was made in 2010.\n\nYou will love these films."
    assert article.intro == "An intro." and article.byline == "Aiko Tanaka"


def test_a_confirm_after_the_text_changed_previews_again(staff_client):
    # Line 13 marked as a heading: without it the list jumps over #2, and nothing could be confirmed.
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview", "mark_line": "13:heading"})
    changed = staff_client.post(
        URL, {**hidden(page), "text": TEXT.replace("A soul.", "A soul, lost."), "confirm": "Create the draft"}
    )
    assert changed.status_code == 200
    assert "changed since the preview: check this preview, then create the draft" in changed.text
    assert Article.objects.count() == 0
    assert (
        staff_client.post(
            URL, {**hidden(changed), "text": TEXT.replace("A soul.", "A soul, lost."), "confirm": "Create the draft"}
        ).status_code
        == 302
    )


def test_a_mark_on_a_line_that_changed_is_dropped_and_said(staff_client):
    page = step(staff_client, staff_client.post(URL, {"text": TEXT, "preview": "Preview"}), mark_line="9:furniture")
    edited = staff_client.post(
        URL, {**hidden(page), "text": TEXT.replace("A robot.", "A small robot."), "preview": "Re-read"}
    )
    assert "Line 9 changed since you marked it as page furniture; that mark was dropped." in edited.text
    assert '<span class="line-text">A small robot.</span>' in group(edited, "entry-1")


def test_the_buttons_bring_the_editor_back_to_the_line(staff_client):
    page = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    assert re.search(
        r'name="mark_line" value="13:heading" formaction="#line-13">Heading'
        r'<span class="visually-hidden"> \(line 13\)</span>',
        page.text,
    )


def test_a_legacy_encoded_upload_reports_its_encoding_at_every_step(staff_client):
    text = "Les films\n\n1. Café (2001)\n\nUn café à Paris.\n\nPublicité\n\n#Films"
    upload = SimpleUploadedFile("list.txt", text.encode("cp1252"))
    page = staff_client.post(URL, {"upload": upload, "preview": "Preview"})
    assert "The file is not UTF-8: it was read as Windows-1252." in page.text
    assert "Line 3: “é” read as Windows-1252." in group(page, "entry-1")
    assert "Line 5: “é”, “à” read as Windows-1252." in group(page, "entry-1")
    assert hidden(page)["encoding"] == ["cp1252"]

    again = staff_client.post(URL, {"text": text, **hidden(page), "mark_line": "7:furniture"})
    assert "The file is not UTF-8: it was read as Windows-1252." in again.text
    assert staff_client.post(URL, {"text": text, **hidden(again), "confirm": "Create the draft"}).status_code == 302
    assert Article.objects.get().entries.get().film.title == "Café"
