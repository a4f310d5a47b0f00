"""Deployment checks of the project's own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Backends whose counts live inside one process: every gunicorn worker (and
# every machine) keeps its own, so each limit is multiplied by their number.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            f"The cache ({backend.rsplit('.', 1)[-1]}) is private to each worker process, so "
            "the admin login throttle and the comment rate limit count per worker: with 5 "
            "workers, 25 failed logins instead of 5 and 25 comments a minute instead of 5. "
            "And the page cache is one per worker: an editor's change retires the pages of the "
            "worker that saved it, while every other worker keeps serving its own copy until "
            "PAGE_CACHE_TIMEOUT.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that every worker and "
            "machine counts, and retires pages, in one place.",
            id="magazine.W001",
        )
    ]
