"""
Presence on a list's admin page: "Bea has had this list open since 15:02",
on both editors' screens. Each open page beats every PRESENCE_HEARTBEAT
seconds (static/js/presence.js); the answer names the others seen within
PRESENCE_TIMEOUT. A page that closes says goodbye; one that crashed is
simply not seen again. Nothing here is a lock: saving stays as it was.
"""

import datetime

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.formats import time_format

from .models import Presence

HEARTBEAT = 20  # seconds between beats
TIMEOUT = 60  # a page not heard from for this long has gone


def presence_beat(*, user, article, now=None):
    """Record that `user` has `article` open now; a return after a gap counts as opening it again."""
    now = now or timezone.now()
    gone = now - datetime.timedelta(seconds=_timeout())
    presence, created = Presence.objects.get_or_create(
        user=user, article=article, defaults={"opened_at": now, "seen_at": now}
    )
    if not created:
        if presence.seen_at < gone:
            presence.opened_at = now
        presence.seen_at = now
        presence.save(update_fields=["opened_at", "seen_at"])
    return presence


def presence_others(*, user, article, now=None):
    """The other people with `article` open, longest first."""
    gone = (now or timezone.now()) - datetime.timedelta(seconds=_timeout())
    return Presence.objects.filter(article=article, seen_at__gte=gone).exclude(user=user).select_related("user")


def _timeout():
    return getattr(settings, "PRESENCE_TIMEOUT", TIMEOUT)


def presence_view(model_admin, request, object_id):
    if request.method not in ("POST", "DELETE"):
        return HttpResponseNotAllowed(["POST", "DELETE"])
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    if request.method == "DELETE":
        Presence.objects.filter(user=request.user, article=article).delete()
        return JsonResponse({"others": []})
    presence_beat(user=request.user, article=article)
    others = [
        {
            "name": p.user.get_full_name() or p.user.get_username(),
            "since": time_format(timezone.localtime(p.opened_at), "H:i"),
        }
        for p in presence_others(user=request.user, article=article)
    ]
    return JsonResponse({"others": others, "every": getattr(settings, "PRESENCE_HEARTBEAT", HEARTBEAT)})
