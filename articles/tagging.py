"""How editors type hashtags: `#SadAnime #RomanceAnime`, commas or spaces, # optional."""

import re

_SEPARATORS = re.compile(r"[\s,]+")
_HAS_WORD = re.compile(r"\w")


def parse_hashtags(text):
    """
    "#SadAnime, #RomanceAnime AnimeMovies" -> ["SadAnime", "RomanceAnime", "AnimeMovies"].
    The # is dropped, repeats (in any case) are kept once, and tokens with no
    letter or digit ("#", "❤️") are ignored: they could never have an address.
    """
    names, seen = [], set()
    for token in _SEPARATORS.split(text or ""):
        name = token.strip().lstrip("#").strip()
        if _HAS_WORD.search(name) and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def hashtags_to_string(tags):
    return " ".join(f"#{tag.name}" for tag in tags)
