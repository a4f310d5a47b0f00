"""
The per-address limit on comment posts, counted by django-ratelimit in the
cache: with Redis as the cache the limit holds across every worker and
machine, and while Redis is down nothing is counted (RATELIMIT_FAIL_OPEN), so
readers are never locked out by an outage they cannot see.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from core.net import client_address


def _address(group, request):
    return client_address(request) or ""


def comment_rate_limited(request):
    """Count this post against the client's address; True once COMMENTS_RATE_LIMIT ("5/60": five per 60 s) is exceeded."""
    return is_ratelimited(
        request, group="comments:post", key=_address, rate=settings.COMMENTS_RATE_LIMIT, increment=True
    )
