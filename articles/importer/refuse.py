"""
What the importer refuses to write, however the text was read.

A reading can come out wrong in ways no single rule of the reader sees: a
counter taken for a rank leaves a "film" called "2k", a lost heading leaves
a rank gap, a page of HTML read as text leaves tags in every paragraph.
`refusals(plan)` looks at the finished Plan as an editor would and returns
an error for each such thing, naming the line and the fix. An import with
errors writes nothing; the admin's preview shows them and offers no Confirm
until the editor's marks (or an edited text) make them go away.
"""

import re

from core.text import match_key

from ..ranking import missing_ranks, ranks_missing

# A "title" that is a count, a score or a reading time: what a counter taken for a rank leaves behind.
_COUNTER = re.compile(
    r"^[#=~≈]?\d[\d.,\s]*(?:[kKmM]\+?|%|/\s*\d+|\s*\(\s*[\d.,]+\s*[kKmM]?\s*\))?"
    r"(?:\s*(?:stars?|votes?|points?|pts|claps?|likes?|comments?|replies|views?|members|ratings?|reviews?|"
    r"fans|followers|min(?:ute)?s?(?:\s+read)?|h(?:ours?)?|episodes?|eps?\.?|upvotes?|shares?|reactions?))?$",
    re.I,
)
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|org|net|io|co|jp|fr|de|es)(?:/\S*)?$", re.I)
_HTML = re.compile(
    r"<(?:p|div|h[1-6]|ol|ul|li|br|figure|img|a\s|span|strong|em)\b[^>]*>|</(?:p|div|h[1-6]|li)>|<!--\s*/?wp:", re.I
)
# "Top 10", "The 10 Best", "10 Best", "10 Saddest", "Our 25 favourite films", "Les 10 meilleurs …".
_PROMISE = re.compile(
    r"\b(?:top|best|greatest)\s+(?P<a>\d{1,3})\b|"
    r"^(?:the|our|my|les|los|las|die|el|la)?\s*(?P<b>\d{1,3})\s+(?!(?:min|minutes|years?|days?|hours?|episodes?)\b)"
    r"(?:[\w’'-]+\s+){0,3}?(?:[\w-]+est|best|greatest|favou?rites?|essential|must-see|films?|movies?|anime|shows?|series|"
    r"picks?|meilleurs?|meilleures?|films|mejores|besten|películas|animes?)\b",
    re.I,
)


def what_title_is(title):
    """Why `title` cannot be a film's title ("only digits", "a counter" …), or "" when it can be."""
    bare = title.strip().strip("\"“”‘’'*_").strip()
    if not bare:
        return "empty"
    if re.fullmatch(r"[\d\s.,:/()#=-]+", bare):
        return "only digits"
    if len(match_key(bare)) <= 1 and len(bare) <= 3:
        return "a single character"
    if _COUNTER.match(bare):
        return "a counter (a score, a count or a reading time)"
    if _URL.match(bare):
        return "a web address"
    return ""


def promised_count(title):
    """The number of entries a title promises ("Top 10 …", "The 10 Best …"), or None."""
    m = _PROMISE.search(title or "")
    return int(m["a"] or m["b"]) if m else None


def html_line(plan):
    """The first kept block that holds HTML markup, or None."""
    for p in plan.trace:
        if p.where != "dropped" and _HTML.search(p.text):
            return p
    return None


def refusals(plan, *, chrome=lambda text: False):
    """(line, message) for every reason not to write `plan`; `chrome(paragraph)` says a paragraph is site chrome."""
    out = []
    html = html_line(plan)
    if html is not None:
        tag = _HTML.search(html.text).group(0)
        out.append(
            (
                html.line,
                f"Line {html.line}: this is HTML (“{tag}”) read as plain text. Upload it as an .html "
                "file, or paste the page as it reads in a browser rather than its source.",
            )
        )
    for entry in plan.entries:
        what = what_title_is(entry.title)
        if what in ("only digits", "a single character") and (entry.year or entry.original_title):
            what = ""  # "1917 (2019)", "M (Fritz Lang, 1931)": a heading with a year is a film's, however short
        if what:
            out.append(
                (
                    entry.line,
                    f"Line {entry.line}: #{entry.rank}’s film title “{entry.title}” is {what}, not a "
                    "film’s title: a number on this line was taken for a rank. Mark the line that "
                    "names the film as a heading, or this line as furniture.",
                )
            )
        if not entry.paragraphs and not entry.tied:  # a tie's write-up is under the first of the tied films
            out.append(
                (
                    entry.line,
                    f"Line {entry.line}: #{entry.rank} “{entry.title}” has no write-up. Check that its "
                    "paragraphs were not read as another heading; mark the real heading, or write "
                    "one paragraph for it.",
                )
            )
        elif entry.paragraphs and all(chrome(p) for p in entry.paragraphs):
            out.append(
                (
                    entry.line,
                    f"Line {entry.line}: #{entry.rank} “{entry.title}”’s write-up is only page furniture "
                    f"(“{entry.paragraphs[0][:50]}”). Mark those lines as furniture and check the "
                    "entry’s heading.",
                )
            )
    gaps = missing_ranks(e.rank for e in plan.entries)
    if gaps:
        first = plan.entries[0].line if plan.entries else 0
        out.append(
            (
                first,
                f"{ranks_missing(gaps, in_text=True)} Mark the missing entry’s heading as a heading "
                "in the preview, or correct the numbers in the text.",
            )
        )
    promised = promised_count(plan.title)
    if promised is not None and plan.entries and promised != len(plan.entries):
        out.append(
            (
                plan.title_line,
                f"Line {plan.title_line}: the title “{plan.title}” promises {promised} entries "
                f"but {len(plan.entries)} were found. Mark a missed heading as a heading, mark "
                "an entry that is not one as furniture or conclusion, or correct the title.",
            )
        )
    return out
