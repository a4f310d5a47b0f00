"""
What one reader's request has shown so far: the keys its page is built from.

The middleware opens a reading for a request every reader sees alike; views
and templates say what they show (`shows(article)`, `{% shows article %}`,
`shows("archive")`), fragments and shared values open a nested reading so
that they are stored with their own keys and hand them to the page when they
are reused. Held in a context variable, so no attribute of the request
carries the cache's protocol between apps.

Outside a reader's request (an editor, a preview, a share link, a command)
there is no reading: nothing is shared, `shows()` does nothing.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from . import invalidation, schedule, store

_current = ContextVar("pagecache_reading", default=None)


@dataclass
class Reading:
    start: int  # the clock when the request began, before any row was read
    host: str
    stack: list = field(default_factory=lambda: [set()])
    fragments: list = field(default_factory=list)  # (name, text) of large fragments, for the gzip splice

    @property
    def keys(self):
        return self.stack[0]


def begin(start, host):
    return _current.set(Reading(start=start, host=host))


def end(token):
    _current.reset(token)


def current():
    return _current.get()


def shows(*items):
    """Declare what the page shows: model instances (their key) or keys (`"archive"`, `"comments:42"`)."""
    reading = _current.get()
    if reading is None:
        return
    reading.stack[-1].update(
        item if isinstance(item, str) else invalidation.key_of(item) for item in items if item is not None
    )


def collect(compute):
    """(`compute()`, the keys it showed): for a value computed before the fragment that shows it."""
    reading = _current.get()
    if reading is None:
        return compute(), frozenset()
    reading.stack.append(set())
    try:
        value = compute()
    finally:
        keys = reading.stack.pop()
    _lift(keys)
    return value, frozenset(keys)


def _lift(keys):
    reading = _current.get()
    if reading is not None:
        reading.stack[-1].update(keys)


def lifetime(until_next_publish=False):
    """
    (seconds, bound): how long a shared value may be kept (PAGE_CACHE_TIMEOUT)
    and, if it lists lists, the next scheduled publish it must not outlive.
    """
    timeout, bound = settings.PAGE_CACHE_TIMEOUT, None
    if until_next_publish:
        bound = schedule.next_publish()
        if bound is not None:
            timeout = min(timeout, int(bound - timezone.now().timestamp()))
    return timeout, bound


def shared(name, compute, until_next_publish=False):
    """
    `compute()`, kept for every reader with the keys it showed while it ran
    (declared with `shows()`): a page-cache miss then reuses what an earlier
    reader's request worked out until one of those keys changes. Anyone but
    a reader gets `compute()` itself. `until_next_publish`: the value lists
    lists, so it expires when the next scheduled one goes live.
    """
    reading = _current.get()
    if reading is None:
        return compute()
    entry_name = f"pc:shared:{reading.host}:{name}"
    found = store.get(entry_name, clock_now=reading.start)
    if found is not None:
        _, keys, value = found
        _lift(keys)
        return value
    reading.stack.append(set())
    try:
        value = compute()
    finally:
        keys = reading.stack.pop()
    if until_next_publish:
        keys.add(schedule.SCHEDULE_KEY)
    _lift(keys)
    timeout, bound = lifetime(until_next_publish)
    if timeout >= 1:
        store.put(entry_name, reading.start, keys, value, timeout, bound=bound)
    return value
