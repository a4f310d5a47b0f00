"""
A reader comments and finds their comment marked as waiting; a moderator
approves it from the queue in one click and replies as the magazine; the
reader then sees both, the reply marked as staff. No JavaScript is involved:
the same steps by mouse and by keyboard, and axe on every page they pass.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from tests.factories import CommentFactory, UserFactory, make_list

from .conftest import DESKTOP, PHONE
from .people import Moderator, Reader
from .test_accessibility import axe_violations

QUEUE = "/admin/comments/comment/"
BODY = "The rain scene in the garden made me cry."
REPLY = "Thank you, Aiko: that scene is why it is number one."


class CommentingReader(Reader):
    def pending_comment(self):
        return self.page.locator("li.comment-pending")

    def staff_replies(self):
        """[(name, badge, text)] of the replies marked as staff."""
        return [
            (
                r.locator(".comment-author").inner_text(),
                r.locator(".comment-badge").inner_text(),
                r.locator(".comment-body").inner_text(),
            )
            for r in self.page.locator("li.comment-staff").all()
        ]


class OneClickModerator(Moderator):
    def queue_row(self, text):
        return self.page.locator("#result_list tbody tr", has_text=text)

    def click_in_row(self, text, button, *, keyboard=False):
        target = self.queue_row(text).get_by_role("button", name=f"{button} the comment by")
        if keyboard:
            target.focus()
            self.page.keyboard.press("Enter")
        else:
            target.click()

    def reply_from_row(self, text, reply, *, keyboard=False):
        link = self.queue_row(text).get_by_role("link", name="Reply to")
        if keyboard:
            link.focus()
            self.page.keyboard.press("Enter")
        else:
            link.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Reply to")
        box = self.page.get_by_label("Reply:")
        if keyboard:
            box.focus()
            self.page.keyboard.type(reply)
            self.page.get_by_role("button", name="Publish reply").focus()
            self.page.keyboard.press("Enter")
        else:
            box.fill(reply)
            self.press_button("Publish reply")


@pytest.fixture
def moderator_user(db):
    user = UserFactory(username="moderator", first_name="Mika", last_name="Mori", is_staff=True)
    # Live-server tests flush the database between tests, the migration's group with it.
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "moderate_comment"]
        )
    )
    user.groups.add(group)
    return user


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_reader_sees_own_comment_waiting_then_approved_with_the_magazines_reply(
    new_page, live_server, settings, moderator_user, keyboard
):
    settings.COMMENTS_MIN_SECONDS = 0
    article = make_list(3, title="Three Quiet Films")
    reader = CommentingReader(new_page(PHONE if keyboard else DESKTOP), live_server)
    reader.open(article.get_absolute_url())

    status = reader.comment(name="Aiko", email="aiko@example.com", body=BODY)
    assert "Waiting for a moderator" in status
    pending = reader.pending_comment()
    expect(pending).to_contain_text(BODY)
    expect(pending).to_contain_text("Waiting for a moderator")
    expect(pending.get_by_role("link", name="Reply")).to_have_count(0)
    assert reader.path.startswith(article.get_absolute_url() + "?comment=")
    # The shared page, for everyone else, shows nothing of it.
    other = CommentingReader(new_page(), live_server)
    other.open(article.get_absolute_url())
    assert other.comments() == []

    moderator = OneClickModerator(new_page(), live_server)
    moderator.log_in(moderator_user)
    moderator.open(QUEUE + "?status=held")
    moderator.click_in_row(BODY, "Approve", keyboard=keyboard)
    expect(moderator.page.locator("ul.messagelist")).to_contain_text("Approved the comment by Aiko.")
    assert moderator.path == QUEUE + "?status=held"  # back on the same filtered queue
    expect(moderator.queue_row(BODY)).to_have_count(0)

    moderator.open(QUEUE + "?status=approved")
    moderator.reply_from_row(BODY, REPLY, keyboard=keyboard)
    expect(moderator.page.locator("ul.messagelist")).to_contain_text("Your reply to Aiko is published.")

    reader.open(article.get_absolute_url())
    reader.page.reload()  # the browser may keep a page a minute; the site's cache has let go
    assert reader.comments() == [("Aiko", BODY)]
    expect(reader.pending_comment()).to_have_count(0)
    # inner_text() follows the badge's CSS upper case.
    assert [(n, b.casefold(), t) for n, b, t in reader.staff_replies()] == [("Mika Mori", "staff", REPLY)]
    reply = reader.page.locator("li.comment", has_text=BODY).locator(".comment-replies li.comment-staff")
    expect(reply).to_contain_text(REPLY)  # threaded under the reader's comment


def test_a_comment_page_moderates_and_replies_without_save_buttons(new_page, live_server, moderator_user):
    held = CommentFactory(held=True, name="Ren", body="Held until someone looks.")
    moderator = OneClickModerator(new_page(), live_server)
    moderator.log_in(moderator_user)
    moderator.open(f"{QUEUE}{held.pk}/change/")
    page = moderator.page
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.locator("input[name=_save], input[name=_continue]")).to_have_count(0)
    page.get_by_label("Reply:").fill("Welcome, Ren.")
    page.get_by_role("button", name="Publish reply").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Your reply to Ren is published.")
    # Replying approved the held comment: its page now offers Spam and Remove, not Approve.
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator("ul.messagelist")).to_contain_text("Removed the comment by Ren.")
    expect(page.locator(".field-status_label")).to_contain_text("removed")


ADMIN_PAGES = {
    "queue": QUEUE,
    "held queue": QUEUE + "?status=held",
    "comment page": "{held}change/",
    "reply page": "{held}reply/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_no_axe_violations_on_the_moderation_pages(new_page, live_server, moderator_user, name, viewport):
    article = make_list(2, title="Two Films")
    CommentFactory(article=article, name="Kenji", body="Approved words")
    held = CommentFactory(
        article=article,
        held=True,
        held_reason="first",
        name="Jonathan Whitfield-Montgomery",
        email="jonathan.whitfield-montgomery@a-rather-long-domain.example",
        body="Held words " * 20,
    )
    CommentFactory(article=article, spam=True, body="Spam words")
    moderator = OneClickModerator(new_page(viewport), live_server)
    moderator.log_in(moderator_user)
    moderator.open(ADMIN_PAGES[name].format(held=f"{QUEUE}{held.pk}/"))
    if name.endswith("queue") and viewport is DESKTOP:
        # The queue fits a 1280 px screen: neither the page nor the table scrolls sideways.
        widths = moderator.page.evaluate(
            "() => { const box = document.querySelector('#result_list').parentElement;"
            " return [document.documentElement.scrollWidth, innerWidth, box.scrollWidth, box.clientWidth]; }"
        )
        assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
    report = axe_violations(moderator.page)
    assert not report, f"axe on the {name} at {viewport['width']} px:\n{report}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_no_axe_violations_on_the_readers_pending_comment(new_page, live_server, settings, viewport):
    settings.COMMENTS_MIN_SECONDS = 0
    article = make_list(2, title="Two Films")
    parent = CommentFactory(article=article, name="Kenji", body="Approved words")
    CommentFactory(article=article, parent=parent, depth=1, by_staff=True, name="The magazine", body="Staff words")
    reader = CommentingReader(new_page(viewport), live_server)
    reader.open(article.get_absolute_url())
    reader.comment(name="Aiko", email="aiko@example.com", body=BODY)
    expect(reader.pending_comment()).to_be_visible()
    report = axe_violations(reader.page)
    assert not report, f"axe on the pending comment at {viewport['width']} px:\n{report}"
