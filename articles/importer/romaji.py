"""
Romanised Japanese is spelled several ways: a long o as ō, ou, oo or oh
(Shōjo, Shoujo, Shojo), a long e as ē or ei, the particle を as wo or o.
The catalogue keeps titles as an editor typed them, so matching a heading
against it tries the heading's spellings: `romanisation_variants` gives
them, and the catalogue's own keys (case, accents and punctuation left out)
do the rest.
"""

import itertools
import re

from core.text import match_key

MAX_VARIANTS = 48
# A long vowel in any of its spellings, and the particle "wo" as a word.
_LONG = re.compile(r"ō|ou|oo|oh(?![aeiouy])|ū|uu|ē|ei|ā|aa|\bwo\b|(?<=\s)o(?=\s)", re.I)
_SPELLINGS = {
    "o": ["o", "ou", "oo", "oh"],
    "u": ["u", "uu"],
    "e": ["e", "ei"],
    "a": ["a", "aa"],
    "wo": ["wo", "o"],
}
_BASE = {
    "ō": "o",
    "ou": "o",
    "oo": "o",
    "oh": "o",
    "ū": "u",
    "uu": "u",
    "ē": "e",
    "ei": "e",
    "ā": "a",
    "aa": "a",
    "wo": "wo",
}


def folded(title):
    """One spelling for all: every long vowel short, the particle "wo" as "o" ("Mimi o Sumaseba", "shojo")."""
    return match_key(_LONG.sub(lambda m: "o" if m[0].lower() in ("wo", "o") else _BASE[m[0].lower()], title))


def romanisation_variants(title):
    """The other spellings of a romanised title, at most MAX_VARIANTS, the title's own first."""
    if not title or not re.search(r"[A-Za-zāēīōū]", title):
        return [title] if title else []
    pieces, slots = [], []
    last = 0
    for m in _LONG.finditer(title):
        pieces.append(title[last : m.start()])
        particle = m[0].lower() in ("wo", "o")  # "o" alone can only be the particle: a long vowel is two letters
        slots.append(_SPELLINGS["wo"] if particle else _SPELLINGS[_BASE[m[0].lower()]])
        last = m.end()
    pieces.append(title[last:])
    if not slots:
        return [title]
    out = [title]
    for choice in itertools.product(*slots):
        text = "".join(p + c for p, c in zip(pieces, choice)) + pieces[-1]
        if text not in out:
            out.append(text)
        if len(out) >= MAX_VARIANTS:
            break
    return out
