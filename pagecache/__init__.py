"""
The readers' page cache: pages that know what they show.

    pagecache.track(Model, key="list", keys=...)   # from an app's ready(): what readers see
    pagecache.shows(article, "archive")            # from a view: what this page shows
    pagecache.changed("comments:42")               # a change no model signal reports
    pagecache.shared("article:slug", compute)      # a value kept with the keys it showed

See store.py for when a kept page is still true, invalidation.py for what a
change retires, middleware.py for the HTTP side.
"""

from .invalidation import (
    Change,
    changed,
    expand,
    expansion,
    key_of,
    track,
    track_relation,
)
from .reading import collect, shared, shows

__all__ = [
    "Change",
    "changed",
    "collect",
    "expand",
    "expansion",
    "key_of",
    "shared",
    "shows",
    "track",
    "track_relation",
]
