"""
What the page cache keeps, and when it is still true.

Three kinds of value live in the configured cache, shared by every worker and
machine:

- the **clock**: one counter that moves on every change readers could see.
  A request notes it before it reads a single row (its *start*);
- a **stamp** per key (`list:42`, `film:7`, `home` …): the clock at the last
  change to what that key names;
- **entries** (pages, fragments, shared values), each stored with the keys it
  was built from and the start of the request that built it.

An entry is true while none of its keys has changed since its start: every
stamp is at most the entry's start. A change that commits while a page is
being rendered from the old rows stamps its keys above that page's start, so
the page is born retired; a page started after the commit reads the new rows.
A stamp that is missing (never set, evicted, flushed) counts as changed: the
entry misses once and the stamp is set again at the clock as it stands.

This is key-based expiry (as Rails' cache keys and Fastly's surrogate keys
do it) with versions read in bulk: one multi-get of the entry's stamps, no
list of pages per key to keep or prune, and nothing is ever deleted; old
entries are overwritten or age out.
"""

import logging
import time

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

CLOCK = "pc:clock"
STAMP = "pc:stamp:"
# Every entry is built on this key too: retiring it retires everything (a
# restore, a bulk load that sends no signals).
EVERYTHING = "everything"

logger = logging.getLogger("pagecache")


def enabled():
    """False with Django's dummy cache (a bench's "rendered from scratch"): nothing is kept, so nothing to retire."""
    return not isinstance(caches["default"], DummyCache)


def stamp_key(key):
    return STAMP + key


class SharedStamps:
    """The clock and stamps in the configured cache (Redis): one place for every worker and machine."""

    def get(self, name):
        return cache.get(name)

    def get_many(self, names):
        return cache.get_many(names)

    def add(self, name, value):
        cache.add(name, value, timeout=None)

    def set_many(self, mapping):
        cache.set_many(mapping, timeout=None)

    def incr(self, name):
        return cache.incr(name)


class ProcessStamps(SharedStamps):
    """
    With local memory the cache is this process's alone, and so are its
    stamps: a dict, read without the locks and pickling of Django's local
    memory backend (a list page carries about a hundred keys; a hit checks
    them all). Cleared with `forget()`.
    """

    def __init__(self):
        self.values = {}

    def get(self, name):
        return self.values.get(name)

    def get_many(self, names):
        values = self.values
        return {name: values[name] for name in names if name in values}

    def add(self, name, value):
        self.values.setdefault(name, value)

    def set_many(self, mapping):
        self.values.update(mapping)

    def incr(self, name):
        if name not in self.values:
            raise ValueError(name)
        self.values[name] += 1
        return self.values[name]


_process_stamps = ProcessStamps()


def stamps():
    return _process_stamps if isinstance(caches["default"], LocMemCache) else SharedStamps()


def forget():
    """Local memory only: drop this process's stamps, as cache.clear() drops its pages (tests)."""
    _process_stamps.values.clear()


def clock(where=None):
    """
    The clock as it stands, started when it is missing (above any value handed
    out before): microseconds since the epoch, which a Lua number (a double,
    as django-redis's INCRBY script returns it) holds exactly; nanoseconds
    would not.
    """
    where = where or stamps()
    value = where.get(CLOCK)
    if value is None:
        where.add(CLOCK, time.time_ns() // 1000)
        value = where.get(CLOCK)
    return value


def read(name):
    """
    A request's first look: (the clock, the entry stored under `name` or
    None), in one round trip on Redis. The clock is None while the cache is
    unreachable; then nothing is read or stored.
    """
    where = stamps()
    if isinstance(where, ProcessStamps):
        return clock(where), cache.get(name)
    found = cache.get_many([CLOCK, name])
    start = found.get(CLOCK)
    return (start if start is not None else clock(where)), found.get(name)


def fresh(entry_start, keys, clock_now=None):
    """
    Whether nothing named by `keys` has changed since `entry_start` (one
    multi-get). When the clock has not moved since the entry was built
    (`clock_now`, read by this request), nothing at all has changed: no need
    to look at the keys.
    """
    if clock_now is not None and clock_now <= entry_start:
        return True
    names = [stamp_key(k) for k in (EVERYTHING, *keys)]
    found = stamps().get_many(names)
    if len(found) < len(names):
        return False
    return max(found.values()) <= entry_start


def adopt(keys):
    """Give keys that have no stamp yet the clock as it stands, so the next entry built on them can be kept."""
    where = stamps()
    names = [stamp_key(k) for k in keys]
    found = where.get_many(names)
    missing = [n for n in names if n not in found]
    if missing:
        now = clock(where)
        for name in missing:
            where.add(name, now)


def retire(keys):
    """
    Move the clock and stamp `keys` with it: every entry built on one of them
    before now is no longer true. Raises when the cache cannot be reached, so
    that the caller can keep the change and try again (pagecache.invalidation).
    """
    keys = sorted(set(keys))
    if not keys or not enabled():
        return None
    where = stamps()
    try:
        now = where.incr(CLOCK)
    except ValueError:  # the clock is gone (evicted, flushed): start it above every old value
        where.add(CLOCK, time.time_ns() // 1000)
        now = where.incr(CLOCK)
    if not now:  # a cache that swallows its errors (django-redis IGNORE_EXCEPTIONS) answers None
        raise ConnectionError("the cache did not answer")
    named = {stamp_key(k): now for k in keys}
    where.set_many(named)
    # Read back: a cache that swallows its errors answers a failed write as a
    # success, and a stamp that did not land would leave pages stale.
    landed = where.get_many(list(named))
    if any(landed.get(name, 0) < now for name in named):
        raise ConnectionError(f"the cache kept {sum(landed.get(n, 0) >= now for n in named)} of {len(named)} stamps")
    return now


def get(name, clock_now=None):
    """(start, keys, value) stored under `name` while none of its keys has changed since it was built, else None."""
    entry = cache.get(name)
    if entry is None:
        return None
    entry_start, keys, value, bound = entry
    if bound is not None and timezone.now().timestamp() >= bound:
        return None  # it lists lists, and a scheduled one has gone live since
    if not fresh(entry_start, keys, clock_now):
        return None
    return entry_start, keys, value


def put(name, start, keys, value, timeout, bound=None):
    """Keep `value`, built by a request started at `start` from `keys`; no later than `bound` (a Unix time) if given."""
    keys = tuple(sorted(set(keys)))
    adopt((EVERYTHING, *keys))
    cache.set(name, (start, keys, value, bound), timeout)
