"""
The next scheduled publish: the earliest publication time still to come. No
stored page, fragment or edge copy outlives it, so a scheduled list appears
at its minute with no job running and no purge sent.

The app that schedules (articles) tells us how to ask for it, from its
`ready()`: `pagecache.schedule.source(next_scheduled)`, a function returning
a datetime or None. The answer is kept in the shared cache until that moment.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

NEXT_PUBLISH_KEY = "pc:next-publish"
# The key of every page and fragment kept no later than the next scheduled publish.
SCHEDULE_KEY = "schedule"
# Stored when nothing is scheduled: the bound is then "none", re-checked hourly.
NOTHING_SCHEDULED = 0.0
NOTHING_SCHEDULED_RECHECK = 3600

_source = {"compute": lambda: None}


def source(compute):
    _source["compute"] = compute


def upcoming():
    """The next scheduled publish from the database (one indexed query)."""
    return _source["compute"]()


def _store(when, *, only_if_absent=False):
    now = timezone.now().timestamp()
    if when is None:
        value, timeout = NOTHING_SCHEDULED, NOTHING_SCHEDULED_RECHECK
    else:
        value, timeout = when.timestamp(), int(when.timestamp() - now)
        if timeout < 1:
            cache.delete(NEXT_PUBLISH_KEY)
            return
    (cache.add if only_if_absent else cache.set)(NEXT_PUBLISH_KEY, value, timeout=timeout)


def next_publish():
    """
    The Unix time of the next scheduled publish, or None when nothing is
    scheduled. add(), not set(), on a cold cache: a value a writer stored
    while this reader was querying is newer than the reader's.
    """
    value = cache.get(NEXT_PUBLISH_KEY)
    if value is None:
        _store(upcoming(), only_if_absent=True)
        value = cache.get(NEXT_PUBLISH_KEY)
        if value is None:
            return timezone.now().timestamp()  # cache down or the bound just passed: store nothing
    return None if value == NOTHING_SCHEDULED else value


def changed(when=None):
    """
    A list's status or publication time changed; `when` is its publication
    time if it is now scheduled. Before the commit the stored bound becomes
    the earlier of the old one and `when` (so a rollback can only make pages
    expire early, never late, and a page rendered meanwhile cannot outlive the
    new list); on commit it is asked of the database once per transaction.
    """
    now = timezone.now().timestamp()
    if when is not None and when.timestamp() > now:
        previous = cache.get(NEXT_PUBLISH_KEY)
        if previous in (None, NOTHING_SCHEDULED) or when.timestamp() < previous:
            cache.set(NEXT_PUBLISH_KEY, when.timestamp(), timeout=max(1, int(when.timestamp() - now)))
            # Pages kept until a later bound (or none) would outlive the new
            # list's minute: they carry SCHEDULE_KEY, and are made again once,
            # with the new bound, at the origin and at the edge.
            from . import invalidation

            invalidation.changed(SCHEDULE_KEY)
    connection = transaction.get_connection()
    if connection.in_atomic_block and settings.PAGECACHE_RETIRE_IN_TRANSACTION:
        _refresh()  # the test suite's transaction never commits (pagecache/invalidation.py)
    if connection.in_atomic_block and any(hook[1] is _refresh for hook in connection.run_on_commit):
        return
    transaction.on_commit(_refresh, robust=True)


def _refresh():
    _store(upcoming())


def passed(bound, now=None):
    """Whether a bound read earlier has been reached."""
    return bound is not None and (now or timezone.now().timestamp()) >= bound
