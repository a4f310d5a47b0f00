"""
Plain-text listicle → `Plan`. Pure functions: no database, no Django models.

The text is read as paragraphs (blocks separated by blank lines). Each
paragraph is classified: a numbered entry heading in one of the shapes real
sites use, an unnumbered Markdown heading, a section heading (Conclusion,
Sign-off), hashtags, a date, page furniture, or prose. Each kind has one
handler (`_Reader.on_<kind>`). Prose belongs to the intro, to the entry above
it, or to the conclusion. The list rules (ranks, gaps) and their wording come
from `articles.ranking`.
"""

import datetime
import re
from dataclasses import dataclass, field

from dateutil import parser as dateparser

from core.text import match_key

from ..ranking import missing_ranks, rank_below_one, rank_shared, ranks_held, ranks_missing
from .repair import DecodeError, repair_lines

TITLE_MAX = 200  # Article.title, Film.title and Entry.heading all hold 200


class ParseError(ValueError):
    """The text cannot become an article; `messages` name the problem and the line."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Note:
    level: str  # "warning" or "info"
    line: int
    message: str

    def __str__(self):
        return self.message


@dataclass
class CreditProposal:
    role: str  # a films.Credit.Role value, or "studio"
    name: str

    @property
    def label(self):
        return {"director": "Director", "composer": "Composer", "creator": "Original creator",
                "studio": "Studio"}.get(self.role, self.role)


@dataclass
class EntryPlan:
    rank: int
    line: int
    heading: str  # the heading as written, for the report
    title: str  # English title
    original_title: str = ""  # romanized title, when the heading gives one
    year: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    paragraph_lines: list[int] = field(default_factory=list)
    recovered: bool = False
    credits: list[CreditProposal] = field(default_factory=list)

    @property
    def write_up(self):
        return "\n\n".join(self.paragraphs)

    def credit_key(self, credit):
        return f"{self.rank}:{credit.role}:{credit.name}"


@dataclass
class Plan:
    title: str = ""
    title_line: int = 0
    dek: str = ""
    intro: list[str] = field(default_factory=list)
    entries: list[EntryPlan] = field(default_factory=list)
    conclusion: list[str] = field(default_factory=list)
    sign_off: str = ""
    hashtags: list[str] = field(default_factory=list)
    published_on: datetime.date | None = None
    notes: list[Note] = field(default_factory=list)
    repairs: list[Note] = field(default_factory=list)

    def warn(self, line, message):
        self.notes.append(Note("warning", line, message))

    def info(self, line, message):
        self.notes.append(Note("info", line, message))


@dataclass
class Block:
    line: int
    text: str
    kind: str = "prose"  # what _classify makes of it; "entry" once chosen as an entry heading
    data: object = None  # what the kind needs: a heading's number and text, a date, a section


# "1. Title", "1) Title", "#1: Title", "#10 – Title – text", "## 3. Title".
_NUMBERED = re.compile(
    r"^(?P<md>#{1,6}\s+)?(?P<hash>#)?(?P<num>\d{1,3})(?:\s*(?P<punct>[.):])|\s+(?P<dash>[–—-]))\s*(?P<rest>\S.*)$"
)
_MD_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>\S.*)$")
_HASHTAGS = re.compile(r"^#[^\W\d_][\w]*(?:[\s,]+#[^\W\d_][\w]*)*$")
_HASHTAG = re.compile(r"#([^\W\d_]\w*)")
_SECTION = {
    "conclusion": "conclusion", "in conclusion": "conclusion", "final thoughts": "conclusion",
    "wrapping up": "conclusion", "wrap-up": "conclusion", "to sum up": "conclusion",
    "sign-off": "sign_off",
}
_FURNITURE = re.compile(
    r"^(more from( .{0,60})?|view all|see all|read more|related( posts| articles)?|"
    r"share( this( article| post)?| on \w+)?|tweet|pin it|advertisement|"
    r"follow us( on .{0,40})?|subscribe( to .{0,60})?|click to share.{0,40}|"
    r"you may also like|recommended for you|tags?:.{0,200})[:.!]?$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^(stay (connected|tuned)|thanks for reading|thank you for reading|follow .{0,40} for more|"
    r"for more .{0,80}(follow|visit|stay))|\bmagazine\b",
    re.IGNORECASE,
)
# A paragraph that speaks about the list as a whole starts the conclusion.
_CONCLUSION_START = re.compile(
    r"^(these|those|all|each of these|all of these|every one of these)\s+(\d+|[a-z]+)\s+"
    r"(?:[a-z-]+\s+){0,5}(films|movies|anime|picks|titles|stories|shows|series)\b|"
    r"^(in conclusion|to conclude|to sum up|to wrap up|this list|whether you)",
    re.IGNORECASE,
)
_DATE_PREFIX = re.compile(r"^(published|updated|posted|last updated)(\s+on)?\s*:?\s*", re.IGNORECASE)
_DATE_SHAPES = re.compile(
    r"^(\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]{3,9}\.? \d{4})$"
)
_QUOTED_LEAD = re.compile(r"^[\"“”]([^\"“”]{1,200}?)[,.!?]?[\"“”]")
# Capitalised words ("Makoto Shinkai", "Yoshitoki Ōima", "A-1 Pictures", "RADWIMPS").
_NAME = r"((?:[^\W_a-z][\w’'-]*|[A-Z]\.)(?:\s+(?:[^\W_a-z][\w’'-]*|[A-Z]\.))*)"
_CREDIT_PATTERNS = [
    ("director", re.compile(r"\bdirected by\s+(?:the\s+(?:[a-z-]+\s+)*)?" + _NAME)),
    ("studio", re.compile(r"\bproduced by\s+(?:the\s+(?:[a-z-]+\s+)*)?" + _NAME)),
    ("composer", re.compile(r"\b(?:soundtrack|score|music)\b[^.]{0,30}?\b(?:composed\s+)?by\s+" + _NAME)),
    ("creator", re.compile(r"\bbased on the (?:manga|novel|light novel|visual novel|book) by\s+" + _NAME)),
]


def parse_date(text):
    """A publication date in a common written form, or None."""
    candidate = _DATE_PREFIX.sub("", text.strip()).rstrip(".")
    if not _DATE_SHAPES.match(candidate):
        return None
    try:
        return dateparser.parse(candidate, dayfirst=not candidate[:4].isdigit()).date()
    except (ValueError, OverflowError):
        return None


def split_heading(rest, *, dash):
    """
    "Title (Romanized) - The Movie" → ("Title - The Movie", "Romanized", None, "")
    "“Title” (2016)" → ("Title", "", 2016, ""); "Title – text" (dash shape) →
    ("Title", "", None, "text").
    """
    same_line = ""
    if dash:
        parts = re.split(r"\s+[–—-]\s+", rest, maxsplit=1)
        rest, same_line = parts[0], (parts[1] if len(parts) > 1 else "")
    original, year = "", None
    m = re.match(r"^(?P<title>.+?)\s*\((?P<paren>[^()]+)\)\s*(?P<tail>.*)$", rest)
    if m:
        paren = m["paren"].strip()
        if re.fullmatch(r"\d{4}", paren):
            year = int(paren)
        else:
            original = paren.strip("\"“”")
        tail = m["tail"].strip()
        rest = m["title"] + (f" {tail}" if tail else "")
    title = rest.strip().strip("\"“”*_").strip()
    title = re.sub(r"^[\"“](.+?)[\"”]", r"\1", title)
    return title, original, year, same_line.strip()


def credits_in(text):
    found, seen = [], set()
    for role, pattern in _CREDIT_PATTERNS:
        for m in pattern.finditer(text):
            name = m.group(1).rstrip(".’'")
            name = re.sub(r"\s+(?:The|This|It|In|A|An)$", "", name)
            if (role, name) not in seen and len(name) > 1:
                seen.add((role, name))
                found.append(CreditProposal(role, name))
    return found


def _blocks(lines):
    blocks, current, start = [], [], 0
    for number, line in enumerate(lines, start=1):
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(Block(start, " ".join(current)))
            current = []
    if current:
        blocks.append(Block(start, " ".join(current)))
    return blocks


def _heading_blocks(lines):
    """
    Blocks, but a heading line glued to the text below it (no blank line in
    between, common in pasted text) is split off into a block of its own.
    """
    out = []
    for block in _blocks(lines):
        first = lines[block.line - 1]
        more = block.text[len(first):].strip()
        if more and (_NUMBERED.match(first) or _MD_HEADING.match(first)) and len(first) <= TITLE_MAX:
            out.append(Block(block.line, first))
            out.append(Block(block.line + 1, more))
        else:
            out.append(block)
    return out


def parse(text, *, title=None):
    """Turn `text` into a Plan, or raise ParseError naming the problem and the line."""
    if not text or not text.strip():
        raise ParseError("The text is empty: paste a list or upload a .txt or .md file.")
    try:
        lines, repairs = repair_lines(text)
    except DecodeError as e:
        raise ParseError(str(e)) from None
    plan = Plan(repairs=[Note("info", r.line, r.message) for r in repairs])
    if text.lstrip().startswith("{"):
        plan.repairs = []  # JSON indentation is not whitespace worth reporting
        return _parse_json(text, plan, title=title)

    blocks = _heading_blocks(lines)
    for block in blocks:
        block.kind, block.data = _classify(block)
    body = blocks[_take_title_and_dek(plan, blocks):]
    by_order = _choose_entry_headings(plan, body)
    reader = _Reader(plan, by_order=by_order)
    for block in body:
        getattr(reader, f"on_{block.kind}")(block)
    if reader.errors:
        raise ParseError(reader.errors)

    _set_title(plan, title)
    if plan.entries and not reader.tail_started and len(plan.entries[-1].paragraphs) > 1:
        plan.info(plan.entries[-1].line, "No conclusion was recognised: the paragraphs after the last "
                  "heading stay in the last entry.")
    if not by_order:
        _check_ranks(plan)
    for entry in plan.entries:
        entry.credits = credits_in(" ".join(entry.paragraphs))
        if not entry.paragraphs:
            plan.warn(entry.line, f"Line {entry.line}: #{entry.rank} “{entry.title}” has no write-up.")
    plan.entries.sort(key=lambda e: e.rank)
    if not plan.hashtags:
        plan.warn(0, "No hashtag line (“#SadAnime #RomanceAnime”) was found.")
    return plan


def _take_title_and_dek(plan, blocks):
    """
    Take the title line (a Markdown "# Title", or a short first line that is
    not a sentence and nothing else we recognise) and a "> standfirst" under
    it (what the exporter writes). Returns where the body starts.
    """
    start = 0
    if blocks:
        first = blocks[0]
        looks_like_title = (
            first.kind == "prose" and len(first.text) <= TITLE_MAX
            and not re.search(r"[.!?:;,]$", first.text) and ". " not in first.text
        )
        if first.kind == "heading" and first.data["level"] == 1:
            plan.title, plan.title_line, start = first.data["text"], first.line, 1
        elif looks_like_title and len(blocks) > 1:
            plan.title, plan.title_line, start = first.text, first.line, 1
    if start < len(blocks) and blocks[start].text.startswith("> "):
        plan.dek = blocks[start].text[2:].strip()
        start += 1
    return start


def _choose_entry_headings(plan, body):
    """
    Mark the entry headings: the numbered ones, or else the unnumbered
    Markdown headings, ranked by their order (returns True then). An
    unnumbered heading among numbered ones is kept as prose.
    """
    numbered = [i for i, b in enumerate(body) if b.kind == "numbered"]
    unnumbered = [i for i, b in enumerate(body) if b.kind == "heading"]
    if not numbered and not unnumbered:
        raise ParseError(
            "No entries found: number the entries (“1. Title”, “#1: Title”, “## 3. Title” …) "
            "or give each its own “## Title” heading."
        )
    if not numbered:
        plan.warn(body[unnumbered[0]].line,
                  f"The entries are not numbered: ranked 1–{len(unnumbered)} by their order in the text.")
        for i in unnumbered:
            body[i].kind, body[i].data = "entry", {"num": None, "rest": body[i].data["text"], "dash": False}
        return True
    for i in unnumbered:
        block = body[i]
        if numbered[0] < i < numbered[-1]:
            plan.warn(block.line, f"Line {block.line}: the heading “{block.text}” has no number; "
                      "its text is kept in the entry above.")
        block.kind = "prose"
    for i in numbered:
        body[i].kind = "entry"
    return False


class _Reader:
    """
    One pass over the body, a handler per kind of block. Prose goes where the
    blocks before it say: the intro, the entry above, the conclusion, or the
    sign-off.
    """

    def __init__(self, plan, *, by_order):
        self.plan = plan
        self.by_order = by_order
        self.part = "intro"  # where prose goes: intro, entry, conclusion or sign_off
        self.current = None  # the entry being read, always the last in plan.entries
        self.tail_started = False  # a conclusion was recognised
        self.errors = []

    def on_entry(self, block):
        plan, data = self.plan, block.data
        rank = len(plan.entries) + 1 if data["num"] is None else data["num"]
        title, original, year, same_line = split_heading(data["rest"], dash=data["dash"])
        if not title:
            self.errors.append(f"Line {block.line}: entry #{rank} has no title.")
            return
        if len(title) > TITLE_MAX:
            self.errors.append(f"Line {block.line}: the title of entry #{rank} is {len(title)} characters "
                               f"long; at most {TITLE_MAX} fit.")
        self.current = EntryPlan(rank=rank, line=block.line, heading=block.text, title=title,
                                 original_title=original[:TITLE_MAX], year=year)
        if same_line:
            self.current.paragraphs.append(same_line)
            self.current.paragraph_lines.append(block.line)
        plan.entries.append(self.current)
        self.part = "entry"

    def on_section(self, block):
        if block.data == "conclusion":
            self.part, self.tail_started = "conclusion", True
        else:
            self.part = "sign_off"

    def on_hashtags(self, block):
        tags = _HASHTAG.findall(block.text)
        known = {t.casefold() for t in self.plan.hashtags}
        for tag in tags:
            if tag.casefold() not in known:
                self.plan.hashtags.append(tag)
                known.add(tag.casefold())
        self.plan.info(block.line, f"Line {block.line}: hashtags {' '.join('#' + t for t in tags)}.")

    def on_date(self, block):
        if self.plan.published_on is not None:
            return self.on_prose(block)  # only the first date is the list's
        self.plan.published_on = block.data
        self.plan.info(block.line, f"Line {block.line}: publication date {block.data.isoformat()} "
                       f"(from “{block.text}”).")

    def on_furniture(self, block):
        self.plan.info(block.line, f"Line {block.line}: dropped page furniture “{block.text}”.")

    def on_prose(self, block):
        plan, text = self.plan, block.text
        if self.part == "sign_off" or (self.part in ("entry", "conclusion") and self._reads_as_sign_off(text)):
            if plan.sign_off:
                plan.conclusion.append(plan.sign_off)
            plan.sign_off = text
            plan.info(block.line, f"Line {block.line}: kept “{text}” as the sign-off line.")
        elif self.part == "intro":
            plan.intro.append(text)
        elif self.part == "conclusion":
            plan.conclusion.append(text)
        elif not self.by_order and self.current.paragraphs and _CONCLUSION_START.search(text):
            self.part, self.tail_started = "conclusion", True
            plan.conclusion.append(text)
            plan.info(block.line, f"Line {block.line}: the conclusion starts here (“{text[:40]}…”).")
        else:
            self.current.paragraphs.append(text)
            self.current.paragraph_lines.append(block.line)

    def _reads_as_sign_off(self, text):
        return (self.current is not None and _SIGN_OFF.search(text) and len(text) <= 300
                and not self.plan.sign_off)


def _set_title(plan, title):
    """The title given replaces the title line; either way the list needs one that fits."""
    if title:
        if plan.title and plan.title != title:
            plan.info(plan.title_line, f"Line {plan.title_line}: the title line “{plan.title}” was replaced by "
                      f"“{title}”.")
        plan.title = title.strip()
    if not plan.title:
        raise ParseError("The text has no title line: give the list a title.")
    if len(plan.title) > TITLE_MAX:
        raise ParseError(f"Line {plan.title_line or 1}: the title is {len(plan.title)} characters long; "
                         f"at most {TITLE_MAX} fit.")


def _classify(block):
    text = block.text
    m = _NUMBERED.match(text)
    if m and (m["punct"] or m["dash"]) and not _HASHTAGS.match(text):
        rest = m["rest"]
        # "3. Clannad" is a heading; "2016. It was a year…" or a long sentence is not.
        if m["dash"] or len(rest) <= TITLE_MAX + 20 or m["md"]:
            return "numbered", {"num": int(m["num"]), "rest": rest, "dash": bool(m["dash"])}
    m = _MD_HEADING.match(text)
    if m and not _HASHTAGS.match(text):
        inner = m["text"].strip().strip("*_").strip()
        if inner.casefold().rstrip(":") in _SECTION:
            return "section", _SECTION[inner.casefold().rstrip(":")]
        return "heading", {"level": len(m["level"]), "text": inner}
    bare = text.strip("*_ ").casefold().rstrip(":")
    if bare in _SECTION and len(text) < 40:
        return "section", _SECTION[bare]
    if _HASHTAGS.match(text):
        return "hashtags", None
    if len(text) <= 60:
        date = parse_date(text)
        if date:
            return "date", date
        if _FURNITURE.match(text):
            return "furniture", None
    return "prose", None


def _lead_title(paragraph):
    m = _QUOTED_LEAD.match(paragraph)
    return m.group(1).strip() if m else None


def _check_ranks(plan):
    """Shared ranks and ranks below 1 are refused; a gap is recovered when the text allows it, else reported."""
    by_rank = ranks_held(plan.entries, rank=lambda e: e.rank)
    errors = [
        rank_shared(rank, [e.title for e in group], lines=[e.line for e in group])
        for rank, group in by_rank if len(group) > 1
    ]
    errors += [rank_below_one(rank, line=group[0].line) for rank, group in by_rank if rank < 1]
    if errors:
        raise ParseError(errors)

    ranks = [e.rank for e in plan.entries]
    countdown = len(ranks) > 1 and all(a > b for a, b in zip(ranks, ranks[1:]))
    if countdown:
        plan.info(plan.entries[0].line, f"A countdown from #{ranks[0]} to #{ranks[-1]}: each entry keeps its number as its rank.")
    elif any(a > b for a, b in zip(ranks, ranks[1:])):
        plan.warn(0, "The entries are numbered out of order; each keeps its number as its rank.")

    _recover_missing(plan, countdown=countdown)
    gaps = missing_ranks(e.rank for e in plan.entries)
    if gaps:
        plan.warn(0, ranks_missing(gaps, in_text=True))


def _recover_missing(plan, *, countdown):
    """
    A number missing between two entries is often an entry whose heading was
    lost: find its first paragraph in the entry above (by the way entries
    here open) and split it off as the missing entry, with a warning.
    """
    held = {e.rank for e in plan.entries}
    quoted_lead = _entries_open_with_quoted_title(plan)
    step = -1 if countdown else 1
    last = plan.entries[-1]
    for e in list(plan.entries):
        missing = e.rank + step
        if missing in held or missing < 1 or e is last or missing + step not in held:
            continue  # not missing; or more than one number missing, which is only reported
        found = _recovered_paragraph(e) if quoted_lead else None
        if found is None:
            continue
        lead = _lead_title(e.paragraphs[found])
        line = e.paragraph_lines[found]
        recovered = EntryPlan(
            rank=missing, line=line, heading="", title=lead, paragraphs=e.paragraphs[found:],
            paragraph_lines=e.paragraph_lines[found:], recovered=True,
        )
        e.paragraphs, e.paragraph_lines = e.paragraphs[:found], e.paragraph_lines[:found]
        plan.entries.append(recovered)
        held.add(missing)
        plan.warn(line, f"Line {line}: #{missing} had no heading: recovered “{lead}” from the paragraph that opens like the "
                  f"other entries, after #{e.rank}. Check its title.")


def _entries_open_with_quoted_title(plan):
    """Whether most entries' first paragraph opens with the entry's title in quotes; recovery trusts only that."""
    shaped = sum(
        1 for e in plan.entries
        if e.paragraphs and (t := _lead_title(e.paragraphs[0])) and match_key(t) == match_key(e.title)
    )
    return shaped * 2 > len(plan.entries)


def _recovered_paragraph(entry):
    """The index of a later paragraph of `entry` that opens like an entry about another film, or None."""
    for k, paragraph in enumerate(entry.paragraphs[1:], start=1):
        lead = _lead_title(paragraph)
        if lead and match_key(lead) != match_key(entry.title) and re.search(
            r"\b(directed by|is a|is an)\b", paragraph[:len(lead) + 80]
        ):
            return k
    return None


def _parse_json(text, plan, *, title=None):
    """The exporter's JSON, read back into a Plan."""
    import json

    try:
        data = json.loads(text)
        plan.title = title or data["title"]
        plan.dek = data.get("dek", "")
        plan.intro = list(data.get("intro", []))
        plan.conclusion = list(data.get("conclusion", []))
        plan.sign_off = data.get("sign_off", "")
        plan.hashtags = list(data.get("hashtags", []))
        plan.published_on = datetime.date.fromisoformat(data["published_on"]) if data.get("published_on") else None
        for e in data["entries"]:
            film = e.get("film") or {}
            plan.entries.append(EntryPlan(
                rank=int(e["rank"]), line=0, heading=e.get("heading", ""),
                title=film.get("title") or e["heading"], original_title=film.get("romanized_title", ""),
                year=film.get("year"), paragraphs=list(e.get("paragraphs", [])),
            ))
    except (ValueError, KeyError, TypeError) as e:
        raise ParseError(f"This looks like JSON but not like an exported list: {e}.") from None
    if not plan.entries:
        raise ParseError("No entries found in the JSON.")
    if len(plan.title) > TITLE_MAX:
        raise ParseError(f"The title is {len(plan.title)} characters long; at most {TITLE_MAX} fit.")
    _check_ranks(plan)
    return plan
