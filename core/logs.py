"""Logging filters for the settings' LOGGING."""

import logging
import time


class CacheOutageFilter(logging.Filter):
    """
    One line per `seconds` per process for the errors django-redis ignores
    while Redis is down, so that an outage does not flood the logs of every
    worker with a traceback per cache call.
    """

    def __init__(self, seconds=30):
        super().__init__()
        self.seconds = seconds
        self.last = float("-inf")

    def filter(self, record):
        now = time.monotonic()
        if now - self.last < self.seconds:
            return False
        self.last = now
        error = record.exc_info[1] if record.exc_info else record.getMessage()
        record.msg, record.args = "Cache unavailable (%s); serving without the cache.", (error,)
        record.exc_info = record.exc_text = None
        return True
