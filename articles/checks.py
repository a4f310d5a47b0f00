"""
Editorial checks for a ranked list: the things an editor wants pointed out
before publishing, not refused. They run on a saved article: on its admin
page, in the export, and in the import report (an import writes the article
first; its preview is then rolled back).
"""

import re

from articles.importer.repair import suspected_mojibake

from .ranking import missing_ranks, ranks_missing

_TOP_N = re.compile(r"\b(?:top|best)\s+(\d{1,3})\b|^(\d{1,3})\s+\w", re.IGNORECASE)
_FILM_LIST = re.compile(r"\b(movies?|films?)\b", re.IGNORECASE)


def article_checks(article):
    """The editorial checks for a saved `article`, as messages (strings)."""
    entries = list(article.entries.select_related("film").order_by("rank"))
    hashtags = list(article.hashtags.all()) if article.pk else []
    messages = list(_count_promised(article.title or "", entries))
    # One film per list is a database constraint, so a saved list cannot
    # repeat a film; it can have gaps (an entry deleted outside the services).
    gaps = missing_ranks(e.rank for e in entries)
    if gaps:
        messages.append(ranks_missing(gaps))
    messages += _series_among_films(article.title or "", entries)
    messages += _mojibake(article, entries)
    messages += [f"#{e.rank} “{e.display_title}” has no write-up." for e in entries if not (e.write_up or "").strip()]
    if not hashtags:
        messages.append("The list has no hashtags.")
    return messages


def _count_promised(title, entries):
    m = _TOP_N.search(title)
    promised = int(m.group(1) or m.group(2)) if m else len(entries)
    if promised != len(entries):
        yield (
            f"The title promises {promised} but the list has {len(entries)} "
            f"{'entry' if len(entries) == 1 else 'entries'}."
        )


def _series_among_films(title, entries):
    m = _FILM_LIST.search(title)
    if m:
        noun = m.group(1).lower()
        for e in entries:
            if e.film.is_series:
                yield f"#{e.rank} “{e.display_title}” is a {e.film.get_format_display()}, in a list of {noun}."


def _mojibake(article, entries):
    texts = [
        ("The title", article.title),
        ("The standfirst", article.dek),
        ("The intro", article.intro),
        ("The conclusion", article.conclusion),
        ("The sign-off", article.sign_off),
    ]
    for where, text in [*texts, *((f"#{e.rank}", e.write_up) for e in entries)]:
        hits = suspected_mojibake(text)
        if hits:
            yield f"{where}: suspected mojibake left in the text: {', '.join(dict.fromkeys(hits))}."
