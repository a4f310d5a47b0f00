import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core import pagecache

from .signals import next_scheduled


# How long a cached fragment of a page is kept (it is retired sooner by any change).
FRAGMENT_TIMEOUT = 3600


def site(request):
    """
    The magazine's name and tagline, for every template, and what keys cached
    fragments: the content generation (core/pagecache.py), which the page
    cache middleware read for this request, and the schedule.
    Fragments are shared by readers only (the page cache's own rule, which
    PageCacheMiddleware notes on the request): an editor's page, a preview or
    a share link neither reads them (a key of its own) nor stores them
    (`fragment_timeout` 0), so editors always see the database.
    """
    shared = getattr(request, "for_every_reader", False)
    # None for anyone but a reader, and while the cache is unreachable: then no fragment is shared.
    generation = getattr(request, "content_generation", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "content_generation": str(generation) if generation is not None else uuid.uuid4().hex,
        "content_schedule": SimpleLazyObject(_schedule),
        "fragment_timeout": FRAGMENT_TIMEOUT if shared else 0,
    }


def _schedule():
    """
    The next scheduled publish as it stands (core/pagecache.py): it changes
    when that list goes live, which bumps no generation, so fragments that
    list the newest lists are keyed by it too.
    """
    bound = pagecache.next_publish(next_scheduled)
    if bound is not None and bound <= timezone.now().timestamp():
        # Gone live, though the cache has not let the value go yet (its clock
        # is not ours): ask the database until it does.
        upcoming = next_scheduled()
        return f"after-{bound}:{upcoming.timestamp() if upcoming else 'none'}"
    return str(bound)
