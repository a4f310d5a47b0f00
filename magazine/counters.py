"""
Counters on Django's cache API, shared by every worker when the cache is
Redis: cache.add() creates a counter without overwriting one, and
cache.incr() is atomic there, so two workers counting at once stay exact.
"""

from django.core.cache import cache


def counter_hit(key, *, window):
    """Count one event for `key`, which expires `window` seconds after it was created; return the count."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between add() and incr(): this is a new window.
        cache.add(key, 1, timeout=window)
        return 1
