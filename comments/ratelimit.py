"""
A fixed-window rate limit on Django's cache API, so it works on local memory
in development and, with Redis as the cache, holds across every worker and
machine (see magazine/counters.py).
"""

import time

from django.conf import settings

from magazine.counters import counter_hit


def parse_rate(rate):
    """ "5/60" -> (5, 60): five events per sixty seconds."""
    count, _, seconds = str(rate).partition("/")
    return int(count), int(seconds or 60)


def rate_limit_exceeded(key, *, rate=None, now=None):
    """Count one event for `key`; True when the count in this window is over the limit."""
    limit, window = parse_rate(rate or settings.COMMENTS_RATE_LIMIT)
    bucket = int((now if now is not None else time.time()) // window)
    # One key per window; it expires by itself, so nothing needs cleaning up.
    return counter_hit(f"comments:rate:{key}:{bucket}", window=window + 1) > limit
