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
            target.locator("input[name$=-rank]").fill(str(rank))
        if write_up:
            target.locator("textarea[name$=-write_up]").fill(write_up)

    def choose_film(self, form, film_title):
        form.locator(".select2-selection").click()
        self.page.locator(".select2-container--open .select2-search__field").fill(film_title)
        self.page.locator(".select2-results__option", has_text=film_title).first.click()

    def set_rank(self, film_title, rank):
        """Type a new rank on a saved entry: it moves there, the others shift."""
        form = self.page.locator(".inline-related.has_original", has=self.page.locator(".select2-selection__rendered", has_text=film_title))
        form.locator("input[name$=-rank]").fill(str(rank))

    def save_and_continue(self):
        self.page.locator("input[name=_continue]").first.click()
        expect(self.page.locator("ul.messagelist")).to_contain_text("successfully")

    def admin_ranks(self):
        """[(rank, film title)] of the saved entries, as the admin shows them."""
        rows = []
        for form in self.page.locator(".inline-related.has_original[id^=entries-]").all():
            rows.append((
                int(form.locator("input[name$=-rank]").input_value()),
                # The autocomplete shows str(film), "Title (year)".
                re.sub(r" \(\d{4}\)$", "", form.locator(".select2-selection__rendered").inner_text().strip("×\n ")),
            ))
        return rows

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

    def publish(self, title):
        self.run_action("/admin/articles/article/", [title], "publish_now")
        expect(self.page.locator("ul.messagelist")).to_contain_text("Published 1 list")


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
        self.page.get_by_role("button", name=f"Restore version {version}").click()
        expect(self.page.locator("ul.messagelist")).to_contain_text(f"Restored version {version}")

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


class Moderator(StaffMember):
    def approve(self, comment_text):
        """Admin → Comments: tick the held comment and approve it."""
        self.run_action("/admin/comments/comment/?status=held", [comment_text], "approve")
        expect(self.page.locator("ul.messagelist")).to_contain_text("1 comment approved")


class Tagger(StaffMember):
    def add_mood(self, film_titles, mood):
        self.run_action("/admin/films/film/", film_titles, "add_mood", mood=mood)
        expect(self.page.locator("ul.messagelist")).to_contain_text(f"Added “{mood}” to {len(film_titles)} film(s)")
