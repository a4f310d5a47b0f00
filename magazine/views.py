"""Project-level endpoints: the health check, the favicon and the server error page."""

import sys
import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from core.middleware import DATABASE_ERRORS, database_unavailable_response

HEALTH_KEY = "healthz:probe"


@never_cache
@require_safe
def healthz(request):
    """
    For the load balancer: 200 while this instance can serve readers.

    The database is required (503 without it). The cache is reported but not
    required: pages are served without it, so a Redis outage must not take
    every instance out of rotation at once.
    """
    started = time.monotonic()
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DATABASE_ERRORS:
        checks["database"] = "unavailable"
    token = str(started)
    cache.set(HEALTH_KEY, token, 10)
    checks["cache"] = "ok" if cache.get(HEALTH_KEY) == token else "unavailable"
    status = 200 if checks["database"] == "ok" else 503
    checks["status"] = "ok" if status == 200 else "unavailable"
    checks["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(checks, status=status)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """
    handler500. A database outage that escaped the views (in a middleware,
    say) still gets the 503 page; anything else gets the plain 500 page,
    rendered without a RequestContext so that it cannot fail in turn.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable_response(request, exc)
    return HttpResponseServerError(loader.render_to_string(template_name))


def favicon(request):
    """Browsers (and the admin's pages) still ask for /favicon.ico: send them the SVG."""
    return redirect(static("img/favicon.svg"), permanent=True)
