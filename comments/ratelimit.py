"""
A fixed-window rate limit on Django's cache API, so it works on local memory
in development and, with Redis as the cache, holds across every worker and
machine: cache.add() and cache.incr() are atomic in Redis.
"""

import time

from django.conf import settings
from django.core.cache import cache


def parse_rate(rate):
    """ "5/60" -> (5, 60): five events per sixty seconds."""
    count, _, seconds = str(rate).partition("/")
    return int(count), int(seconds or 60)


def rate_limit_exceeded(key, *, rate=None, now=None):
    """Count one event for `key`; True when the count in this window is over the limit."""
    limit, window = parse_rate(rate or settings.COMMENTS_RATE_LIMIT)
    bucket = int((now if now is not None else time.time()) // window)
    cache_key = f"comments:rate:{key}:{bucket}"
    # add() only creates the counter; incr() is the atomic step. The window's
    # key expires by itself, so nothing needs cleaning up.
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(): this is a new window.
        cache.add(cache_key, 1, timeout=window + 1)
        count = 1
    return count > limit
