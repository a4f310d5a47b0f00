"""
The purge of the edge, as a background task: the page cache's invalidation
enqueues it on commit with the keys a change retired,
`purge_edge.enqueue(keys=["list:42", "home"])`.

A purge that fails is not lost: the attempt is recorded as failed (with its
traceback, in the admin's task list) and the task is queued again after a
growing delay (core.background.retry_later: 2 s, 4 s, … 5 minutes apart).
Retrying inside the task instead would hold the worker, and the mail queued
behind the purge, for as long as the edge is down. It stops once
PAGE_CACHE_S_MAXAGE + PAGE_CACHE_STALE_WHILE_REVALIDATE seconds of waiting
have passed: by then every copy the edge took before the change has expired
on its own, and the purge has nothing left to do. Purges run before mail
(higher priority): they are what keeps the edge from serving a takedown.
"""

from django.conf import settings
from django.tasks import task

from core.background import retry_later

from . import edge


@task(takes_context=True, priority=10)
def purge_edge(context, keys, attempt=1):
    """Drop every page carrying any of `keys` (a list of str) from the configured edge."""
    try:
        return edge.purge(keys)
    except edge.PurgeError:
        moot_after = settings.PAGE_CACHE_S_MAXAGE + settings.PAGE_CACHE_STALE_WHILE_REVALIDATE
        retry_later(context, attempt=attempt, give_up_after=moot_after, keys=keys)
        raise
