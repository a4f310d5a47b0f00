"""
Publishing and review in a browser: a writer hands a list to the editors, an
editor sends it back with a note, then schedules it; publishing now stamps the
moment the button is pressed.
"""

import datetime
import importlib
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, State
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, StaffFactory, UserFactory

from .conftest import DESKTOP, PHONE
from .people import Editor, Reader, Writer

AXE = Axe()


def staff(role, username):
    if not Group.objects.filter(name=role).exists():
        # Live-server tests flush the tables after each test, groups the
        # migrations made included: make the roles again as `migrate` does.
        from django.apps import apps

        importlib.import_module("articles.migrations.0007_editorial_roles").create_roles(apps, None)
    user = UserFactory(username=username, is_staff=True, email=f"{username}@example.com", first_name=username.title())
    user.groups.add(Group.objects.get(name=role))
    return user


def review_link(message):
    return re.search(r"http://\S+/admin/articles/article/\d+/change/", message.body).group(0)


def test_writer_submits_editor_sends_back_writer_resubmits_editor_schedules(new_page, live_server):
    for title in ["Your Name", "Wolf Children"]:
        FilmFactory(title=title)
    writer = Writer(new_page(), live_server)
    writer.log_in(staff("Writers", "wren"))
    editor = Editor(new_page(), live_server)
    editor.log_in(staff("Editors", "eddie"))

    writer.start_list(title="Two Films About Growing Up", dek="Small steps.")
    for title in ["Your Name", "Wolf Children"]:
        writer.add_entry(title, write_up=f"About {title}.")
    expect(writer.page.get_by_role("button", name="Publish now")).to_have_count(0)
    writer.submit_for_review()
    assert "in review" in writer.state()

    assert [m.to for m in mail.outbox] == [["eddie@example.com"]]
    editor.open(review_link(mail.outbox[0]).removeprefix(live_server.url))
    expect(editor.page.get_by_role("heading", level=2, name="Save and publish")).to_be_visible()
    editor.send_back_by_keyboard("Say why Wolf Children is second.")

    writer.page.reload()
    note = writer.page.locator(".review-note")
    expect(note).to_contain_text("Sent back by Eddie")
    expect(note).to_contain_text("Say why Wolf Children is second.")
    writer.submit_for_review()
    assert len(mail.outbox) == 3  # the editors, the writer (sent back), the editors again
    assert mail.outbox[1].to == ["wren@example.com"]

    editor.open(review_link(mail.outbox[2]).removeprefix(live_server.url))
    day = timezone.localdate() + datetime.timedelta(days=2)
    said = editor.schedule(day, "09:00", button="Approve and schedule for this time")
    words = f"goes live {day:%a} {day.day} {day:%b} at 09:00"
    assert said == words  # shown back before pressing the button…
    assert words in editor.state()  # …and after
    article = Article.objects.get(title="Two Films About Growing Up")
    assert article.state == State.SCHEDULED and article.author.username == "wren"
    history = editor.page.locator(".review-history li").all_inner_texts()
    assert [re.search(r": (.*) by", h).group(1) for h in history] == [
        "In review → Scheduled",
        "Draft → In review",
        "In review → Draft",
        "Draft → In review",
    ]


def test_editor_schedules_then_publishes_now_and_readers_see_the_stamped_time(new_page, live_server):
    article = ArticleFactory(
        title="Quiet Trains", slug="quiet-trains", draft=True, published_at=timezone.now() - datetime.timedelta(days=30)
    )
    EntryFactory(article=article, rank=1, film=FilmFactory(title="Only Yesterday"))
    editor = Editor(new_page(), live_server)
    editor.log_in(StaffFactory(username="boss"))
    editor.open(f"/admin/articles/article/{article.pk}/change/")

    editor.schedule(timezone.localdate() + datetime.timedelta(days=1), "10:30")
    reader = Reader(new_page(), live_server)
    assert reader.open("/articles/quiet-trains/").status == 404  # scheduled, not live
    reader.page.problems.clear()

    before = timezone.now()
    editor.publish_now()
    after = timezone.now()
    article.refresh_from_db()
    assert before - datetime.timedelta(seconds=1) <= article.published_at <= after
    assert "published" in editor.state()

    assert reader.open("/articles/quiet-trains/").status == 200
    stamp = reader.page.locator("article time, main time").first.get_attribute("datetime")
    assert datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z") == article.published_at.replace(microsecond=0)


def test_the_calendar_reschedules_without_javascript(browser, live_server):
    article = ArticleFactory(title="Moving Day", scheduled=True)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    editor = Editor(page, live_server)
    editor.log_in(StaffFactory(username="boss"))
    editor.open("/admin/articles/article/calendar/")
    item = page.locator(".calendar-item", has_text="Moving Day")
    item.locator("summary").click()
    day = timezone.localdate() + datetime.timedelta(days=6)
    item.get_by_label("Date").fill(day.isoformat())
    item.get_by_label("Time").fill("08:15")
    item.get_by_role("button", name="Move").click()
    expect(page.locator("ul.messagelist")).to_contain_text(f"goes live {day:%a} {day.day} {day:%b} at 08:15")
    article.refresh_from_db()
    assert timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 08:15"
    context.close()


SHOTS = os.environ.get("SCREENSHOTS_DIR")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("where", ["publish controls", "publish controls in review", "calendar", "week"])
def test_no_axe_violations_on_the_publishing_pages(new_page, live_server, viewport, where):
    writer = UserFactory(username="wren", first_name="Wren")
    review = ArticleFactory(title="Waiting For An Editor", status=Article.Status.REVIEW, author=writer)
    draft = ArticleFactory(title="A Draft Among Friends", draft=True, author=writer)
    ArticleFactory(title="Tomorrow's List", scheduled=True)
    ArticleFactory(title="Yesterday's List")
    page = new_page(viewport)
    editor = Editor(page, live_server)
    editor.log_in(StaffFactory(username="boss"))
    path = {
        "publish controls": f"/admin/articles/article/{draft.pk}/change/",
        "publish controls in review": f"/admin/articles/article/{review.pk}/change/",
        "calendar": "/admin/articles/article/calendar/",
        "week": f"/admin/articles/article/calendar/?week={timezone.localdate().isoformat()}",
    }[where]
    editor.open(path)
    # The list's page: the side panel's disclosures (Schedule…, Send back…, folded sections).
    summaries = page.locator(".desk-side summary") if where.startswith("publish") else page.locator("summary")
    for summary in summaries.all()[:4]:
        summary.click()  # axe reads the opened forms too
    if where.startswith("publish"):
        page.locator("#publishing").scroll_into_view_if_needed()
    # On a list's page: the publishing panels at the top and bottom and the
    # state line; the entries' editor belongs to its own tests.
    context = (
        {"include": [[".publish-controls"], [".field-publication"], [".field-review_history"]]}
        if where.startswith("publish")
        else None
    )
    results = AXE.run(page, context=context)
    assert not results.violations_count, results.generate_report()
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        target = page.locator("#publishing") if where.startswith("publish") else page
        target.screenshot(path=f"{SHOTS}/{where.replace(' ', '-')}-{viewport['width']}.png")


# --- Preview of the unsaved form --------------------------------------------------------


def three_films():
    article = ArticleFactory(title="Three Quiet Films", draft=True)
    for rank, title in enumerate(["Only Yesterday", "Ocean Waves", "Whisper of the Heart"], start=1):
        EntryFactory(article=article, rank=rank, film=FilmFactory(title=title), write_up=f"Why {title}.")
    return article


def press_preview(page, *, keyboard):
    """The Preview button, clicked or reached from the keyboard; returns the tab it opened (or reused)."""
    button = page.get_by_role("button", name="Preview").first
    with page.context.expect_page() as opened:
        if keyboard:
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()
    preview = opened.value
    preview.wait_for_load_state()
    return preview


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_preview_shows_unsaved_moves_and_the_editor_keeps_them(new_page, live_server, keyboard):
    article = three_films()
    page = new_page()
    editor = Editor(page, live_server)
    editor.log_in(StaffFactory(username="boss"))
    editor.open(f"/admin/articles/article/{article.pk}/change/")
    editor.move_by_keyboard("Whisper of the Heart", "Alt+ArrowUp", "Alt+ArrowUp")
    page.get_by_label(re.compile("^Title:?$")).fill("Three Quiet Films, Reordered")
    loads = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))

    preview = press_preview(page, keyboard=keyboard)
    expect(preview.locator(".preview-banner")).to_contain_text("Preview — not saved.")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Three Quiet Films, Reordered")
    reader = Reader(preview, live_server)
    assert reader.entry_titles() == ["1 Whisper of the Heart", "2 Only Yesterday", "3 Ocean Waves"]

    # The editor's page did not move, kept the move, and still asks before it is left unsaved.
    assert loads == []
    assert [film for _, film in editor.entry_lines()][:3] == ["Whisper of the Heart", "Only Yesterday", "Ocean Waves"]
    article.refresh_from_db()
    assert (article.title, [e.film.title for e in article.entries.order_by("rank")]) == (
        "Three Quiet Films",
        ["Only Yesterday", "Ocean Waves", "Whisper of the Heart"],
    )
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Articles").first.click()
    assert asked == ["beforeunload"]


def test_preview_without_javascript_and_a_problem_named_in_its_tab(browser, live_server):
    article = three_films()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        editor = Editor(page, live_server)
        editor.log_in(StaffFactory(username="boss"))
        editor.open(f"/admin/articles/article/{article.pk}/change/")
        page.locator(".entry-row", has_text="Ocean Waves").locator("summary.entry-summary").click()
        page.locator(".entry-row", has_text="Ocean Waves").locator("input[name$=-rank]").fill("1")
        preview = press_preview(page, keyboard=False)
        assert Reader(preview, live_server).entry_titles() == [
            "1 Ocean Waves",
            "2 Only Yesterday",
            "3 Whisper of the Heart",
        ]

        page.get_by_label(re.compile("^Title:?$")).fill("")
        with preview.expect_navigation():  # the same tab, reused
            page.get_by_role("button", name="Preview").first.click()
        expect(preview.get_by_role("heading", level=1)).to_have_text("Preview — not saved")
        expect(preview.get_by_role("alert")).to_contain_text("Title: This field is required.")
        assert len(context.pages) == 2
        # Nothing typed is lost: the editor's page is as it was left.
        expect(page.locator(".entry-row", has_text="Ocean Waves").locator("input[name$=-rank]")).to_have_value("1")
        assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("where", ["preview", "preview refused"])
def test_no_axe_violations_on_the_preview_pages(new_page, live_server, viewport, where):
    article = three_films()
    page = new_page(viewport)
    editor = Editor(page, live_server)
    editor.log_in(StaffFactory(username="boss"))
    editor.open(f"/admin/articles/article/{article.pk}/change/")
    if where == "preview refused":
        page.get_by_label(re.compile("^Title:?$")).fill("")
    preview = press_preview(page, keyboard=False)
    expect(preview.locator(".preview-banner" if where == "preview" else ".error-summary")).to_be_visible()
    results = AXE.run(preview)
    assert not results.violations_count, results.generate_report()
    if SHOTS:
        Path(SHOTS).mkdir(exist_ok=True)
        preview.screenshot(path=f"{SHOTS}/{where.replace(' ', '-')}-{viewport['width']}.png")


# --- The calendar: this week on a phone, the month on a wide screen ---------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_phone_lands_on_this_week_and_a_wide_screen_on_the_month(browser, live_server, javascript):
    ArticleFactory(title="Out Today", published_at=timezone.now())
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    boss = StaffFactory(username="boss")
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        try:
            page = context.new_page()
            editor = Editor(page, live_server)
            editor.log_in(boss)
            page.get_by_role("link", name="Editorial calendar").click()
            days = page.locator(".calendar td").filter(visible=True)
            nav = page.get_by_role("navigation", name="Calendar periods")
            expect(page.locator(".calendar-item", has_text="Out Today")).to_be_visible()
            if viewport is DESKTOP:
                assert days.count() >= 28  # every week of the month
                expect(nav.get_by_role("link", name="This week")).to_be_visible()
                expect(nav.get_by_role("link", name="Whole month")).to_be_hidden()
                continue
            # A phone: the seven days of this week, today marked, and the way to the others.
            assert [d.locator(".day time").get_attribute("datetime") for d in days.all()] == [
                (monday + datetime.timedelta(days=i)).isoformat() for i in range(7)
            ]
            expect(days.filter(has_text="Today,")).to_have_count(1)
            expect(page.locator(".calendar caption")).to_contain_text(f"This week, {monday.day} {monday:%B}")
            expect(nav.get_by_role("link", name=f"{today:%B %Y}")).to_have_count(0)
            expect(nav.get_by_role("link", name=re.compile("This week"))).to_be_hidden()
            following = monday + datetime.timedelta(days=7)
            nav.get_by_role("link", name=f"Week of {following.day} {following:%b} →").click()
            assert page.url.endswith(f"?week={following.isoformat()}")
            expect(page.locator(".calendar td").filter(visible=True)).to_have_count(7)
            page.go_back()
            nav.get_by_role("link", name="Whole month").click()
            assert page.url.endswith(f"?month={today:%Y-%m}")
            expect(page.locator(".calendar caption")).to_contain_text(f"{today:%B %Y}")
        finally:
            context.close()
