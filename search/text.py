"""Folding, query parsing and highlighting shared by both search engines."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Control characters never found in editors' text mark highlighted words in
# engine output, so the text can be escaped first and marked up after.
MARK_START, MARK_END = "\x02", "\x03"


def fold(text):
    """Case- and accent-folded text that keeps its spaces: "Ōima Yoshitoki" -> "oima yoshitoki"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def split_camel(tag):
    """ "SadAnime" -> "SadAnime Sad Anime", so a hashtag is found by its words."""
    words = _CAMEL.sub(" ", tag)
    return tag if words == tag else f"{tag} {words}"


def clean_query(raw):
    """The query as typed, trimmed to the length cap (what the page echoes back)."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def query_terms(raw):
    """
    The words of a query, folded; punctuation, quotes and engine operators
    are dropped because only runs of letters and digits survive. Short words
    are kept: "kimi no na wa" needs its "no" and "wa".
    """
    terms = _WORD.findall(fold(clean_query(raw)).replace("_", " "))
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def marked_to_html(text):
    """Engine output with MARK_START/MARK_END around hits -> safe HTML with <mark>."""
    html = escape(text or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # only our own tags are unescaped


def completes_last_term(terms):
    """
    Whether the last word is also matched as a prefix, as if still being typed
    ("shin" finds Shinkai). Not for one- or two-letter words: "wa" in
    "kimi no na wa" would otherwise match "watch", "was" and "war".
    """
    return len(terms[-1]) >= 3


def term_matches(word, terms):
    """As the engines match: every term whole, the last one also as a prefix when it completes."""
    folded = fold(word)
    return bool(terms) and (folded in terms or (completes_last_term(terms) and folded.startswith(terms[-1])))


def mark_terms(text, terms):
    """Wrap every word of `text` that a term matches in MARK_START/MARK_END."""
    if not terms:
        return text

    def repl(match):
        word = match.group(0)
        return f"{MARK_START}{word}{MARK_END}" if term_matches(word, terms) else word

    return _WORD.sub(repl, text)


def snippet(text, terms, *, words=28):
    """About `words` words of `text` around its first hit, hits marked (for PostgreSQL)."""
    tokens = (text or "").split()
    if not tokens:
        return ""
    first = next(
        (i for i, tok in enumerate(tokens) if any(term_matches(w, terms) for w in _WORD.findall(tok))),
        0,
    )
    start = max(0, first - words // 3)
    piece = " ".join(tokens[start : start + words])
    return ("…" if start else "") + mark_terms(piece, terms) + ("…" if start + words < len(tokens) else "")
