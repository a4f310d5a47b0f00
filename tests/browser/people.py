"""
The people who use the magazine, as steps a browser test strings together.

Each class wraps one Playwright page and speaks in the words of its person
("follow the list", "jump to #7"), so a journey reads like a story and a new
feature adds one method here (the importer: `Editor.import_listicle`; search:
`Reader.search`; comments: `Reader.comment` and `Moderator.approve`).
"""

import re

from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


class Person:
    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url

    def open(self, path):
        response = self.page.goto(self.base + path)
        return response

    @property
    def path(self):
        return self.page.url.removeprefix(self.base)

    def fill_in(self, **fields):
        """Fill form fields by their visible label: fill_in(Title="…", Intro="…")."""
        for label, value in fields.items():
            # The admin's labels end with a colon; a reader form's may not.
            name = re.escape(label.replace("_", " "))
            self.page.get_by_label(re.compile(f"^{name}:?$", re.IGNORECASE)).fill(value)

    def press_button(self, name):
        self.page.get_by_role("button", name=name).first.click()


class Reader(Person):
    def open_home(self):
        self.open("/")
        expect(self.page.locator("main")).to_be_visible()

    def follow_list(self, title):
        self.page.get_by_role("link", name=title, exact=True).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(title)

    def contents(self):
        """The titles in the list's contents box, in the order shown."""
        return self.page.locator(".contents li").all_inner_texts()

    def entry_titles(self):
        """The entries' headings as shown, rank first: ['1 Film A', …]."""
        return [
            f"{entry.locator('.rank').inner_text()} {entry.locator('.entry-title a').inner_text()}"
            for entry in self.page.locator("li.entry").all()
        ]

    def jump_to(self, rank):
        """Follow the contents link to entry #rank; returns that entry."""
        self.page.locator(".contents").get_by_role("link").nth(rank - 1).click()
        expect(self.page).to_have_url(re.compile(f"#rank-{rank}$"))
        entry = self.page.locator(f"#rank-{rank}")
        expect(entry).to_be_in_viewport()
        return entry

    def open_film(self, entry):
        title = entry.locator(".entry-title a").inner_text()
        entry.locator(".entry-title a").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(title)
        return title

    def follow_mood(self, name):
        self.page.locator("main").get_by_role("link", name=re.compile(f"^{re.escape(name)}\\b")).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(name.capitalize())

    def follow_ranked_in(self, article_title):
        """From a film page, back to the list that ranks it."""
        self.page.locator(".ranked-in").get_by_role("link", name=article_title).click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(article_title)

    def follow_hashtag(self, name):
        self.page.locator("main").get_by_role("link", name=f"#{name}", exact=True).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(f"#{name}")

    def film_cards(self):
        return self.page.locator(".film-card-title").all_inner_texts()

    def card_titles(self):
        return self.page.locator(".card-title").all_inner_texts()

    def search(self, query):
        """Type in the masthead's search box and press Enter."""
        box = self.page.locator("header .site-search").get_by_label("Search lists, films and people")
        box.fill(query)
        box.press("Enter")
        expect(self.page.get_by_role("heading", level=1)).to_have_text(f"Results for “{query}”")

    def search_results(self):
        return self.page.locator(".search-result-title").all_inner_texts()

    def follow_result(self, text):
        """Follow the search result whose title starts with `text`; lands on its page."""
        self.page.locator(".search-result-title", has_text=text).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(text)

    def comment(self, *, name, email, body):
        """From a list: write a comment and post it; returns the status message shown."""
        self.page.get_by_role("link", name="Write a comment").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Write a comment")
        self.fill_in(Name=name, Comment=body, **{"Email (never shown)": email})
        self.press_button("Post comment")
        status = self.page.locator("#comment-status")
        expect(status).to_be_visible()
        expect(status).to_have_attribute("role", "status")
        return status.inner_text()

    def comments(self):
        """[(name, text)] of the comments shown under the list."""
        return [
            (c.locator(".comment-author").first.inner_text(), c.locator(".comment-body").first.inner_text())
            for c in self.page.locator(".comment-list > li.comment").all()
        ]


class StaffMember(Person):
    def log_in(self, user):
        self.open("/admin/login/?next=/admin/")
        self.fill_in(Username=user.get_username(), Password=PASSWORD)
        self.press_button("Log in")
        expect(self.page.locator("#user-tools")).to_contain_text("Log out")

    def message(self):
        return self.page.locator("ul.messagelist").inner_text()

    def run_action(self, changelist, rows, action, **extra_fields):
        """Tick `rows` (by their link text) on a changelist and run `action`."""
        self.open(changelist)
        for text in rows:
            self.page.locator("#result_list tr", has_text=text).locator("input.action-select").check()
        self.page.locator("select[name=action]").select_option(action)
        for name, label in extra_fields.items():
            self.page.locator(f"select[name={name}]").select_option(label=label)
        self.page.get_by_role("button", name="Run").or_(self.page.get_by_title("Run the selected action")).first.click()


class Editor(StaffMember):
    def start_list(self, *, title, dek="", intro=""):
        self.open("/admin/articles/article/add/")
        self.fill_in(Title=title, Standfirst=dek, Intro=intro)

    def add_entry(self, film_title, *, rank=None, write_up=""):
        """Fill the first empty entry form (adding one if none is left)."""
        form = self.page.locator(".inline-related[id^=entries-]:not(.empty-form):not(.has_original)")
        empty = [f for f in form.all() if not f.locator("select[name$=-film]").input_value()]
        if not empty:
            self.page.locator(".add-row a").click()
            empty = [f for f in form.all() if not f.locator("select[name$=-film]").input_value()]
        target = empty[0]
        self.choose_film(target, film_title)
        if rank is not None:
            # Leaving the box is what moves the entry there (Enter does too, with JavaScript).
            target.locator("input[name$=-rank]").fill(str(rank))
            target.locator("input[name$=-rank]").press("Tab")
        if write_up:
            target.locator("textarea[name$=-write_up]").fill(write_up)

    def choose_film(self, form, film_title):
        form.locator(".select2-selection").click()
        self.page.locator(".select2-container--open .select2-search__field").fill(film_title)
        self.page.locator(".select2-results__option", has_text=film_title).first.click()

    def entry(self, film_title):
        """A saved entry of the list being edited, by its film."""
        return self.page.locator(".entry-row.has_original", has=self.page.locator(".entry-film", has_text=film_title))

    def open_entry(self, film_title):
        """Entries show as one line each; open one in place to edit it."""
        entry = self.entry(film_title)
        details = entry.locator("details.entry-details")
        if details.get_attribute("open") is None:
            entry.locator("summary.entry-summary").click()
        expect(details).to_have_attribute("open", "")
        return entry

    def set_rank(self, film_title, rank):
        """Type a new rank on a saved entry: it moves there, the others shift."""
        box = self.open_entry(film_title).locator("input[name$=-rank]")
        box.fill(str(rank))
        box.press("Tab")

    def drag(self, film_title, *, onto):
        """Drag an entry by its handle onto the line of the entry whose place it takes."""
        self.entry(film_title).locator(".entry-handle").drag_to(self.entry(onto).locator("summary.entry-summary"))

    def move_by_keyboard(self, film_title, *keys):
        """Focus an entry's line and press keys (Alt+ArrowUp/Down); returns what a screen reader hears."""
        self.entry(film_title).locator("summary.entry-summary").focus()
        for key in keys:
            self.page.keyboard.press(key)
        return self.page.locator(".list-announcer").inner_text()

    def entry_lines(self):
        """[(rank as shown, film)] of the entries' one-line summaries, in page order."""
        return [
            (row.locator(".entry-rank").inner_text(), row.locator(".entry-film").inner_text())
            for row in self.page.locator(".entry-row:not(.empty-form)").all()
        ]

    def add_new_film(self, *, title, year, format_label):
        """On the blank entry: leave the film box empty and add the film the catalogue lacks."""
        entry = self.page.locator(".entry-row:not(.empty-form):not(.has_original)").last
        entry.locator("fieldset.new-film summary").click()
        entry.get_by_label("English title").fill(title)
        entry.get_by_label("Year").fill(str(year))
        entry.get_by_label("Format").select_option(label=format_label)
        return entry

    def save_and_continue(self):
        self.page.locator("input[name=_continue]").first.click()
        expect(self.page.locator("ul.messagelist")).to_contain_text("successfully")

    def admin_ranks(self):
        """[(rank, film title)] of the saved entries, as the admin shows them."""
        return [
            (int(row.locator("input[name$=-rank]").input_value()), row.locator(".entry-film").inner_text())
            for row in self.page.locator(".entry-row.has_original[id^=entries-]").all()
        ]

    def preview(self):
        self.page.get_by_role("link", name="View on site").first.click()
        expect(self.page.locator(".preview-banner")).to_be_visible()

    def import_listicle(self, text, *, title=""):
        """Admin → Articles → "Import a list": paste, preview, confirm; lands on the draft."""
        self.open("/admin/articles/article/")
        self.page.get_by_role("link", name="Import a list").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Import a list")
        self.fill_in(Paste_the_list=text)
        if title:
            self.fill_in(Title=title)
        self.press_button("Preview")
        expect(self.page.get_by_role("heading", level=2, name=re.compile("^Preview: "))).to_be_visible()
        preview = self.page.locator("#import-entries tbody tr").all_inner_texts()
        self.press_button("Create the draft")
        expect(self.page.locator("ul.messagelist")).to_contain_text("Imported the draft")
        expect(self.page).to_have_url(re.compile(r"/admin/articles/article/\d+/change/"))
        return preview

    def preview_import(self, text):
        """Admin → Articles → "Import a list": paste and preview, without confirming."""
        self.open("/admin/articles/article/")
        self.page.get_by_role("link", name="Import a list").click()
        self.fill_in(Paste_the_list=text)
        self.press_button("Preview")
        expect(self.page.get_by_role("heading", level=2, name=re.compile("^Preview: "))).to_be_visible()

    def import_line(self, number):
        """One line of the import preview, in the part of the list it goes to."""
        return self.page.locator(f"#line-{number}")

    def import_part(self, number):
        """The part of the list (“Intro”, “#3 Colorful”, “Conclusion” …) line `number` is shown in."""
        return self.page.locator(".import-group", has=self.import_line(number)).locator("h4").inner_text()

    def mark_line(self, number, what):
        """Press one of the line's buttons (“Heading”, “Furniture”, “Conclusion starts here”, “Undo” …)."""
        self.import_line(number).get_by_role("button", name=re.compile(f"^{re.escape(what)}")).click()
        expect(self.page).to_have_url(re.compile(f"#line-{number}$"))

    def publish(self, title):
        self.run_action("/admin/articles/article/", [title], "publish_now")
        expect(self.page.locator("ul.messagelist")).to_contain_text("Published 1 list")

    # --- Publishing and review (the change page's publishing panel) ---

    def publish_now(self):
        self.press_button("Publish now")
        expect(self.page.locator("ul.messagelist")).to_contain_text("is published")

    def schedule(self, day, time, *, button="Schedule for this time"):
        """Open "Schedule…" (or "Approve and schedule…"), pick a date and time; returns the words shown back."""
        panel = self.page.locator("#publishing")
        panel.locator("summary", has_text=re.compile(r"schedule…$", re.IGNORECASE)).click()
        panel.get_by_label("Date", exact=True).fill(day.isoformat())
        panel.get_by_label("Time", exact=True).fill(time)
        words = panel.locator("output.schedule-words")
        expect(words).to_contain_text("goes live")
        said = words.inner_text()
        panel.get_by_role("button", name=button, exact=True).click()
        expect(self.page.locator("ul.messagelist")).to_contain_text("is scheduled")
        return said

    def send_back_by_keyboard(self, note):
        """Send a list in review back with a note, from the keyboard alone."""
        summary = self.page.locator("#publishing summary", has_text="Send back…")
        summary.focus()
        self.page.keyboard.press("Enter")
        self.page.keyboard.press("Tab")
        expect(self.page.get_by_label("Note for the writer")).to_be_focused()
        self.page.keyboard.type(note)
        self.page.keyboard.press("Tab")
        expect(self.page.get_by_role("button", name="Send back", exact=True)).to_be_focused()
        self.page.keyboard.press("Enter")
        expect(self.page.locator("ul.messagelist")).to_contain_text("went back to its writer")

    def state(self):
        return self.page.locator("#publishing .publish-state").inner_text()

    # Revisions, edit conflicts and share links.
    def open_list(self, title):
        self.open("/admin/articles/article/")
        self.page.get_by_role("link", name=title, exact=True).click()

    def open_history(self):
        self.page.locator(".object-tools").get_by_role("link", name="History").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("History of")

    def changelog(self):
        return self.page.locator(".changelog li").all_inner_texts()

    def restore_version(self, version):
        """Restore from History; a published list shows what readers will see change and asks first."""
        self.page.get_by_role("button", name=f"Restore version {version}").click()
        confirm = self.page.get_by_role("button", name=f"Restore version {version} on the site")
        messages = self.page.locator("ul.messagelist")
        expect(confirm.or_(messages)).to_be_visible()
        if confirm.is_visible():
            confirm.click()
        expect(messages).to_contain_text(f"Restored version {version}")

    def save(self):
        self.page.locator("input[name=_continue]").first.click()

    def make_share_link(self, *, days=7, note=""):
        self.page.locator(".object-tools").get_by_role("link", name="Share links").click()
        self.fill_in(**{"Expires after (days)": str(days), "Who it is for": note})
        self.press_button("Make a share link")
        expect(self.page.locator("ul.messagelist")).to_contain_text("Share link made")
        return self.page.locator("input.share-url").first.input_value()

    def revoke_share_link(self):
        self.page.get_by_role("button", name="Revoke link 1").click()
        expect(self.page.locator("ul.messagelist")).to_contain_text("revoked")


class Writer(Editor):
    """Writes lists like an editor, but hands them over instead of publishing."""

    def submit_for_review(self):
        self.press_button("Submit for review")
        expect(self.page.locator("ul.messagelist")).to_contain_text("is in review")


class Moderator(StaffMember):
    def approve(self, comment_text):
        """Admin → Comments: tick the held comment and approve it."""
        self.run_action("/admin/comments/comment/?status=held", [comment_text], "approve")
        expect(self.page.locator("ul.messagelist")).to_contain_text("1 comment approved")


class Tagger(StaffMember):
    def add_mood(self, film_titles, mood):
        self.run_action("/admin/films/film/", film_titles, "add_mood", mood=mood)
        expect(self.page.locator("ul.messagelist")).to_contain_text(f"Added “{mood}” to {len(film_titles)} film(s)")
