"""
A Redis cache that degrades instead of failing.

Django's RedisCache raises as soon as Redis is unreachable, which would turn
every page that touches the cache into a 500. For a magazine the cache is an
optimisation (and a rate-limit store), never the source of truth, so when Redis
is down reads miss, writes are dropped, and the failure is logged — at most
once every LOG_EVERY seconds per process, so that an outage does not flood the
logs of every worker.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("magazine.cache")

LOG_EVERY = 30


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def _failed(self, operation, exc):
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= LOG_EVERY:
            ResilientRedisCache._last_logged = now
            logger.error(
                "Cache unavailable (%s failed: %s); serving without the cache.",
                operation,
                exc,
            )

    @property
    def _errors(self):
        import redis

        # OSError covers refused and reset sockets that redis-py lets through.
        return (redis.RedisError, OSError)

    def add(self, key, value, *args, **kwargs):
        try:
            return super().add(key, value, *args, **kwargs)
        except self._errors as exc:
            self._failed("add", exc)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version=version)
        except self._errors as exc:
            self._failed("get", exc)
            return default

    def set(self, key, value, *args, **kwargs):
        try:
            return super().set(key, value, *args, **kwargs)
        except self._errors as exc:
            self._failed("set", exc)
            return False

    def touch(self, key, *args, **kwargs):
        try:
            return super().touch(key, *args, **kwargs)
        except self._errors as exc:
            self._failed("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version=version)
        except self._errors as exc:
            self._failed("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version=version)
        except self._errors as exc:
            self._failed("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version=version)
        except self._errors as exc:
            self._failed("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version=version)
        except self._errors as exc:
            # Counters (rate limits) fail open: nothing is counted while the
            # cache is down, so readers and editors are never locked out by an
            # outage they cannot see.
            self._failed("incr", exc)
            return 0

    def set_many(self, data, *args, **kwargs):
        try:
            return super().set_many(data, *args, **kwargs)
        except self._errors as exc:
            self._failed("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version=version)
        except self._errors as exc:
            self._failed("delete_many", exc)
            return None

    def clear(self):
        try:
            return super().clear()
        except self._errors as exc:
            self._failed("clear", exc)
            return False
