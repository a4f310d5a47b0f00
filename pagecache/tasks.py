"""
The purge of the edge, as a background task: the page cache's invalidation
enqueues it on commit with the keys a change retired,
`purge_edge.enqueue(keys=["list:42", "home"])`.

A purge that fails is not lost: the attempt is recorded as failed (with its
traceback, in the admin's task list) and the task is queued again after a
growing delay (2 s, 4 s, … 5 minutes apart).
Retrying inside the task instead would hold the worker, and the mail queued
behind the purge, for as long as the edge is down. It stops once
PAGE_CACHE_S_MAXAGE + PAGE_CACHE_STALE_WHILE_REVALIDATE seconds of waiting
have passed: by then every copy the edge took before the change has expired
on its own, and the purge has nothing left to do. Purges run before mail
(higher priority): they are what keeps the edge from serving a takedown.
"""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from . import edge, invalidation

logger = logging.getLogger("pagecache")
BACKOFF_CAP = 300  # seconds between two attempts, at most


def again(context, *, attempt, give_up_after, **kwargs):
    """
    Queue the running task again as attempt `attempt + 1`, 2**attempt seconds
    from now (at most BACKOFF_CAP); None once the waits add up to
    `give_up_after` seconds or the backend cannot wait (run at once, a retry
    would meet the same failure: readers drain kept invalidations then).
    """
    task = context.task_result.task
    wait = min(2**attempt, BACKOFF_CAP)
    waited = sum(min(2**n, BACKOFF_CAP) for n in range(1, attempt))
    if not task.get_backend().supports_defer or waited >= give_up_after:
        logger.error("%s gave up after attempt %d: %s", task.name, attempt, kwargs)
        return None
    return task.using(run_after=timezone.now() + datetime.timedelta(seconds=wait)).enqueue(
        **kwargs, attempt=attempt + 1
    )


@task(takes_context=True, priority=10)
def purge_edge(context, keys, attempt=1):
    """Drop every page carrying any of `keys` (a list of str) from the configured edge."""
    try:
        return edge.purge(keys)
    except edge.PurgeError:
        moot_after = settings.PAGE_CACHE_S_MAXAGE + settings.PAGE_CACHE_STALE_WHILE_REVALIDATE
        again(context, attempt=attempt, give_up_after=moot_after, keys=keys)
        raise


@task(takes_context=True, priority=10)
def retry_invalidations(context, attempt=1):
    """The worker's side of the outbox (pagecache.models.PendingInvalidation): retire what was kept, until it lands."""
    if not invalidation.drain(force=True):
        again(context, attempt=attempt, give_up_after=24 * 3600)
