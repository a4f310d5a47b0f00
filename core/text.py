"""Small text helpers shared by the catalogue, the lists and the importer."""

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def match_key(text):
    """
    The form of a title used for matching: case, accents, punctuation and
    spacing ignored. "Your Name." / "your name" / "YOUR NAME" give one key, and
    so do "Ōima" and "Oima".
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub("", stripped.casefold())


def normalize_tag_name(name):
    """Trim and collapse inner whitespace: " Bitter  sweet " -> "Bitter sweet"."""
    return " ".join((name or "").split())
