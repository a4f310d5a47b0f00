"""
Plain-text listicle → `Plan`. Pure functions: no database, no Django models.

The text is read as paragraphs (blocks separated by blank lines). Each
paragraph is classified: a numbered entry heading in one of the shapes real
sites use, an unnumbered Markdown heading, a section heading (Conclusion,
Sign-off), hashtags, a date, page furniture, or prose. Prose belongs to the
intro, to the entry above it, or to the conclusion.
"""

import datetime
import re
from dataclasses import dataclass, field

from dateutil import parser as dateparser

from core.text import match_key

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

    kinds = [_classify(b) for b in blocks]
    numbered = [i for i, k in enumerate(kinds) if k[0] == "numbered"]
    unnumbered = [i for i, k in enumerate(kinds) if k[0] == "heading"]

    # The title line: a Markdown "# Title", or a short first line that is not
    # a sentence, not an entry and not anything else we recognise.
    start = 0
    if blocks:
        kind, data = kinds[0]
        first = blocks[0]
        looks_like_title = (
            kind == "prose" and len(first.text) <= TITLE_MAX
            and not re.search(r"[.!?:;,]$", first.text) and ". " not in first.text
        )
        if kind == "heading" and data["level"] == 1:
            plan.title, plan.title_line, start = data["text"], first.line, 1
        elif looks_like_title and len(blocks) > 1:
            plan.title, plan.title_line, start = first.text, first.line, 1
        if start and kinds[0][0] == "heading":
            unnumbered = [i for i in unnumbered if i != 0]
    # A "> standfirst" right under the title (what the exporter writes).
    if start < len(blocks) and blocks[start].text.startswith("> "):
        plan.dek = blocks[start].text[2:].strip()
        start += 1

    if numbered:
        heading_idx, by_order = numbered, False
    elif unnumbered:
        heading_idx, by_order = unnumbered, True
    else:
        raise ParseError(
            "No entries found: number the entries (“1. Title”, “#1: Title”, “## 3. Title” …) "
            "or give each its own “## Title” heading."
        )
    if by_order:
        plan.warn(blocks[heading_idx[0]].line,
                  f"The entries are not numbered: ranked 1–{len(heading_idx)} by their order in the text.")
    heading_set = set(heading_idx)
    if numbered and unnumbered:
        for i in unnumbered:
            if i > numbered[0] and i < numbered[-1]:
                plan.warn(blocks[i].line, f"Line {blocks[i].line}: the heading “{blocks[i].text}” has no number; "
                          "its text is kept in the entry above.")

    section = "intro"
    current = None
    tail_started = False
    errors = []
    for i in range(start, len(blocks)):
        block, (kind, data) = blocks[i], kinds[i]
        if i in heading_set:
            rank = len(plan.entries) + 1 if by_order else data["num"]
            if by_order:
                title_, original, year, same_line = split_heading(data["text"], dash=False)
            else:
                title_, original, year, same_line = split_heading(data["rest"], dash=data["dash"])
            if not title_:
                errors.append(f"Line {block.line}: entry #{rank} has no title.")
                continue
            if len(title_) > TITLE_MAX:
                errors.append(f"Line {block.line}: the title of entry #{rank} is {len(title_)} characters "
                              f"long; at most {TITLE_MAX} fit.")
            current = EntryPlan(rank=rank, line=block.line, heading=block.text, title=title_,
                                original_title=original[:TITLE_MAX], year=year)
            if same_line:
                current.paragraphs.append(same_line)
                current.paragraph_lines.append(block.line)
            plan.entries.append(current)
            section = "entry"
            continue
        if kind == "section":
            if data == "conclusion":
                section, tail_started = "conclusion", True
            else:
                section = "sign_off"
            continue
        if kind == "hashtags":
            for tag in _HASHTAG.findall(block.text):
                if tag.casefold() not in {t.casefold() for t in plan.hashtags}:
                    plan.hashtags.append(tag)
            plan.info(block.line, f"Line {block.line}: hashtags {' '.join('#' + t for t in _HASHTAG.findall(block.text))}.")
            continue
        if kind == "date" and plan.published_on is None:
            plan.published_on = data
            plan.info(block.line, f"Line {block.line}: publication date {data.isoformat()} (from “{block.text}”).")
            continue
        if kind == "furniture":
            plan.info(block.line, f"Line {block.line}: dropped page furniture “{block.text}”.")
            continue
        # Prose (an unnumbered heading among numbered ones is kept as prose, and warned about).
        if section == "sign_off" or (
            section in ("entry", "conclusion") and current is plan.entries[-1] and _SIGN_OFF.search(block.text)
            and len(block.text) <= 300 and not plan.sign_off
        ):
            if plan.sign_off:
                plan.conclusion.append(plan.sign_off)
            plan.sign_off = block.text
            plan.info(block.line, f"Line {block.line}: kept “{block.text}” as the sign-off line.")
            continue
        if section == "intro":
            plan.intro.append(block.text)
        elif section == "conclusion":
            plan.conclusion.append(block.text)
        elif current is plan.entries[-1] and not by_order and _CONCLUSION_START.search(block.text) and current.paragraphs:
            section, tail_started = "conclusion", True
            plan.conclusion.append(block.text)
            plan.info(block.line, f"Line {block.line}: the conclusion starts here (“{block.text[:40]}…”).")
        else:
            current.paragraphs.append(block.text)
            current.paragraph_lines.append(block.line)

    if errors:
        raise ParseError(errors)

    if title:
        if plan.title and plan.title != title:
            plan.info(plan.title_line, f"Line {plan.title_line}: the title line “{plan.title}” was replaced by “{title}”.")
        plan.title = title.strip()
    if not plan.title:
        raise ParseError("The text has no title line: give the list a title.")
    if len(plan.title) > TITLE_MAX:
        raise ParseError(f"Line {plan.title_line or 1}: the title is {len(plan.title)} characters long; "
                         f"at most {TITLE_MAX} fit.")
    if plan.entries and not tail_started and len(plan.entries[-1].paragraphs) > 1:
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
    """Duplicates are refused; a gap is recovered when the text allows it, else reported."""
    by_rank = {}
    for e in plan.entries:
        by_rank.setdefault(e.rank, []).append(e)
    dupes = [
        f"Lines {' and '.join(str(e.line) for e in group)}: rank {rank} is given to both "
        + " and ".join(f"“{e.title}”" for e in group) + ". Give each entry its own rank."
        for rank, group in sorted(by_rank.items()) if len(group) > 1
    ]
    if 0 in by_rank:
        dupes.append(f"Line {by_rank[0][0].line}: ranks start at 1, not 0.")
    if dupes:
        raise ParseError(dupes)

    ranks = [e.rank for e in plan.entries]
    countdown = len(ranks) > 1 and all(a > b for a, b in zip(ranks, ranks[1:]))
    if countdown:
        plan.info(plan.entries[0].line, f"A countdown from #{ranks[0]} to #{ranks[-1]}: each entry keeps its number as its rank.")
    elif any(a > b for a, b in zip(ranks, ranks[1:])):
        plan.warn(0, "The entries are numbered out of order; each keeps its number as its rank.")

    # What does an entry's first paragraph look like here? Recovery only
    # trusts a paragraph that opens the same way most entries do.
    shaped = sum(
        1 for e in plan.entries
        if e.paragraphs and (t := _lead_title(e.paragraphs[0])) and match_key(t) == match_key(e.title)
    )
    quoted_lead = shaped * 2 > len(plan.entries)

    last = plan.entries[-1]
    for e in list(plan.entries):
        missing = e.rank + (-1 if countdown else 1)
        if missing in by_rank or not (1 <= missing) or e is last:
            continue
        neighbour = missing + (-1 if countdown else 1)
        if neighbour not in by_rank:
            continue  # more than one number missing: only report it below
        found = None
        if quoted_lead:
            for k, paragraph in enumerate(e.paragraphs[1:], start=1):
                lead = _lead_title(paragraph)
                if lead and match_key(lead) != match_key(e.title) and re.search(
                    r"\b(directed by|is a|is an)\b", paragraph[:len(lead) + 80]
                ):
                    found = k
                    break
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
        by_rank[missing] = [recovered]
        plan.warn(line, f"Line {line}: #{missing} had no heading: recovered “{lead}” from the paragraph that opens like the "
                  f"other entries, after #{e.rank}. Check its title.")

    ranks = sorted(by_rank)
    if ranks:
        gaps = [r for r in range(1, ranks[-1] + 1) if r not in by_rank]
        if gaps:
            plan.warn(0, f"Ranks {', '.join(map(str, gaps))} are missing: the list jumps over them.")



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
