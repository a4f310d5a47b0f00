"""
Plain-text listicle → `Plan`. Pure functions: no database, no Django models.

The text is read as blocks (paragraphs separated by blank lines; a line
that is plainly something else, such as a heading, a date or a share
prompt glued to a paragraph, is a block of its own). Each block is
classified: a numbered entry heading, an unnumbered heading (Markdown or
emphasis), a section heading, hashtags, a byline, a date, page furniture,
or prose. Each kind has one handler (`_Reader.on_<kind>`). Which blocks are
the entry headings is decided from the whole text (`_choose_entry_headings`):
numbered ones, else unnumbered headings, else plain short title lines that
each open a run of paragraphs. Prose belongs to the intro, to the entry
above it, or to the conclusion. The list rules (ranks, gaps) and their
wording come from `articles.ranking`.

Every block of the source ends up in `Plan.trace`: where it went, or why it
was dropped, and what was repaired on its lines, for a preview to show.
The editor corrects the reading with `overrides` (`_apply_overrides`): a
line marked as a heading, as furniture, or as the start of the conclusion.
"""

import datetime
import re
from dataclasses import dataclass, field

from dateutil import parser as dateparser

from core.text import match_key

from ..ranking import rank_below_one, rank_shared, ranks_held
from . import lexicon
from .html import html_blocks, looks_like_html
from .refuse import refusals
from .repair import DecodeError, repair_lines

TITLE_MAX = 200  # Article.title, Film.title and Entry.heading all hold 200
BYLINE_MAX = 100  # Article.byline_text


class ParseError(ValueError):
    """The text cannot become an article; `messages` name the problem and the line."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Note:
    level: str  # "error" (nothing is written), "warning" or "info"
    line: int
    message: str
    ask: str = ""  # a question for the editor in the preview, e.g. "conclusion": does it start here?

    def __str__(self):
        return self.message


@dataclass
class Placement:
    """
    Where one block of the source went. `where` is one of: title, dek,
    byline, date, hashtags, intro, heading (an entry's heading, `rank`),
    entry (a paragraph of entry `rank`), conclusion, sign_off, dropped
    (`reason` says why). `repairs` are the repairs made on its lines.
    """

    line: int
    end_line: int
    text: str
    where: str
    rank: int | None = None
    reason: str = ""
    ask: str = ""
    repairs: list[str] = field(default_factory=list)
    marked: str = ""  # the editor's override on this block (OVERRIDES), if any


@dataclass
class CreditProposal:
    role: str  # a films.Credit.Role value, or "studio"
    name: str

    @property
    def label(self):
        return {"director": "Director", "composer": "Composer", "creator": "Original creator", "studio": "Studio"}.get(
            self.role, self.role
        )


@dataclass
class EntryPlan:
    rank: int
    line: int
    heading: str  # the heading as written, for the report
    title: str  # English title
    original_title: str = ""  # romanized title, when the heading gives one
    native_title: str = ""  # in its own script (kanji, kana …), when the heading gives it beside another
    format: str = ""  # a films.Film.Format value, when the text says (TV series, OVA, film …)
    year: int | None = None
    paragraphs: list[str] = field(default_factory=list)
    paragraph_lines: list[int] = field(default_factory=list)
    recovered: bool = False
    credits: list[CreditProposal] = field(default_factory=list)
    tied: bool = False  # tied in the source with the entry above: ranked after it, its write-up may be that one's
    tied_at: int | None = None  # the number the source gave the tie ("=9."), while reading

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
    byline: str = ""  # the author's name as the text gives it
    intro: list[str] = field(default_factory=list)
    entries: list[EntryPlan] = field(default_factory=list)
    conclusion: list[str] = field(default_factory=list)
    sign_off: str = ""
    hashtags: list[str] = field(default_factory=list)
    published_on: datetime.date | None = None
    notes: list[Note] = field(default_factory=list)
    repairs: list[Note] = field(default_factory=list)
    trace: list[Placement] = field(default_factory=list)

    def warn(self, line, message, *, ask=""):
        self.notes.append(Note("warning", line, message, ask))

    def info(self, line, message):
        self.notes.append(Note("info", line, message))

    def fail(self, line, message):
        """Something that must not be written: the import is refused until the editor corrects it."""
        self.notes.append(Note("error", line, message))

    @property
    def errors(self):
        return [n for n in self.notes if n.level == "error"]

    def place(self, block, where, *, rank=None, reason="", ask=""):
        self.trace.append(Placement(block.line, block.end, block.text, where, rank, reason, ask, marked=block.marked))

    def placement(self, line):
        return next((p for p in self.trace if p.line == line), None)

    @property
    def dropped(self):
        return [p for p in self.trace if p.where == "dropped"]


@dataclass
class Block:
    line: int
    text: str
    kind: str = "prose"  # what _classify makes of it; "entry" once chosen as an entry heading
    data: object = None  # what the kind needs: a heading's number and text, a date, a reason
    end: int = 0  # its last line
    lines: list[str] = field(default_factory=list)
    marked: str = ""  # the editor's override, one of OVERRIDES


# Entry headings by their signature: "1. Title", "1) Title", "#1: Title", "#10 – Title – text",
# "## 3. Title", "10 ‘Title’ (2019)" (number and space), "5 (tie). A / B", "=9. Title".
_NUMBERED = re.compile(
    r"^(?P<md>#{1,6}\s+)?(?P<eq>=)?(?P<hash>#)?(?P<num>\d{1,3})"
    r"(?P<tie>\s*\((?:tie|tied|ex[ -]?aequo|égalité|empate|gleichstand|同率)\))?"
    r"(?:\s*(?P<punct>[.):])(?![\d/])|\s+(?P<dash>[–—-])|(?P<space>\s+)(?=\S))\s*(?P<rest>\S.*)$",
    re.I,
)
# What follows a number when the number is a count, not a rank ("3 min read", "26 episodes", "243 comments").
_UNIT = re.compile(
    r"^(min|mins|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|ago|episodes?|eps?|votes?|comments?|replies|"
    r"likes?|claps?|titles|films|movies|items|entries|members|points?|pts|stars?|views?|followers|fans|reviews?|"
    r"ratings?|%|x\b|times|people|seasons?|parts?|sur|de|von|of|out)\b",
    re.I,
)
_BARE_NUMBER = re.compile(r"^#?(?P<num>\d{1,3})\.?$")
_BOLD_BEFORE_YEAR = re.compile(r"^(\*\*|__)(?P<inner>\d{1,3}[.):]?\s.+?)\1(?P<after>\s.*)?$")
_MD_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>\S.*)$")
# A hashtag has a letter somewhere (#80sAnime), which tells it from a rank (#1).
_TAG = r"#\d*[^\W\d_]\w*"
_HASHTAGS = re.compile(rf"^{_TAG}(?:[\s,]+{_TAG})*$")
_HASHTAG = re.compile(r"#(\d*[^\W\d_]\w*)")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_)(?P<inner>\S(?:.*\S)?)\1$")
_SECTION = lexicon.SECTION
# (reason, pattern) for page furniture, tried on the line without emphasis or brackets.
VOTES = "rating, vote or watch row"
THREAD = "comment thread"
FOOTER = "page footer"
HEADER = "site header"
TOC = "table of contents"
INFO_BOX = "info box (label and value lines)"
FACTS = "facts line (year, format, episodes, runtime) read into the entry"
FLAIR = "tag or flair"
DOCS_COMMENT = "editorial comment from Google Docs (not for readers)"
_FURNITURE = [
    ("advertisement marker", re.compile(rf"^({lexicon.ADVERTISEMENT})$", re.I)),
    (
        VOTES,
        re.compile(
            r"^([\d.,]+\s*[kKmM万]\+?|\d+(?:[.,]\d+)\s*(?:\(\s*[\d.,]+\s*[kKmM]?\s*\))?|\d+(?:[.,]\d+)?\s*/\s*(?:5|10|100)|"
            r"[\d.,]+\s*\(\s*[\d.,]+\s*[kKmM]?\s*\)|[★☆✩✭⭐½\s]+|"
            r"[\d.,]+[kKmM]?\s+(votes?|points?|upvotes?|claps?|applause|likes?|fans|followers|ratings?|reviews?)|"
            rf"{lexicon.RATING_BUTTONS})$",
            re.I,
        ),
    ),
    ("sort and filter controls", re.compile(rf"^({lexicon.SORT})$", re.I)),
    (
        "newsletter issue line",
        re.compile(r"^.{1,60}\s[·|•–—-]\s(issue|no\.|n°|numéro|número|ausgabe|vol\.?|edition|#)\s*\d+$", re.I),
    ),
    (DOCS_COMMENT, re.compile(r"^\[[a-z]{1,2}\]\S")),
    (
        "image credit",
        re.compile(
            r"^(image|images|photo|photos|photograph|picture|pictured|credit|credits|image credit|photo credit|"
            r"header image|featured image|screenshot|still|stills|source)\s*(:|via\b|courtesy\b|by\b|©)",
            re.I,
        ),
    ),
    (
        "share prompt",
        re.compile(
            rf"^({lexicon.SHARE})$|"
            r"^(share( this| the list| this (article|post|story|list))?( on| via|:)|share$|share this( article| post| story)?$|"
            r"click to share|tweet( this)?$|pin it$|copy link$|email this$|"
            r"(facebook|twitter|x|reddit|whatsapp|pinterest|email|linkedin|bluesky|threads)"
            r"([\s,·|/•]+(facebook|twitter|x|reddit|whatsapp|pinterest|email|linkedin|bluesky|threads))+$)",
            re.I,
        ),
    ),
    (
        "cross-link",
        re.compile(
            r"^(read more|read next|read also|also read|related|related (posts|articles|stories|reading)|also in|"
            r"see also|more from( .{0,60})?|you may also like|recommended( for you)?|up next|keep reading|"
            r"more on this( story)?|view all|see all)\s*(:|›|»|>|–|—|-|$)",
            re.I,
        ),
    ),
    (
        "newsletter prompt",
        re.compile(
            r"^((sign up|subscribe|join)\b.{0,160}\b(newsletter|inbox|mailing list|subscribers|updates)|"
            r"(get|want) (our|the) .{0,40}newsletter|newsletter\b|subscribe( now| here| today)?[.!]?$|"
            r"enter your e-?mail|unsubscribe\b.{0,120}|you(’|')re receiving this.{0,200}|view (this email )?in (your )?browser|"
            r"forward(ed)? this (email )?to a friend.{0,80})",
            re.I,
        ),
    ),
    (
        "where-to-watch line (availability changes by country and month; not kept)",
        re.compile(
            r"^(where to (watch|stream)|streaming (on|now on)|stream it on|watch it on|available (to stream )?on|"
            r"now streaming on)\s*:?",
            re.I,
        ),
    ),
    (
        "forum or comment buttons",
        re.compile(
            rf"^({lexicon.BUTTONS}|"
            r"[\d.,]+[kK]? (likes?|replies|comments|commentaires|comentarios|kommentare)|"
            r"(reply|quote|report|like)([\s·|•]+(reply|quote|report|like|share))+)$",
            re.I,
        ),
    ),
    (
        "site navigation",
        re.compile(
            r"^(follow us( on .{0,40})?|you might also like|tags?:.{0,200}|filed under:?.{0,200}|"
            rf"\d+ min(ute)?s? read|{lexicon.NAVIGATION})$",
            re.I,
        ),
    ),
]
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
# A paragraph after the last entry that is about the list or talks to the reader, not about the entry.
_CLOSING = lexicon.CLOSING
_ABOUT_THE_LIST = re.compile(r"\b(you|your|we|our)\b.*\b(films|movies|anime|picks|titles|entries|lists?)\b", re.I)
_DATE_PREFIX = re.compile(
    r"^(first published|originally published|published|last updated|updated|posted|date)(\s+on)?\s*:?\s*",
    re.IGNORECASE,
)
_MONTH = r"[A-Za-z]{3,9}\.?"
_DATE_SHAPES = re.compile(
    rf"^((?:[A-Za-z]{{3,9}},?\s+)?(?:\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}}))(?:,?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?$"
)
_READING_TIME = re.compile(
    r"^\d+\s*(min|mins|minute|minutes|min\.)(\s*(read|de lecture|lecture|de lectura|lectura|lesezeit|lesedauer))?$|"
    r"^(lecture|lectura|lesezeit)\s*:?\s*\d+\s*min\.?$|^\d+分で読めます$",
    re.I,
)
_BYLINE = lexicon.BYLINE
_NAME_WORD = re.compile(r"^([^\W\d_][\w’'.-]*|[A-Z]\.)$")
_NAME_LOWER = {"the", "of", "and", "de", "van", "von", "la", "le", "du", "da", "del", "staff", "team", "editors", "&"}
_META_SPLIT = re.compile(r"\s+[|•·—–]\s+|\s*\|\s*|,\s+(?=(?:updated|published|posted)\b)", re.I)
_QUOTED_LEAD = re.compile(r"^[\"“”]([^\"“”]{1,200}?)[,.!?]?[\"“”]")
# Capitalised words ("Makoto Shinkai", "Yoshitoki Ōima", "A-1 Pictures", "RADWIMPS").
_NAME = r"((?:[^\W_a-z][\w’'-]*|[A-Z]\.)(?:\s+(?:[^\W_a-z][\w’'-]*|[A-Z]\.))*)"
_CREDIT_PATTERNS = [
    (
        "director",
        re.compile(
            r"\b(?:(?i:directed by|direction by)\s*:?\s+|(?i:director|dir\.)(?::\s*|\s+))(?:the\s+(?:[a-z-]+\s+)*)?"
            + _NAME
        ),
    ),
    ("director", re.compile(_NAME + r"\s+(?:directs|directed)\b(?!\s+by)")),
    (
        "studio",
        re.compile(
            r"\b(?:(?i:produced by|animated by|animation by)\s+|(?i:studio):\s*)(?:the\s+(?:[a-z-]+\s+)*)?" + _NAME
        ),
    ),
    ("composer", re.compile(r"\b(?:soundtrack|score|music)\b[^.]{0,30}?\b(?:composed\s+)?by\s+" + _NAME)),
    ("creator", re.compile(r"\bbased on the (?:manga|novel|light novel|visual novel|book) by\s+" + _NAME)),
]
# Capitalised words that open a sentence and are not part of a name before "directs".
_NOT_NAME = {
    "Here",
    "Then",
    "There",
    "This",
    "That",
    "In",
    "And",
    "But",
    "So",
    "Now",
    "Veteran",
    "Director",
    "The",
    "It",
    "A",
    "An",
    "When",
    "Where",
    "Who",
    "Studio",
    "Legendary",
    "Master",
    "Again",
}
# Words that give a title away as English, and ones that give it away as romanized Japanese.
_ENGLISH_WORDS = {
    "the",
    "of",
    "a",
    "an",
    "and",
    "in",
    "to",
    "with",
    "my",
    "your",
    "from",
    "for",
    "on",
    "at",
    "that",
    "this",
    "who",
    "what",
    "is",
    "are",
    "we",
    "i",
    "you",
    "me",
    "day",
    "girl",
    "boy",
    "movie",
    "story",
    "heart",
    "children",
    "castle",
    "words",
    "voice",
    "name",
    "love",
}
_ROMAJI_WORDS = {"no", "wa", "ga", "wo", "ni", "de", "mo", "ka", "yo", "ne", "e", "kimi", "boku", "watashi"}


def unwrap(text):
    """`**Title**`, `*Title*`, `__Title__`, `(Title)` or `[Title]` → `Title` (repeatedly)."""
    while True:
        m = _EMPHASIS.match(text)
        if m:
            text = m["inner"].strip()
        elif len(text) > 2 and text[0] + text[-1] in ("()", "[]"):
            text = text[1:-1].strip()
        else:
            return text


# Dates in the other languages read: "3 mars 2024", "3 de marzo de 2024", "3. März 2024", "2024年3月3日".
_FOREIGN_DATE = re.compile(
    r"^(?:(?:le|el|am)\s+)?\d{1,2}(?:er|\.|º)?\s+(?:de\s+)?[^\W\d_]{3,10}\.?\s+(?:de\s+)?\d{4}$|"
    r"^\d{4}年\s*\d{1,2}月\s*\d{1,2}日$",
    re.I,
)
_FOREIGN_DATE_PREFIX = re.compile(
    r"^(publié le|publié|mis à jour le|publicado el|publicado|actualizado el|veröffentlicht am|veröffentlicht|"
    r"aktualisiert am|投稿日|公開日|更新日)\s*[:：]?\s*",
    re.I,
)


def _foreign_date(candidate):
    candidate = _FOREIGN_DATE_PREFIX.sub("", candidate).strip()
    if not _FOREIGN_DATE.match(candidate):
        return None
    if m := re.match(r"^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日$", candidate):
        try:
            return datetime.date(*map(int, m.groups()))
        except ValueError:
            return None
    import dateparser as multilingual  # imported on the first foreign date: it takes a while to load

    found = multilingual.parse(
        candidate, languages=["fr", "es", "de", "en"], settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"}
    )
    return found.date() if found else None


def parse_date(text):
    """A publication date in a common written form (English, French, Spanish, German, Japanese), or None."""
    candidate = _DATE_PREFIX.sub("", unwrap(text.strip())).rstrip(".")
    if not _DATE_SHAPES.match(candidate):
        return _foreign_date(candidate) if len(candidate) <= 40 else None
    candidate = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", candidate)
    try:
        return dateparser.parse(candidate, dayfirst=not candidate[:4].isdigit()).date()
    except (ValueError, OverflowError):
        return _foreign_date(candidate)  # "3 mars 2024" has the shape of an English date


def parse_meta_line(text):
    """
    A byline or dateline ("By Name | March 3, 2025 | 6 min read", "By Name —
    date", "Updated …", "Posted by Name on date") → {"name", "date", "rest"},
    or None when any part of the line is something else.
    """
    text = unwrap(text.strip())
    if len(text) > 160:
        return None
    text = re.sub(r"^r/\w+\s*[•·]\s*", "", text)  # Reddit: "r/anime • Posted by u/name 3 days ago"
    text = re.sub(r"\s+\d+\s+(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago$", "", text, flags=re.I)
    text = re.sub(r"^(posted by .+?) on (?=\S)", r"\1 | ", text, flags=re.I)
    text = re.sub(r"\s+(\d{4}年\s*\d{1,2}月\s*\d{1,2}日)$", r" | \1", text)  # "文：山田花子　2024年3月3日"
    found = {"name": "", "date": None, "rest": []}
    for k, part in enumerate(p.strip(" *_") for p in _META_SPLIT.split(text)):
        m = _BYLINE.match(part) if k == 0 else None
        name, *roles = [r.strip() for r in (m["rest"] or m["ja"]).split(",")] if m else [""]
        # A name, or a forum handle ("kon_fan", "@reel99", "u/kon_fan"); after a comma, a role ("Staff Writer").
        if (
            m
            and (
                _is_name(name)
                or re.fullmatch(r"(?:u/)?@?[\w.-]*[_\d@][\w.-]*", name)
                or (m["ja"] and re.fullmatch(r"[\u3040-\u30ff\u4e00-\u9fff・ー]{2,12}", name))
            )
            and all(len(r) <= 40 and not r.endswith(".") for r in roles)
        ):
            found["name"] = name
            found["rest"] += roles
        elif (date := parse_date(part)) is not None:
            found["date"] = found["date"] or date
        elif _READING_TIME.match(part) or (k > 0 and len(part) <= 40 and not part.endswith(".")):
            found["rest"].append(part)  # reading time, or a role such as "Staff Writer"
        else:
            return None
    return found if found["name"] or found["date"] else None


def _is_name(text):
    if re.fullmatch(r"[\u3040-\u30ff\u4e00-\u9fff・ー]{2,12}", text.strip()):
        return True  # a Japanese name: no capitals, no spaces
    words = text.strip().split()
    if (
        0 < len(words) <= 3
        and all(w.lower() in _NAME_LOWER for w in words)
        and any(w.lower() in ("staff", "team", "editors") for w in words)
    ):
        return True  # "the editors", "staff": a desk rather than a person, written in lower case
    return (
        0 < len(words) <= 6
        and len(text) <= BYLINE_MAX
        and all(_NAME_WORD.match(w) and (w[0].isupper() or w.lower() in _NAME_LOWER) for w in words)
        and any(w[0].isupper() for w in words)
    )


def _english_score(title):
    words = re.findall(r"[\w’']+", title.casefold())
    score = sum(w in _ENGLISH_WORDS for w in words) - sum(w in _ROMAJI_WORDS for w in words)
    return score - len(re.findall(r"[āēīōūâêîôû\u3040-\u30ff\u4e00-\u9fff]", title))


def _strip_quotes(title):
    title = title.strip().strip("*_").strip()
    m = re.fullmatch(r"[\"“”‘'](.+?)[\"“”’']", title)
    if m:
        return m[1].strip()
    return re.sub(r"^[\"“](.+?)[\"”]", r"\1", title).strip()


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f々〆ヵヶ]")
_HEADING_FORMAT = re.compile(
    r"\s*[(\[,]?\s*(?P<format>TV series|TV anime|TV special|OVA|OAV|ONA|short film|compilation film)\s*[)\]]?\s*$", re.I
)
_FORMAT_OF = {
    "tv series": "tv",
    "tv anime": "tv",
    "ona": "tv",
    "tv special": "special",
    "ova": "ova",
    "oav": "ova",
    "short film": "short",
    "compilation film": "compilation",
}


def is_native(text):
    """Whether a title is written in Japanese script (kanji, kana) rather than Latin letters."""
    return len(_CJK.findall(text)) > len(re.findall(r"[A-Za-z]", text))


@dataclass
class TitleParts:
    title: str  # the English (or the text's own language's) title
    original: str = ""  # romanised
    native: str = ""  # in its own script
    year: int | None = None
    format: str = ""
    same_line: str = ""  # text after a dash heading ("#10 – Title – text")


def heading_parts(rest, *, dash):
    """
    A heading taken apart: the titles in each script, the year and the format,
    never the whole heading as a title.
    "Title (Romanized) - The Movie" → "Title - The Movie", "Romanized";
    "“Title” (Romanized) (2016)" → "Title", "Romanized", 2016;
    "Romanized / English (2016)" → "English", "Romanized", 2016;
    "新世紀エヴァンゲリオン（Shinseiki Evangerion）— Neon Genesis Evangelion" → the three titles;
    "Grave of the Fireflies 1988" (a year with no brackets) → "Grave of the Fireflies", 1988;
    "Title (TV series, 2014)", "Title (OVA)" → the format;
    "Title – text" (dash shape) → "Title", and "text" opens the write-up.
    """
    same_line, native, fmt = "", "", ""
    rest = rest.replace("（", " (").replace("）", ") ").replace("【", " [").replace("】", "] ")
    rest = re.sub(r"\s+", " ", rest).strip()
    m = re.match(r"^(?P<a>.+?)\s*\((?P<b>[^()]+)\)\s*[—–-]{1,2}\s*(?P<c>\S.*)$", rest)
    if m and is_native(m["a"]) and not is_native(m["b"]):  # NATIVE (Romanised) — English
        native, rest = m["a"].strip(), f"{m['c']} ({m['b']})"
    if dash:
        parts = re.split(r"\s+[–—-]\s+", rest, maxsplit=1)
        rest, same_line = parts[0], (parts[1] if len(parts) > 1 else "")
    rest = unwrap(rest.strip())
    original, year = "", None
    # Trailing groups first: "(Original) (2004)", "(Original, 2004)", "[2004]", "(2004 film)", "(TV series)".
    while m := re.match(r"^(?P<title>.+?)\s*[(\[](?P<paren>[^()\[\]]+)[)\]]\s*$", rest):
        paren = m["paren"].strip()
        y = re.fullmatch(
            r"(?:(?P<before>.+?),\s*)?(?P<year>(?:19|20)\d{2})(?:\s*[–—-]\s*(?:\d{2}|(?:19|20)\d{2}))?"
            r"(?:年|\s+(?:film|movie|anime))?",
            paren,
        )
        if y and year is None:
            year = int(y["year"])
            paren = (y["before"] or "").strip()
        f = _HEADING_FORMAT.search(paren)
        if f and not fmt:
            fmt = _FORMAT_OF[f["format"].lower()]
            paren = paren[: f.start()].strip(" ,")
        if paren:
            if original:
                break
            original = _strip_quotes(paren)
        rest = m["title"].strip()
    m = re.match(r"^(?P<title>.+?)\s*\((?P<paren>[^()]+)\)\s*(?P<tail>.*)$", rest)
    if m and not original:
        original = _strip_quotes(m["paren"])
        tail = m["tail"].strip()
        rest = m["title"] + (f" {tail}" if tail else "")
    if year is None and (m := re.fullmatch(r"(?P<title>.*[^\W\d_].*?\S)\s+(?P<year>(?:19|20)\d{2})", rest)):
        if int(m["year"]) <= datetime.date.today().year + 1:  # "Grave of the Fireflies 1988"; not "Blade Runner 2049"
            rest, year = m["title"], int(m["year"])
    title = _strip_quotes(rest)
    if " / " in title and not original:
        title, original = (_strip_quotes(t) for t in title.split(" / ", 1))
    if original and _english_score(original) > _english_score(title):
        title, original = original, title
    if original and is_native(original) and not is_native(title):
        native, original = native or original, ""
    return TitleParts(title, original, native, year, fmt, same_line.strip())


def split_heading(rest, *, dash):
    """(title, romanised title, year, text on the same line): `heading_parts` as the earlier readers used it."""
    parts = heading_parts(rest, dash=dash)
    return parts.title, parts.original or parts.native, parts.year, parts.same_line


def credits_in(text):
    text = text.replace("*", "").replace("__", "")
    found, seen = [], set()
    for role, pattern in _CREDIT_PATTERNS:
        for m in pattern.finditer(text):
            words = m.group(1).rstrip(".’'").split()
            while (
                role == "director" and m.group(0).endswith(("directs", "directed")) and words and words[0] in _NOT_NAME
            ):
                words = words[1:]
            name = re.sub(r"\s+(?:The|This|It|In|A|An)$", "", " ".join(words))
            if (role, name) not in seen and len(name) > 1 and len(words) <= 5:
                seen.add((role, name))
                found.append(CreditProposal(role, name))
    return found


def _line_kind(line):
    """What one line is on its own (for splitting glued blocks); "prose" when nothing else."""
    return _classify(Block(0, line))[0]


def _blocks(lines):
    """
    Blocks of consecutive non-blank lines; a line that is plainly something
    other than prose (a heading, a date, hashtags, a byline, furniture) is
    split off into a block of its own, since pasted text often glues them.
    """
    groups, current = [], []
    for number, line in enumerate(lines, start=1):
        if line:
            current.append((number, line))
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    blocks = []
    for group in groups:
        first_kind, first_data = _classify(Block(0, group[0][1]))
        if first_kind == "thread" or first_data == DOCS_COMMENT:  # a comment with its author, the Docs comments
            blocks.append(_block(group))
            continue
        if _is_info_box([line for _, line in group]):
            block = _block(group)
            block.kind, block.data = "furniture", INFO_BOX
            blocks.append(block)
            continue
        run = []
        for number, line in group:
            alone = len(group) > 1 and len(line) <= TITLE_MAX + 20 and _line_kind(line) != "prose"
            if alone:
                if run:
                    blocks.append(_block(run))
                blocks.append(_block([(number, line)]))
                run = []
            else:
                run.append((number, line))
        if run:
            blocks.append(_block(run))
    return blocks


_INFO_LABEL = re.compile(
    r"^(release date|released|director|directed by|directors?|writer|writers|screenplay|runtime|running time|"
    r"studio|studios|cast|starring|genre|genres|rating|rated|country|language|based on|episodes|format|music|"
    r"composer|producer|where to watch|streaming|date de sortie|sortie|réalisateur|réalisation|durée|genre|"
    r"fecha de estreno|estreno|dirección|director|duración|género|erscheinungsdatum|kinostart|regie|laufzeit|"
    r"公開日|公開|監督|上映時間|制作|原作|話数)\s*:?$",
    re.I,
)


def _is_info_box(lines):
    """Label and value lines ("Release Date" / "July 19, 2019" / "Director" / "…"): an info box, not prose."""
    if len(lines) < 4 or len(lines) % 2:
        return False
    labels, values = lines[::2], lines[1::2]
    return all(_INFO_LABEL.match(label) for label in labels) and all(len(v) <= 80 for v in values)


def _block(numbered_lines):
    lines = [line for _, line in numbered_lines]
    return Block(numbered_lines[0][0], " ".join(lines), end=numbered_lines[-1][0], lines=lines)


def parse(text, *, title=None, overrides=None):
    """
    Turn `text` into a Plan, or raise ParseError naming the problem and the
    line. `overrides` ({line number: "heading" | "furniture" | "conclusion"})
    are the editor's corrections, applied to the block holding that line.
    """
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

    if looks_like_html(text):
        plan.repairs = []  # the markup's own line breaks and indentation are not repairs
        blocks = html_blocks(text, _html_block)
        plan.info(
            0,
            "Read as HTML: headings, paragraphs and list items by their tags; the page's header, "
            "navigation and footer left out.",
        )
    else:
        lines = _docs_comment_anchors(lines, plan)
        blocks = _blocks(lines)
    for block in blocks:
        if block.kind == "prose" and block.data is None:
            block.kind, block.data = _classify(block)
    blocks = _merge_bare_numbers(blocks)
    _apply_overrides(blocks, overrides or {})
    body = _take_title_and_dek(plan, _bare_name_bylines(blocks))
    body, by_order = _choose_entry_headings(plan, body)
    reader = _Reader(plan, by_order=by_order)
    for block in body:
        if reader.part in ("thread", "footer") and block.kind != "hashtags":
            reason = THREAD if reader.part == "thread" else FOOTER
            reader.on_furniture(Block(block.line, block.text, "furniture", reason, block.end))
            continue
        getattr(reader, f"on_{block.kind}")(block)
    if reader.errors:
        raise ParseError(reader.errors)

    _set_title(plan, title)
    if reader.marked_conclusion is None:  # the editor said where it starts: no guessing, no asking
        _close_the_list(plan, reader)
    if by_order:
        _rank_by_order(plan, body)
    else:
        _check_ranks(plan)
    for entry in plan.entries:
        entry.credits = credits_in(" ".join(entry.paragraphs))
    plan.entries.sort(key=lambda e: e.rank)
    for line, message in refusals(plan, chrome=_is_chrome):
        plan.fail(line, message)
    if not plan.hashtags:
        plan.warn(0, "No hashtag line (“#SadAnime #RomanceAnime”) was found.")
    _settle_trace(plan)
    return plan


def _html_block(line, text, reason=""):
    block = Block(line, text, end=line, lines=[text])
    if reason:
        block.kind, block.data = "furniture", reason
    return block


_DOCS_COMMENT_LINE = re.compile(r"^\[(?P<anchor>[a-z]{1,2})\]\S")


def _docs_comment_anchors(lines, plan):
    """
    A Google Docs export ends with the comments ("[a]Check this with Julien")
    and marks where each was made ("…sans détour[a] : voici…"). The comments
    are dropped as furniture; the anchors are taken out of the text, each
    reported.
    """
    anchors = {m["anchor"] for line in lines if (m := _DOCS_COMMENT_LINE.match(line))}
    if not anchors:
        return lines
    pattern = re.compile(r"\[(?:" + "|".join(sorted(anchors)) + r")\]")
    out = []
    for number, line in enumerate(lines, start=1):
        if not _DOCS_COMMENT_LINE.match(line) and pattern.search(line):
            found = ", ".join(f"“{a}”" for a in pattern.findall(line))
            line = pattern.sub("", line)
            plan.repairs.append(Note("info", number, f"Line {number}: removed the Google Docs comment anchor {found}."))
        out.append(line)
    return out


def _bare_name_bylines(blocks):
    """A name alone on its line with a "Follow" button under it (Medium, Substack): the byline."""
    for block, following in zip(blocks, blocks[1:]):
        if (
            block.kind == "prose"
            and _is_name(block.text)
            and re.fullmatch(r"(?i)follow|suivre|seguir|folgen", following.text.strip())
        ):
            block.kind, block.data = "byline", {"name": block.text.strip(), "date": None, "rest": []}
    return blocks


def _merge_bare_numbers(blocks):
    """
    A rank alone on its line with the title on the next ("1" / "Grave of the
    Fireflies 1988", as Letterboxd prints a list) is one numbered heading. A
    number alone with no title after it is a count (votes, claps, replies).
    """
    out, skip = [], False
    for k, block in enumerate(blocks):
        if skip:
            skip = False
            continue
        following = blocks[k + 1] if k + 1 < len(blocks) else None
        if block.kind == "number" and not block.marked:
            if following is not None and following.kind in ("prose", "heading") and _title_like(following.text):
                text = unwrap(following.text.lstrip("#").strip())
                out.append(
                    Block(
                        block.line,
                        f"{block.text} {following.text}",
                        "numbered",
                        {
                            "num": block.data["num"],
                            "rest": text,
                            "dash": False,
                            "tie": False,
                            "sig": (0, "", False, "alone"),
                        },
                        end=following.end,
                        lines=block.lines + following.lines,
                    )
                )
                skip = True
                continue
            block.kind, block.data = "furniture", VOTES
        out.append(block)
    return out


OVERRIDES = ("heading", "furniture", "conclusion")
MARKED_FURNITURE = "marked as furniture in the preview"


def _apply_overrides(blocks, overrides):
    """
    The editor's corrections, each on the block holding its line: a heading
    becomes an entry heading (whatever the text looks like), furniture is
    dropped, and the conclusion starts at the block marked so.
    """
    by_line = {n: block for block in blocks for n in range(block.line, block.end + 1)}
    for line, what in sorted(overrides.items()):
        if what not in OVERRIDES:
            raise ParseError(f"Line {line}: “{what}” is not a correction the importer knows ({', '.join(OVERRIDES)}).")
        block = by_line.get(line)
        if block is None:
            raise ParseError(f"Line {line} is blank or past the end of the text: there is nothing on it to mark.")
        block.marked = what
        if what == "furniture":
            block.kind, block.data = "furniture", MARKED_FURNITURE
        elif what == "conclusion":
            block.kind, block.data = "marked_conclusion", None
        else:
            md = _MD_HEADING.match(block.text)
            block.kind, block.data = "heading", {"level": 0, "text": unwrap(md["text"] if md else block.text)}


def _marked_among_numbered(body, i):
    """
    A heading the editor marked in a numbered list takes the number missing
    next to its neighbours (a lost "3." between 2 and 4, in either direction);
    a leading number that is that one ("3 Clannad") is read as the rank.
    """
    held = {b.data["num"] for b in body if b.kind in ("numbered", "entry") and b.data["num"] is not None}
    above = next((b.data["num"] for b in reversed(body[:i]) if b.kind == "numbered"), None)
    below = next((b.data["num"] for b in body[i + 1 :] if b.kind == "numbered"), None)
    if above is not None and below is not None:
        candidates = [above + (1 if below > above else -1)]
    else:
        candidates = [above + 1, above - 1] if above is not None else [below - 1, below + 1] if below else []
    rank = next((n for n in candidates if n >= 1 and n not in held), (above or 0) + 1)
    text = body[i].data["text"]
    m = re.match(rf"^#?{rank}(?:\s*[.):]|\s+[–—-]|\s)\s*(?P<rest>\S.*)$", text)
    return {"num": rank, "rest": m["rest"] if m else text, "dash": False}


def _title_candidate(block):
    text = re.sub(r"^(re|fwd?):\s+", "", unwrap(block.text), flags=re.I)  # a forum reply's subject
    return (
        block.kind in ("prose", "heading")
        and not block.marked
        and len(text) <= TITLE_MAX
        and not re.search(r"[.!:;,]$", text)
        and ". " not in text
    )


def _find_title(blocks):
    """
    The index of the title block: a "# Title" near the top; else, beside the
    byline, the title-like block before or after it (a site prints "List by
    Name" above the title, a magazine "By Name" below it), the longer when
    both are; else the first block when it reads as a title.
    """
    top = blocks[:10]
    for k, block in enumerate(top):
        if block.kind == "heading" and block.data["level"] == 1 and not block.marked:
            return k
    byline = next((k for k, b in enumerate(top[:8]) if b.kind == "byline" and b.data and b.data.get("name")), None)
    if byline is not None:
        before = next((k for k in range(byline - 1, -1, -1) if _title_candidate(blocks[k])), None)
        after = next(
            (k for k in range(byline + 1, min(byline + 3, len(blocks))) if blocks[k].kind not in ("date", "furniture")),
            None,
        )
        after = after if after is not None and _title_candidate(blocks[after]) else None
        if before is not None and after is not None:
            return max((before, after), key=lambda k: len(blocks[k].text.split()))
        if before is not None or after is not None:
            return before if before is not None else after
    start = 0
    while start < len(blocks) - 1 and blocks[start].kind == "furniture":
        start += 1  # "View this email in your browser" above a newsletter's title
    if start < len(blocks) - 1 and _title_candidate(blocks[start]):
        return start
    return None


def _take_title_and_dek(plan, blocks):
    """
    Take the title (see `_find_title`) and a "> standfirst" under it (what
    the exporter writes). What stands above the title is the site's header,
    dropped, except a byline or a date. Returns the body: the blocks left to
    read, in order.
    """
    found = _find_title(blocks)
    if found is None:
        body = blocks
    else:
        first = blocks[found]
        text = re.sub(r"^(re|fwd?):\s+", "", unwrap(first.text), flags=re.I)
        plan.title, plan.title_line = first.data["text"] if first.kind == "heading" else text, first.line
        body = []
        for skipped in blocks[:found]:
            if skipped.kind in ("byline", "date"):
                body.append(skipped)
                continue
            reason = skipped.data if skipped.kind == "furniture" and found == 0 else HEADER
            reason = skipped.data if skipped.kind == "furniture" and not _is_site_header(blocks, found) else reason
            plan.info(skipped.line, f"Line {skipped.line}: dropped page furniture ({reason}) “{skipped.text}”.")
            plan.place(skipped, "dropped", reason=reason)
        plan.place(first, "title")
        rest = blocks[found + 1 :]
        if rest and rest[0].text.startswith("> "):
            plan.dek = rest[0].text[2:].strip()
            plan.place(rest[0], "dek")
            rest = rest[1:]
        body += _flair(plan, rest)
    return body


def _is_site_header(blocks, found):
    """Whether what stands above the title is a site's header (menus, sign-in) rather than one prompt."""
    above = [b for b in blocks[:found] if b.kind not in ("byline", "date")]
    return len(above) >= 2 or any(b.kind != "furniture" for b in above)


def _flair(plan, rest):
    """A one- or two-word label right under the title, before the first paragraph ("Discussion"): a tag, not prose."""
    k = 0
    while k < len(rest) and rest[k].kind in ("byline", "date", "furniture"):
        k += 1
    if k + 1 < len(rest) and rest[k].kind == "prose" and rest[k + 1].kind == "prose" and not rest[k].marked:
        text = rest[k].text
        if len(text.split()) <= 2 and len(text) <= 25 and re.fullmatch(r"[^\W\d_][\w’' -]*", text):
            rest[k].kind, rest[k].data = "furniture", FLAIR
    return rest


_CONTENTS = re.compile(
    r"^(table of contents|contents|in this (article|list|post)|jump to|sommaire|table des matières|"
    r"índice|contenido|inhalt|inhaltsverzeichnis|目次)\s*:?$",
    re.I,
)


def _title_key(block):
    return match_key(heading_parts(block.data["rest"], dash=block.data["dash"]).title)


def _by_repetition(plan, body):
    """
    Which numbered blocks are the entries, from how they repeat:
    - a run of numbered lines with nothing between them whose titles come
      again further down is a table of contents, dropped as such (with the
      "Contents" line above it);
    - after an "Honourable mentions" section nothing is ranked;
    - of several numbered shapes ("## 1. Title" and "1) text"), the entries
      are the shape that most often opens a run of prose, then the most
      frequent; the other shapes stay text.
    """
    numbered = [i for i, b in enumerate(body) if b.kind == "numbered" and not b.marked]
    if not numbered:
        return
    shapes = {}
    for i in numbered:
        shapes.setdefault(body[i].data["sig"], []).append(i)
    keys = {i: _title_key(body[i]) for i in numbered}
    for run in (run for same in shapes.values() for run in _runs(same) if len(run) >= 2):
        later = [keys[i] for i in numbered if i > run[-1]]
        if later and all(any(keys[i] and key.startswith(keys[i]) for key in later) for i in run):
            before = body[run[0] - 1] if run[0] > 0 else None
            if before is not None and _CONTENTS.match(unwrap(before.text.lstrip("#").strip())):
                run = [run[0] - 1, *run]
            for i in run:
                body[i].kind, body[i].data = "furniture", TOC
            plan.info(
                body[run[0]].line,
                f"Line {body[run[0]].line}: a table of contents repeating the entries' titles was dropped.",
            )
    numbered = [i for i in numbered if body[i].kind == "numbered"]
    mentions = next(
        (
            i
            for i, b in enumerate(body)
            if b.kind == "section" and b.data == "mentions" and numbered and i > numbered[0]
        ),
        None,
    )
    if mentions is not None:
        for i in numbered:
            if i > mentions:
                body[i].kind, body[i].data = "prose", None
        numbered = [i for i in numbered if i < mentions]
    groups = {}
    for i in numbered:
        groups.setdefault(body[i].data["sig"], []).append(i)
    if len(groups) < 2:
        return

    def opens_prose(i):
        following = next((b for b in body[i + 1 :] if b.kind != "furniture"), None)
        return following is not None and following.kind == "prose"

    chosen = max(groups.values(), key=lambda group: (sum(opens_prose(i) for i in group), len(group)))
    for group in groups.values():
        if group is not chosen:
            for i in group:
                body[i].kind, body[i].data = "prose", None
            plan.info(
                body[group[0]].line,
                f"Line {body[group[0]].line}: “{body[group[0]].text[:40]}” is numbered "
                "but not like the entries: kept as text.",
            )


def _runs(indexes):
    """Consecutive indexes, grouped: [3, 4, 5, 9, 10] → [[3, 4, 5], [9, 10]]."""
    # (Of one shape: a contents list straight above "## 1. Title" is a run of its own.)
    runs = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _choose_entry_headings(plan, body):
    """
    Mark the entry headings, deciding from the whole text: the numbered
    ones; or else the unnumbered headings (Markdown or emphasis); or else
    plain short title lines that each open a run of paragraphs. Returns
    (body, by_order): by_order when the ranks come from the order. An
    unnumbered heading among numbered ones is kept as prose.
    """
    _by_repetition(plan, body)
    numbered = [i for i, b in enumerate(body) if b.kind == "numbered"]
    unnumbered = [i for i, b in enumerate(body) if b.kind == "heading" and not b.marked]
    if not numbered and not unnumbered:
        body = _split_glued_titles(body)
        unnumbered = _plain_title_lines(body, editor_marked=sum(b.marked == "heading" for b in body))
        if unnumbered:
            plan.warn(
                body[unnumbered[0]].line,
                "The entries have no numbers and no heading markup: each short "
                "title line followed by paragraphs was taken as an entry. Check the headings.",
            )
    marked = [i for i, b in enumerate(body) if b.marked == "heading"]
    if not numbered:
        unnumbered = sorted(set(unnumbered) | set(marked))
    if not numbered and not unnumbered:
        raise ParseError(
            "No entries found: number the entries (“1. Title”, “#1: Title”, “## 3. Title” …) "
            "or give each its own “## Title” heading."
        )
    if not numbered:
        for i in unnumbered:
            text = body[i].data["text"] if body[i].data else unwrap(body[i].text)
            body[i].kind, body[i].data = "entry", {"num": None, "rest": text, "dash": False}
        return body, True
    for i in marked:
        body[i].kind, body[i].data = "entry", _marked_among_numbered(body, i)
    for i in unnumbered:
        block = body[i]
        if numbered[0] < i < numbered[-1]:
            plan.warn(
                block.line,
                f"Line {block.line}: the heading “{block.text}” has no number; its text is kept in the entry above.",
            )
        block.kind = "prose"
    for i in numbered:
        body[i].kind = "entry"
    return body, False


def _title_like(text):
    text = unwrap(text)
    return (
        0 < len(text) <= 120
        and len(text.split()) <= 12
        and not re.search(r"[.!?:;,…]$", text)
        and ". " not in text
        and not text[0].islower()
        and not text.startswith(">")
    )


def _split_glued_titles(body):
    """A title-like first line glued to a paragraph (no blank line between) becomes a block of its own."""
    out = []
    for block in body:
        if (
            block.kind == "prose"
            and len(block.lines) > 1
            and _title_like(block.lines[0])
            and not _title_like(" ".join(block.lines[1:]))
        ):
            out.append(Block(block.line, block.lines[0], end=block.line, lines=block.lines[:1]))
            rest = Block(block.line + 1, " ".join(block.lines[1:]), end=block.end, lines=block.lines[1:])
            rest.kind, rest.data = _classify(rest)
            out.append(rest)
        else:
            out.append(block)
    return out


def _plain_title_lines(body, *, editor_marked=0):
    """
    The indexes of plain title lines: short, not a sentence, followed by a
    paragraph that is. At least two are needed to make a list (headings the
    editor marked, `editor_marked`, count towards them). When most of
    them carry a year or an original title in brackets, a leading one that
    does not is taken for a line of the intro.
    """
    found = [
        i
        for i, b in enumerate(body[:-1])
        if b.kind == "prose"
        and _title_like(b.text)
        and body[i + 1].kind == "prose"
        and not _title_like(body[i + 1].text)
    ]
    marked = [i for i in found if re.search(r"[(\[].+[)\]]|\s/\s", body[i].text)]
    if len(marked) * 5 >= len(found) * 3 and marked:
        found = [i for i in found if i >= marked[0]]
    return found if len(found) + editor_marked >= 2 else []


class _TieWriteUp:
    """
    The entry being read when one heading named several tied films: the
    write-up under it goes to the first of them (the others say so in the
    report), while a tie that goes on ("=9." again) continues from the last.
    """

    def __init__(self, first, *, last):
        self._first, self.last = first, last

    def __getattr__(self, name):
        if name in ("rank", "tied_at"):
            return getattr(self.last, name)
        return getattr(self._first, name)


class _Reader:
    """
    One pass over the body, a handler per kind of block. Prose goes where the
    blocks before it say: the intro, the entry above, the conclusion, or the
    sign-off. Each handler records where its block went in `plan.trace`.
    """

    def __init__(self, plan, *, by_order):
        self.plan = plan
        self.by_order = by_order
        self.part = "intro"  # where prose goes: intro, entry, conclusion or sign_off
        self.current = None  # the entry being read, always the last in plan.entries
        self.tail_started = False  # a conclusion was recognised
        self.sign_off_line = None
        self.marked_conclusion = None  # the block the editor marked as the conclusion's start
        self.errors = []

    def on_entry(self, block):
        plan, data = self.plan, block.data
        if self.marked_conclusion is not None:
            first = self.marked_conclusion.line
            self.errors.append(
                f"Line {first}: the conclusion can only start after the last entry, "
                f"but an entry heading follows it at line {block.line}."
            )
            return
        rank = len(plan.entries) + 1 if data["num"] is None else data["num"]
        tied = data.get("tie") and self.current is not None and self.current.tied_at == data["num"]
        if tied:  # "=9. A" then "=9. B": B takes the next rank, in the order written
            rank = self.current.rank + 1
        # "5 (tie). Ponyo (2008) / Summer Wars (2009)": one heading, two films, ranks 5 and 6.
        names = re.split(r"\s+/\s+", data["rest"]) if data.get("tie") else [data["rest"]]
        first = None
        for k, name in enumerate(names):
            entry = self._entry(block, rank + k, name, dash=data["dash"])
            if entry is None:
                return
            entry.tied_at = data["num"] if data.get("tie") else None
            if k or tied:
                previous = plan.entries[-2] if len(plan.entries) > 1 else None
                entry.tied = True
                if previous is not None:
                    plan.info(
                        block.line,
                        f"Line {block.line}: {previous.rank} and {entry.rank} were tied in the source "
                        f"(“{previous.title}” and “{entry.title}”): each has its own rank, in the order written.",
                    )
            first = first or entry
        self.current = first if len(names) > 1 else plan.entries[-1]
        if len(names) > 1:
            self.current.tied_at = None
            plan.entries[-1].tied_at = data["num"]
            self.current = _TieWriteUp(first, last=plan.entries[-1])
        plan.place(block, "heading", rank=rank)
        self.part = "entry"

    def _entry(self, block, rank, rest, *, dash):
        plan = self.plan
        parts = heading_parts(rest, dash=dash)
        title, original, year, same_line = parts.title, parts.original, parts.year, parts.same_line
        if not title:
            self.errors.append(f"Line {block.line}: entry #{rank} has no title.")
            return None
        if len(title) > TITLE_MAX:
            self.errors.append(
                f"Line {block.line}: the title of entry #{rank} is {len(title)} characters "
                f"long; at most {TITLE_MAX} fit."
            )
        entry = EntryPlan(
            rank=rank,
            line=block.line,
            heading=block.text,
            title=title,
            original_title=original[:TITLE_MAX],
            year=year,
            native_title=parts.native[:TITLE_MAX],
            format=parts.format,
        )
        if same_line:
            entry.paragraphs.append(same_line)
            entry.paragraph_lines.append(block.line)
        plan.entries.append(entry)
        return entry

    def on_marked_conclusion(self, block):
        if self.marked_conclusion is not None:  # the first mark is where it starts
            return self.on_prose(block)
        if self.current is None:
            self.errors.append(f"Line {block.line}: the conclusion can only start after an entry.")
            return
        self.marked_conclusion = block
        self.part, self.tail_started = "conclusion", True
        self.plan.info(block.line, f"Line {block.line}: the conclusion starts here, as marked in the preview.")
        self.on_prose(block)

    def on_section(self, block):
        if block.data in ("conclusion", "mentions"):
            self.part, self.tail_started = "conclusion", True
            if block.data == "mentions":  # the heading says what follows: keep it
                self.plan.conclusion.append(unwrap(block.text).lstrip("#").strip())
                self.plan.place(block, "conclusion")
                return
        else:
            self.part = "sign_off"
        self.plan.place(block, "dropped", reason="section heading")

    def on_hashtags(self, block):
        tags = _HASHTAG.findall(block.text)
        known = {t.casefold() for t in self.plan.hashtags}
        for tag in tags:
            if tag.casefold() not in known:
                self.plan.hashtags.append(tag)
                known.add(tag.casefold())
        self.plan.info(block.line, f"Line {block.line}: hashtags {' '.join('#' + t for t in tags)}.")
        self.plan.place(block, "hashtags")

    def on_date(self, block):
        if self.plan.published_on is not None:  # only the first date is the list's
            self.plan.info(block.line, f"Line {block.line}: dropped a second date “{block.text}”.")
            return self.plan.place(block, "dropped", reason="a second date (the first is the list's)")
        self.plan.published_on = block.data
        self.plan.info(
            block.line, f"Line {block.line}: publication date {block.data.isoformat()} (from “{block.text}”)."
        )
        self.plan.place(block, "date")

    def on_byline(self, block):
        plan, meta = self.plan, block.data
        if meta["name"] and plan.byline:
            return self.on_prose(block)  # the list's byline comes first; a later one is someone's quote
        if meta["date"] and plan.published_on and not meta["name"]:
            return self.on_date(Block(block.line, block.text, "date", meta["date"], block.end))
        found = []
        if meta["name"]:
            plan.byline = meta["name"]
            found.append(f"byline “{meta['name']}”")
        if meta["date"] and plan.published_on is None:
            plan.published_on = meta["date"]
            found.append(f"publication date {meta['date'].isoformat()}")
        left = f"; dropped “{' | '.join(meta['rest'])}”" if meta["rest"] else ""
        plan.info(block.line, f"Line {block.line}: {' and '.join(found)} (from “{block.text}”){left}.")
        plan.place(block, "byline" if meta["name"] else "date")

    def on_thread(self, block):
        if self.current is None:
            return self.on_prose(block)
        self.part = "thread"  # readers' comments from here to the end
        self.on_furniture(Block(block.line, block.text, "furniture", THREAD, block.end))

    def on_footer(self, block):
        if self.current is None:  # "Written by Name" above the list is its byline
            meta = parse_meta_line(block.text)
            return (
                self.on_byline(Block(block.line, block.text, "byline", meta, block.end))
                if meta
                else self.on_prose(block)
            )
        self.part = "footer"  # the page after the article: author box, recommendations, copyright
        self.on_furniture(Block(block.line, block.text, "furniture", FOOTER, block.end))

    def on_facts(self, block):
        entry = self.current
        if entry is None or entry.paragraphs or self.part != "entry":
            return self.on_prose(block)
        if block.data["year"] and not entry.year:
            entry.year = block.data["year"]
        if block.data["format"] and not entry.format:
            entry.format = block.data["format"]
        self.on_furniture(Block(block.line, block.text, "furniture", FACTS, block.end))

    def on_number(self, block):
        self.on_furniture(Block(block.line, block.text, "furniture", VOTES, block.end))

    def on_furniture(self, block):
        self.plan.info(block.line, f"Line {block.line}: dropped page furniture ({block.data}) “{block.text}”.")
        self.plan.place(block, "dropped", reason=block.data)

    def on_prose(self, block):
        plan, text = self.plan, block.text
        if self.part == "sign_off" or (self.part in ("entry", "conclusion") and self._reads_as_sign_off(text)):
            if plan.sign_off:
                plan.conclusion.append(plan.sign_off)
                plan.placement(self.sign_off_line).where = "conclusion"
            plan.sign_off = text
            plan.info(block.line, f"Line {block.line}: kept “{text}” as the sign-off line.")
            plan.place(block, "sign_off")
            self.sign_off_line = block.line
        elif self.part == "intro":
            plan.intro.append(text)
            plan.place(block, "intro")
        elif self.part == "conclusion":
            plan.conclusion.append(text)
            plan.place(block, "conclusion")
        elif not self.by_order and self.current.paragraphs and _CONCLUSION_START.search(text):
            self.part, self.tail_started = "conclusion", True
            plan.conclusion.append(text)
            plan.info(block.line, f"Line {block.line}: the conclusion starts here (“{text[:40]}…”).")
            plan.place(block, "conclusion")
        else:
            self.current.paragraphs.append(text)
            self.current.paragraph_lines.append(block.line)
            plan.place(block, "entry", rank=self.current.rank)

    def _reads_as_sign_off(self, text):
        return self.current is not None and _SIGN_OFF.search(text) and len(text) <= 300 and not self.plan.sign_off


def _close_the_list(plan, reader):
    """
    The paragraphs after the last entry that are about the list rather than
    that entry (honourable mentions, a call to comment, words to the reader)
    start the conclusion. When one only might, it stays in the entry and the
    editor is asked.
    """
    if not plan.entries:
        return
    last = max(plan.entries, key=lambda e: e.line)
    title_keys = {match_key(t) for t in (last.title, last.original_title) if t}
    for k in range(1, len(last.paragraphs)):
        paragraph = last.paragraphs[k]
        mentions_entry = any(key and key in match_key(paragraph) for key in title_keys)
        line = last.paragraph_lines[k]
        if _CLOSING.search(paragraph) or (reader.by_order and _CONCLUSION_START.search(paragraph)):
            moved, lines = last.paragraphs[k:], last.paragraph_lines[k:]
            last.paragraphs, last.paragraph_lines = last.paragraphs[:k], last.paragraph_lines[:k]
            plan.conclusion[:0] = moved
            for n in lines:
                plan.placement(n).where, plan.placement(n).rank = "conclusion", None
            plan.info(
                line,
                f"Line {line}: the conclusion starts here (“{paragraph[:40]}…”): it speaks "
                "about the list, not about the last entry.",
            )
            reader.tail_started = True
            return
        if not mentions_entry and _ABOUT_THE_LIST.search(paragraph) and k == len(last.paragraphs) - 1:
            plan.warn(
                line,
                f"Line {line}: “{paragraph[:40]}…” is kept in #{last.rank} “{last.title}”; "
                "does the conclusion start here?",
                ask="conclusion",
            )
            plan.placement(line).ask = "conclusion"
            return
    if not reader.tail_started and len(last.paragraphs) > 1:
        plan.info(
            last.line, "No conclusion was recognised: the paragraphs after the last heading stay in the last entry."
        )


def _rank_by_order(plan, body):
    """Unnumbered entries take their rank from their order: 1 first, or counting down when the text says so."""
    count = len(plan.entries)
    lead = " ".join([plan.title, *plan.intro])
    first_line = plan.entries[0].line if plan.entries else 0
    if re.search(r"\b(count(ing)? ?down|countdown|from \d+ to (1|one)|in reverse order)\b", lead, re.I):
        for position, entry in enumerate(plan.entries):
            entry.rank = count - position
        plan.warn(
            first_line,
            f"The entries are not numbered and the text counts down: ranked {count}–1 by their order in the text.",
        )
    else:
        plan.warn(first_line, f"The entries are not numbered: ranked 1–{count} by their order in the text.")


def _settle_trace(plan):
    """Ranks in the trace as finally given (recovery and countdowns renumber), and each block's repairs."""
    rank_of_line = {}
    for entry in plan.entries:
        rank_of_line.setdefault(entry.line, entry.rank)  # tied films under one heading: the first one's
        for line in entry.paragraph_lines:
            rank_of_line.setdefault(line, entry.rank)
    for p in plan.trace:
        if p.where in ("heading", "entry"):
            p.rank = rank_of_line.get(p.line, p.rank)
        p.repairs = [r.message for r in plan.repairs if p.line <= r.line <= p.end_line]
    plan.trace.sort(key=lambda p: p.line)


def _set_title(plan, title):
    """The title given replaces the title line; either way the list needs one that fits."""
    if title:
        if plan.title and plan.title != title:
            plan.info(
                plan.title_line, f"Line {plan.title_line}: the title line “{plan.title}” was replaced by “{title}”."
            )
        plan.title = title.strip()
    if not plan.title:
        raise ParseError("The text has no title line: give the list a title.")
    if len(plan.title) > TITLE_MAX:
        raise ParseError(
            f"Line {plan.title_line or 1}: the title is {len(plan.title)} characters long; at most {TITLE_MAX} fit."
        )


def _numbered(text, md):
    """A numbered heading's {num, rest, dash, sig, tie}, or None. `sig` is its shape, for telling entries by repetition."""
    wrapped = ""
    bold = _BOLD_BEFORE_YEAR.match(text)
    if bold and bold["after"]:  # "**1. A Silent Voice** (2016)": the emphasis closes before the year
        text, wrapped = bold["inner"] + bold["after"], "emphasis"
    core = unwrap(text)
    if core != text:
        wrapped = "emphasis"
    m = _NUMBERED.match(core)
    if not m or _HASHTAGS.match(core):
        return None
    rest = m["rest"].strip()
    if m["space"] is not None:
        # "10 ‘Title’ (2019)" is a heading; "3 min read", "26 episodes" or a sentence is not.
        if _UNIT.match(rest) or not (_title_like(rest) or rest[:1] in "‘“\"'«「『"):
            return None
    elif not (m["dash"] or len(rest) <= TITLE_MAX + 20 or md or m["md"]):
        return None  # "2016. It was a year…": a long sentence
    separator = m["punct"] or ("dash" if m["dash"] else "space")
    level = len(md["level"]) if md else (len(m["md"].strip()) if m["md"] else 0)
    sig = (level, wrapped, bool(m["hash"]), separator)
    return {"num": int(m["num"]), "rest": rest, "dash": bool(m["dash"]), "sig": sig, "tie": bool(m["tie"] or m["eq"])}


def _classify(block):
    text = block.text
    md = _MD_HEADING.match(text)
    core = unwrap(md["text"].strip() if md else text)
    if _HASHTAGS.match(text):
        return "hashtags", None
    numbered = _numbered(md["text"].strip() if md else text, md)
    if numbered and len(core) <= 40 and parse_date(core):
        numbered = None  # "22 June 2024", "3. März 2024": a date, not rank 22 or 3
    if numbered:
        return "numbered", numbered
    if (bare_number := _BARE_NUMBER.match(core)) and not md:
        return "number", {"num": int(bare_number["num"])}
    bare = core.casefold().rstrip(":").strip()
    if bare in _SECTION and len(text) < 60:
        return "section", _SECTION[bare]
    if re.match(r"^level \d+\b", text, re.I):
        return "thread", None  # a comment thread as Reddit prints it
    if md:
        return "heading", {"level": len(md["level"]), "text": core}
    if len(text) <= 200:
        if lexicon.FOOTER_START.match(core):
            return "footer", None
        meta = parse_meta_line(text)
        if meta and meta["name"]:
            return "byline", meta
        if meta and meta["date"]:
            return ("date", meta["date"]) if not meta["rest"] else ("byline", meta)
        flat = core.strip(" -–—↑↓←→⬆︎^")
        for reason, pattern in _FURNITURE:
            if pattern.match(flat):
                return "furniture", reason
        if facts := _facts(core):
            return "facts", facts
    if core != text and _title_like(core) and len(core) <= TITLE_MAX:
        return "heading", {"level": 0, "text": core}  # a line in emphasis and nothing else
    return "prose", None


_FORMAT_WORDS = [
    ("ova", r"\bOVA\b|\bOAV\b|original video animation"),
    ("special", r"\bTV special\b"),
    ("tv", r"\bTV( series| anime)?\b|\bseries\b|\bsérie\b|\bserie\b|テレビアニメ|TVアニメ"),
    ("compilation", r"\bcompilation film\b"),
    ("short", r"\bshort( film)?\b|\bcourt[- ]métrage\b|\bcortometraje\b|\bkurzfilm\b"),
    ("feature", r"\b(feature )?film\b|\bmovie\b|\blong[- ]métrage\b|\bpelícula\b|\bspielfilm\b|劇場版|映画"),
]
_YEAR = r"(?:19|20)\d{2}"
_FACT_PART = re.compile(
    rf"^(?:{_YEAR}(?:\s*[–—-]\s*(?:\d{{2}}|{_YEAR}|present))?|\d+\s*(?:episodes?|eps?\.?|épisodes?|episodios?|folgen|話)|"
    r"\d+\s*h(?:\s*\d+\s*m(?:in)?)?|\d+\s*m(?:in(?:utes?)?)?|\d+\s*minutes?|not rated|unrated|pg(?:-13)?|r|g|nc-17|"
    r"tv-(?:y7?|g|pg|14|ma)|\d+\+|"
    r"ova|oav|ona|tv|tv series|tv anime|series|film|movie|feature film|short film|tv special|special|"
    r"série(?: tv)?|serie(?: de tv)?|película|long[- ]métrage|spielfilm|serie)$",
    re.I,
)


def _facts(text):
    """A facts line ("TV series · 1995–96 · 26 episodes", "1988 · 1h 29m · Not Rated") → {year, format}, or None."""
    parts = [p.strip() for p in re.split(r"\s*[·•|,]\s*", text) if p.strip()]
    if len(parts) < 2 or not all(_FACT_PART.match(p) for p in parts):
        return None
    year = next((int(m[0]) for p in parts if (m := re.match(_YEAR, p))), None)
    fmt = next((kind for kind, words in _FORMAT_WORDS if any(re.search(words, p, re.I) for p in parts)), "")
    if not fmt and any(re.search(r"episod|folgen|話", p, re.I) for p in parts):
        fmt = "tv"
    return {"year": year, "format": fmt} if year or fmt else None


def _is_chrome(paragraph):
    """A paragraph that is site chrome (a share row, a credit, a rating) rather than anyone's words."""
    return len(paragraph) <= 200 and _classify(Block(0, paragraph))[0] == "furniture"


def _lead_title(paragraph):
    m = _QUOTED_LEAD.match(paragraph)
    return m.group(1).strip() if m else None


def _check_ranks(plan):
    """Shared ranks and ranks below 1 are refused; a gap is recovered when the text allows it, else reported."""
    by_rank = ranks_held(plan.entries, rank=lambda e: e.rank)
    errors = [
        rank_shared(rank, [e.title for e in group], lines=[e.line for e in group])
        for rank, group in by_rank
        if len(group) > 1
    ]
    errors += [rank_below_one(rank, line=group[0].line) for rank, group in by_rank if rank < 1]
    if errors:
        raise ParseError(errors)

    ranks = [e.rank for e in plan.entries]
    countdown = len(ranks) > 1 and all(a > b for a, b in zip(ranks, ranks[1:]))
    if countdown:
        plan.info(
            plan.entries[0].line,
            f"A countdown from #{ranks[0]} to #{ranks[-1]}: each entry keeps its number as its rank.",
        )
    elif any(a > b for a, b in zip(ranks, ranks[1:])):
        plan.warn(0, "The entries are numbered out of order; each keeps its number as its rank.")

    _recover_missing(plan, countdown=countdown)


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
            rank=missing,
            line=line,
            heading="",
            title=lead,
            paragraphs=e.paragraphs[found:],
            paragraph_lines=e.paragraph_lines[found:],
            recovered=True,
        )
        e.paragraphs, e.paragraph_lines = e.paragraphs[:found], e.paragraph_lines[:found]
        plan.entries.append(recovered)
        held.add(missing)
        plan.warn(
            line,
            f"Line {line}: #{missing} had no heading: recovered “{lead}” from the paragraph that opens like the "
            f"other entries, after #{e.rank}. Check its title.",
        )


def _entries_open_with_quoted_title(plan):
    """Whether most entries' first paragraph opens with the entry's title in quotes; recovery trusts only that."""
    shaped = sum(
        1
        for e in plan.entries
        if e.paragraphs and (t := _lead_title(e.paragraphs[0])) and match_key(t) == match_key(e.title)
    )
    return shaped * 2 > len(plan.entries)


def _recovered_paragraph(entry):
    """The index of a later paragraph of `entry` that opens like an entry about another film, or None."""
    for k, paragraph in enumerate(entry.paragraphs[1:], start=1):
        lead = _lead_title(paragraph)
        if (
            lead
            and match_key(lead) != match_key(entry.title)
            and re.search(r"\b(directed by|is a|is an)\b", paragraph[: len(lead) + 80])
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
        plan.byline = data.get("byline", "")
        plan.intro = list(data.get("intro", []))
        plan.conclusion = list(data.get("conclusion", []))
        plan.sign_off = data.get("sign_off", "")
        plan.hashtags = list(data.get("hashtags", []))
        plan.published_on = datetime.date.fromisoformat(data["published_on"]) if data.get("published_on") else None
        for e in data["entries"]:
            film = e.get("film") or {}
            plan.entries.append(
                EntryPlan(
                    rank=int(e["rank"]),
                    line=0,
                    heading=e.get("heading", ""),
                    title=film.get("title") or e["heading"],
                    original_title=film.get("romanized_title", ""),
                    year=film.get("year"),
                    paragraphs=list(e.get("paragraphs", [])),
                )
            )
    except (ValueError, KeyError, TypeError) as e:
        raise ParseError(f"This looks like JSON but not like an exported list: {e}.") from None
    if not plan.entries:
        raise ParseError("No entries found in the JSON.")
    if len(plan.title) > TITLE_MAX:
        raise ParseError(f"The title is {len(plan.title)} characters long; at most {TITLE_MAX} fit.")
    _check_ranks(plan)
    return plan
