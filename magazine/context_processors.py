import uuid

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core import pagecache


def site(request):
    """
    The magazine's name and tagline, for every template, and the content
    generation (core/pagecache.py) that keys cached fragments: read from the
    cache only by a template that uses it, once per render.
    """
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "content_generation": SimpleLazyObject(_generation),
    }


def _generation():
    value = pagecache.generation()
    # Without a generation (cache unreachable) no fragment may be shared.
    return str(value) if value is not None else uuid.uuid4().hex
