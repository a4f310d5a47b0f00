"""
Editorial checks for a ranked list: the things an editor wants pointed out
before publishing, not refused. The same checks run on a saved article (its
admin page, the export) and on an import plan (the import report), over one
neutral shape, `CheckedEntry`.
"""

import re
from dataclasses import dataclass

from articles.importer.repair import suspected_mojibake

_TOP_N = re.compile(r"\b(?:top|best)\s+(\d{1,3})\b|^(\d{1,3})\s+\w", re.IGNORECASE)
_FILM_LIST = re.compile(r"\b(movies?|films?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedEntry:
    rank: int
    label: str
    film_key: object  # the film's pk, or a stand-in for a film not saved yet
    is_series: bool
    format_label: str
    write_up: str


def run_checks(*, title, entries, texts, hashtags):
    """Messages (strings) about `entries` (CheckedEntry) and the list's `texts`."""
    messages = []
    entries = sorted(entries, key=lambda e: e.rank)

    m = _TOP_N.search(title or "")
    if m:
        promised = int(m.group(1) or m.group(2))
        if promised != len(entries):
            messages.append(
                f"The title promises {promised} but the list has {len(entries)} "
                f"{'entry' if len(entries) == 1 else 'entries'}."
            )

    seen = {}
    for e in entries:
        if e.film_key in seen:
            messages.append(f"“{e.label}” is in the list twice: #{seen[e.film_key]} and #{e.rank}.")
        else:
            seen[e.film_key] = e.rank

    ranks = [e.rank for e in entries]
    gaps = [r for r in range(1, (max(ranks) if ranks else 0) + 1) if r not in ranks]
    if gaps:
        messages.append(f"Ranks {', '.join(map(str, gaps))} are missing.")

    if _FILM_LIST.search(title or ""):
        noun = _FILM_LIST.search(title).group(1).lower()
        for e in entries:
            if e.is_series:
                messages.append(f"#{e.rank} “{e.label}” is a {e.format_label}, in a list of {noun}.")

    for where, text in [*texts, *((f"#{e.rank}", e.write_up) for e in entries)]:
        hits = suspected_mojibake(text)
        if hits:
            messages.append(f"{where}: suspected mojibake left in the text: {', '.join(dict.fromkeys(hits))}.")

    for e in entries:
        if not (e.write_up or "").strip():
            messages.append(f"#{e.rank} “{e.label}” has no write-up.")

    if not hashtags:
        messages.append("The list has no hashtags.")
    return messages


def article_checks(article):
    """The editorial checks for a saved `article`."""
    entries = [
        CheckedEntry(
            rank=e.rank, label=e.display_title, film_key=e.film_id, is_series=e.film.is_series,
            format_label=e.film.get_format_display(), write_up=e.write_up,
        )
        for e in article.entries.select_related("film").order_by("rank")
    ]
    texts = [("The title", article.title), ("The standfirst", article.dek), ("The intro", article.intro),
             ("The conclusion", article.conclusion), ("The sign-off", article.sign_off)]
    return run_checks(
        title=article.title, entries=entries, texts=texts,
        hashtags=list(article.hashtags.all()) if article.pk else [],
    )
