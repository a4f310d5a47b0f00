"""
How faithfully the importer reads a text, against what a person expects.

A corpus is a folder of listicles, each next to a `.json` of what it should
become: title, byline, date, hashtags, each entry's rank, title, original
title, year and the first words of its paragraphs, the intro, the
conclusion and the lines dropped with their reasons. `summary` makes that
shape from a Plan, `score` compares the two; `manage.py importer_report`
and the corpus tests both use them.
"""

from dataclasses import dataclass
from pathlib import Path

from .parse import parse
from .repair import decode_report

WORDS = 4  # a paragraph is known by its first words


def first_words(text):
    return " ".join(text.split()[:WORDS])


def summary(plan):
    return {
        "title": plan.title,
        "byline": plan.byline,
        "date": plan.published_on.isoformat() if plan.published_on else None,
        "hashtags": plan.hashtags,
        "intro": [first_words(p) for p in plan.intro],
        "entries": [_entry(e) for e in plan.entries],
        "conclusion": [first_words(p) for p in plan.conclusion],
        "sign_off": first_words(plan.sign_off),
        "dropped": [{"line": p.line, "reason": p.reason} for p in plan.dropped],
        "ask": [n.line for n in plan.notes if n.ask],
    }


def _entry(e):
    out = {"rank": e.rank, "title": e.title, "original_title": e.original_title, "year": e.year}
    # Only where the text gives them, so that a list of films reads as it always did.
    if e.native_title:
        out["native_title"] = e.native_title
    if e.format:
        out["format"] = e.format
    out["paragraphs"] = [first_words(p) for p in e.paragraphs]
    return out


def expected(path):
    """
    The expected summary beside a corpus text, and what else it asks: the
    notes the report must make ("5 and 6 were tied in the source"). Its
    "about" says where the text's shape comes from.
    """
    import json

    data = json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))
    data.pop("about", None)
    return data, data.pop("notes", [])


def read(path):
    """A corpus text's Plan, decoded as an upload would be (its decoding reported in the repairs)."""
    text, _ = decode_report(Path(path).read_bytes())
    return parse(text)


def corpus(folder):
    """(text path, expected summary path) for each text in `folder` that has an expected result."""
    for path in sorted(Path(folder).iterdir()):
        expected = path.with_suffix(".json")
        if path.suffix in (".txt", ".md", ".html") and expected.exists():
            yield path, expected


@dataclass
class Score:
    entries_exact: bool  # every rank and title (and original title and year) as expected
    title_parts_right: int  # entries whose titles in each script, year and format are all as expected
    title_parts: int
    paragraphs_right: int  # paragraphs found in the part (intro, entry N, conclusion) they belong to
    paragraphs: int
    dropped_right: int  # expected dropped lines that were dropped, for the expected reason
    dropped: int
    date_found: bool | None  # None when the text has no date
    byline_found: bool | None  # None when the text has no byline


def score(got, expected):
    def parts(s):
        out = [("intro", p) for p in s["intro"]] + [("conclusion", p) for p in s["conclusion"]]
        for e in s["entries"]:
            out += [(e["rank"], p) for p in e["paragraphs"]]
        return out

    heads = lambda s: [(e["rank"], e["title"], e["original_title"], e["year"]) for e in s["entries"]]  # noqa: E731
    mine, want = parts(got), parts(expected)

    def title_parts(e):
        return (
            e["rank"],
            e["title"],
            e["original_title"],
            e.get("native_title", ""),
            e["year"],
            e.get("format", ""),
        )

    found_parts = {title_parts(e) for e in got["entries"]}
    dropped = {(d["line"], d["reason"]) for d in got["dropped"]}
    return Score(
        entries_exact=heads(got) == heads(expected),
        title_parts_right=sum(1 for e in expected["entries"] if title_parts(e) in found_parts),
        title_parts=len(expected["entries"]),
        paragraphs_right=sum(1 for p in want if p in mine),
        paragraphs=len(want),
        dropped_right=sum(1 for d in expected["dropped"] if (d["line"], d["reason"]) in dropped),
        dropped=len(expected["dropped"]),
        date_found=None if expected["date"] is None else got["date"] == expected["date"],
        byline_found=None if not expected["byline"] else got["byline"] == expected["byline"],
    )
