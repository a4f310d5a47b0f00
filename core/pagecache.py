"""
The page cache's two shared facts, kept in the configured cache so that every
worker and machine agrees on them:

- the content generation: one site-wide counter that every change readers
  could see bumps. Cached pages are stored under it, so a bump makes them all
  miss at once (nothing is deleted; old keys age out);
- the next scheduled publish: the earliest `published_at` still to come. No
  cached page outlives it, so a scheduled list appears at its time without a
  job running.

This module only reads and writes those two values; the middleware that uses
them is magazine/pagecache.py, the signals that bump them magazine/apps.py.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "pagecache:generation"
NEXT_PUBLISH_KEY = "pagecache:next-publish"
# Stored when nothing is scheduled: the bound is then "none", re-checked hourly.
NOTHING_SCHEDULED = 0.0
NOTHING_SCHEDULED_RECHECK = 3600


def generation():
    """The current content generation, or None while the cache is unreachable (then nothing is cached)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A generation never goes back, even after Redis lost the key: a fresh
        # one starts at the clock, above any value handed out before.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def shared(request, name, compute, timeout):
    """
    `compute()`, kept for every reader of the content generation the request
    was answered under (`request.content_generation`, noted by the page
    cache middleware): a page-cache miss then reuses what an earlier reader's
    request worked out, and the next change retires it with the pages. Staff,
    previews and share links (no generation) always get `compute()` itself.
    """
    current = getattr(request, "content_generation", None)
    if current is None:
        return compute()
    key = f"{name}:{current}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is gone (evicted, flushed): start above every old value
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def content_changed():
    """
    Make every cached page miss. Called for any change a reader could see.

    Bumped at once (so this request and the rest of its transaction read
    their own writes) and again on commit: a page another worker rendered
    from the old rows while the transaction was open is stored under the
    intermediate generation, which the second bump retires.
    """
    _bump()
    transaction.on_commit(_bump, robust=True)


def _store_next_publish(when, *, only_if_absent=False):
    now = timezone.now().timestamp()
    if when is None:
        value, timeout = NOTHING_SCHEDULED, NOTHING_SCHEDULED_RECHECK
    else:
        value, timeout = when.timestamp(), int(when.timestamp() - now)
        if timeout < 1:
            cache.delete(NEXT_PUBLISH_KEY)
            return
    (cache.add if only_if_absent else cache.set)(NEXT_PUBLISH_KEY, value, timeout=timeout)


def next_publish(compute):
    """
    The Unix time of the next scheduled publish, or None when nothing is
    scheduled. `compute()` queries it (a datetime or None) on a cold cache.
    add(), not set(): a value a writer stored while this reader was querying
    is newer than the reader's.
    """
    value = cache.get(NEXT_PUBLISH_KEY)
    if value is None:
        _store_next_publish(compute(), only_if_absent=True)
        value = cache.get(NEXT_PUBLISH_KEY)
        if value is None:
            return timezone.now().timestamp()  # cache down or the bound just passed: store nothing
    return None if value == NOTHING_SCHEDULED else value


def schedule_changed(compute):
    """
    A list's status or publication time may have changed: store the new next
    publish now and, exactly, again on commit. Before the commit the value is
    the earlier of the old and the new answer, so a rollback can only make
    pages expire early, never late.
    """
    previous = cache.get(NEXT_PUBLISH_KEY)
    current = compute()
    if previous not in (None, NOTHING_SCHEDULED) and (current is None or previous < current.timestamp()):
        cache.set(NEXT_PUBLISH_KEY, previous, timeout=max(1, int(previous - timezone.now().timestamp())))
    else:
        _store_next_publish(current)
    transaction.on_commit(lambda: _store_next_publish(compute()), robust=True)
