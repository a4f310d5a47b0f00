"""
The admin's "Import a list" page: paste or upload, preview, correct, confirm.

The preview is the real import run as a dry run (rolled back), so what the
editor sees is exactly what confirming will write. It shows every block of
the text where it will go, and the editor can mark a line as a heading, as
furniture or as the start of the conclusion; the text is read again with
those marks. The text, the marks and the encoding of an uploaded file travel
from step to step in the form itself, so nothing is stored between requests
and the editor's work survives every error. Confirming writes only what the
last preview showed: when the text, the title or the marks changed since,
the page previews again instead.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .importer.parse import OVERRIDES, TITLE_MAX
from .importer.repair import PREFERRED, DecodeError, decode_report
from .services import AcceptedCredits, ListicleImportError, listicle_import

MAX_UPLOAD = 2 * 1024 * 1024

# What each mark makes of a line, in the preview's words.
MARKED_AS = {"heading": "an entry heading", "furniture": "page furniture", "conclusion": "the start of the conclusion"}
WHERE = {
    "title": "Title",
    "dek": "Standfirst",
    "byline": "Byline",
    "date": "Date",
    "hashtags": "Hashtags",
    "intro": "Paragraph",
    "heading": "Heading",
    "entry": "Paragraph",
    "conclusion": "Paragraph",
    "sign_off": "Sign-off",
    "dropped": "Dropped",
}


def _lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _fingerprint(line):
    # A mark is for the line the editor saw: if the text changed under it, the mark no longer applies.
    return hashlib.sha256(line.strip().encode("utf-8", "surrogatepass")).hexdigest()[:10]


@dataclass(frozen=True)
class Mark:
    line: int
    what: str  # one of parse.OVERRIDES
    text: str  # the line as marked

    @property
    def value(self):
        return f"{self.line}:{self.what}:{_fingerprint(self.text)}"

    @property
    def label(self):
        return MARKED_AS[self.what]


def _legacy_codec(raw, text):
    """A code page that reads `raw` as `text`, so the text can be turned back into those bytes later."""
    for codec in PREFERRED:
        try:
            if raw.decode(codec) == text:
                return codec
        except UnicodeDecodeError:
            continue
    return ""


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the list",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "class": "vLargeTextField"}),
        help_text="Numbered entries (“1. Title (Original Title)”, “#1: Title”, “## 1. Title” …), "
        "an intro before them, a conclusion, hashtags and a date after them.",
    )
    upload = forms.FileField(label="…or upload a .txt, .md or .html file", required=False)
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Needed when the text has no title line; replaces it when it has one.",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    dek = forms.CharField(
        label="Standfirst",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    # The code page an uploaded file was written in, so every step reports what was decoded.
    encoding = forms.CharField(required=False, widget=forms.HiddenInput)
    # The fingerprint of what the last preview showed; confirming anything else previews again.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks = []
        self.stale_marks = []

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError("The file is larger than 2 MB; a list is never that long.")
            raw = upload.read()
            try:
                data["text"], decoding = decode_report(raw)
            except DecodeError as e:
                raise forms.ValidationError(str(e)) from None
            data["encoding"] = _legacy_codec(raw, data["text"]) if decoding else ""
            # Show the uploaded text in the box, so the next step carries it.
            self.data = self.data.copy()
            self.data["text"], self.data["encoding"] = data["text"], data["encoding"]
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("The text is empty: paste a list or upload a .txt or .md file.")
        self.marks = self._read_marks(data["text"])
        return data

    def _read_marks(self, text):
        """The marks carried in the form, minus any whose line changed, plus the one just pressed."""
        lines = _lines(text)
        marks = {}
        for value in self.data.getlist("mark"):
            line, what, fingerprint = (value.split(":", 2) + ["", ""])[:3]
            if not line.isdigit() or what not in OVERRIDES:
                continue
            n = int(line)
            if 0 < n <= len(lines) and lines[n - 1].strip() and _fingerprint(lines[n - 1]) == fingerprint:
                marks[n] = Mark(n, what, lines[n - 1])
            else:
                self.stale_marks.append(
                    f"Line {n} changed since you marked it as {MARKED_AS[what]}; that mark was dropped."
                )
        pressed = self.data.get("mark_line", "")
        line, _, what = pressed.partition(":")
        if line.isdigit() and what in OVERRIDES and 0 < int(line) <= len(lines) and lines[int(line) - 1].strip():
            if what == "conclusion":  # the conclusion starts in one place
                marks = {n: m for n, m in marks.items() if m.what != "conclusion"}
            marks[int(line)] = Mark(int(line), what, lines[int(line) - 1])
        if self.data.get("unmark", "").isdigit():
            marks.pop(int(self.data["unmark"]), None)
        return sorted(marks.values(), key=lambda m: m.line)

    def source(self):
        """What the import reads: the uploaded file's bytes again when the text still fits its code page."""
        text, codec = self.cleaned_data["text"], self.cleaned_data["encoding"]
        if codec in PREFERRED:
            try:
                return text.encode(codec)
            except UnicodeEncodeError:
                pass  # the editor typed beyond that code page: the text is theirs now
        return text

    def fingerprint(self):
        data = self.cleaned_data
        state = ["\n".join(_lines(data["text"])), data["title"], data["dek"], [m.value for m in self.marks]]
        return hashlib.sha256(json.dumps(state).encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass
class PreviewLine:
    """One block of the text as the preview shows it, with what the editor can do to it."""

    placement: object  # parse.Placement
    label: str
    actions: list = field(default_factory=list)  # (button value, visible label)
    is_question: bool = False


@dataclass
class PreviewGroup:
    key: str
    title: str
    lines: list = field(default_factory=list)
    outcome: object = None  # the entry's FilmOutcome


def preview_groups(report):
    """
    The blocks of the text grouped by where they go: the list's title and
    byline, the intro, each entry (in the text's order), the conclusion, the
    sign-off, the hashtags. A dropped line stays where it stood, after the
    block before it.
    """
    plan = report.plan
    entries = sorted(plan.entries, key=lambda e: e.line)
    outcomes = {o.entry.rank: o for o in report.films}
    groups = {"meta": PreviewGroup("meta", "Title, byline and date"), "intro": PreviewGroup("intro", "Intro")}
    for entry in entries:
        title = f"#{entry.rank} {entry.title}" + (" (recovered: no heading in the text)" if entry.recovered else "")
        groups[f"entry-{entry.rank}"] = PreviewGroup(f"entry-{entry.rank}", title, outcome=outcomes.get(entry.rank))
    for key, title in (("conclusion", "Conclusion"), ("sign_off", "Sign-off"), ("hashtags", "Hashtags")):
        groups[key] = PreviewGroup(key, title)
    last_heading = max((e.line for e in entries), default=0)
    conclusion_lines = [p.line for p in plan.trace if p.where == "conclusion"]
    current = "meta"
    for p in plan.trace:
        if p.where in ("heading", "entry"):
            current = f"entry-{p.rank}"
        elif p.where in ("title", "dek", "byline", "date"):
            current = "meta"
        elif p.where != "dropped":
            current = p.where
        groups[current].lines.append(_preview_line(p, last_heading=last_heading, conclusion_lines=conclusion_lines))
    return [g for g in groups.values() if g.lines]


def _preview_line(p, *, last_heading, conclusion_lines):
    line = PreviewLine(p, WHERE.get(p.where, p.where), is_question=p.ask == "conclusion")
    if p.marked:
        return line  # it shows the mark and its undo instead
    if p.where != "heading" and len(p.text) <= TITLE_MAX:
        line.actions.append(("heading", "Heading"))
    if p.where != "dropped":
        line.actions.append(("furniture", "Furniture"))
    starts_conclusion = conclusion_lines and p.line == conclusion_lines[0]
    if (
        last_heading
        and p.line > last_heading
        and p.where in ("entry", "conclusion", "sign_off")
        and not starts_conclusion
        and not line.is_question
    ):  # a question has its own button
        line.actions.append(("conclusion", "Conclusion starts here"))
    return line


# An import writes a draft (or updates the one it made before) with its
# entries, and adds the films the catalogue lacks as unconfirmed, as an entry's
# "New film" does: an editor's rights (Editors have `import_list`). The
# credits a text names add people and studios to the catalogue: that stays
# the cataloguers' right, and without it the credits are left out.
IMPORT_PERMISSIONS = [
    "articles.import_list",
    "articles.add_article",
    "articles.change_article",
    "articles.add_entry",
    "articles.change_entry",
]
CREDIT_PERMISSIONS = ["films.add_person", "films.add_studio", "films.add_credit"]


def import_view(model_admin, request):
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    may_credit = request.user.has_perms(CREDIT_PERMISSIONS)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, errors, notices, previewed = None, [], [], ""
    if request.method == "POST" and form.is_valid():
        notices = list(form.stale_marks)
        previewed = form.fingerprint()
        confirm = "confirm" in request.POST
        if confirm and form.cleaned_data["previewed"] != previewed:
            confirm = False
            notices.append(
                "The text, the title or the marks changed since the preview: check this preview, then create the draft."
            )
        try:
            report = listicle_import(
                text=form.source(),
                title=form.cleaned_data["title"] or None,
                dek=form.cleaned_data["dek"] or None,
                author=request.user,
                accept_credits=AcceptedCredits(request.POST.getlist("credit")) if may_credit else AcceptedCredits.NONE,
                dry_run=not confirm,
                overrides={m.line: m.what for m in form.marks},
            )
        except ListicleImportError as e:
            errors = e.messages
        else:
            if confirm:
                article = report.article
                verb = "Imported" if report.created else "Updated"
                messages.success(
                    request,
                    f"{verb} the draft “{article.title}” with {len(report.films)} entries. "
                    f"{len(report.warnings)} warning(s), {len(report.checks)} check(s) to look at.",
                )
                return redirect(reverse("admin:articles_article_change", args=[article.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import a list",
        "form": form,
        "report": report,
        "may_credit": may_credit,
        "errors": errors,
        "notices": notices,
        "marks": form.marks,
        "previewed": previewed if report else "",
        "groups": preview_groups(report) if report else [],
        "general_repairs": [n for n in report.plan.repairs if n.line == 0] if report else [],
        "questions": [n for n in report.plan.notes if n.ask] if report else [],
    }
    return TemplateResponse(request, "admin/articles/article/import_listicle.html", context)
