"""
Autosave for the list editor: each person's working copy of a list's change
form (or of the add page), sent by static/js/autosave.js a few seconds after
typing stops. One row per person and list, replaced in place; never a
revision, so History and the edit-conflict check never see it. A successful
save of the form discards it (ArticleAdmin.log_change / log_addition); a
refused save keeps it.
"""

import json

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format

from .models import WorkingCopy

# A 200-entry list with long write-ups is about 400 KB of form; leave room.
MAX_BYTES = 2 * 1024 * 1024


def working_copy_keep(*, user, article, version, data):
    """Store `user`'s working copy of `article` (None: the add page), replacing the one before."""
    with transaction.atomic():
        copy, _ = WorkingCopy.objects.select_for_update().update_or_create(
            user=user,
            article=article,
            defaults={"version": version, "data": data},
        )
    return copy


def working_copy_discard(*, user, article):
    """Forget `user`'s working copy of `article` (None: the add page), once the form is saved."""
    WorkingCopy.objects.filter(user=user, article=article).delete()


def _clean(body):
    """The working copy as the script sends it: {"at", "version", "fields": [[name, value]…], "labels"}."""
    data = json.loads(body)
    fields = data.get("fields")
    if not (
        isinstance(fields, list)
        and all(isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair) for pair in fields)
    ):
        raise ValueError("fields")
    labels = data.get("labels") or {}
    if not (isinstance(labels, dict) and all(isinstance(v, str) for v in labels.values())):
        raise ValueError("labels")
    at = data.get("at")
    version = data.get("version")
    version = int(version) if str(version or "").isdigit() else None
    return {"at": at if isinstance(at, (int, float)) else None, "fields": fields, "labels": labels}, version


def autosave_view(model_admin, request, object_id=None):
    if request.method not in ("POST", "DELETE"):
        return HttpResponseNotAllowed(["POST", "DELETE"])
    article = None
    if object_id is not None:
        article = model_admin.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
    elif not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "DELETE":
        working_copy_discard(user=request.user, article=article)
        return JsonResponse({"kept": False})
    if len(request.body) > MAX_BYTES:
        return HttpResponseBadRequest("This working copy is too large to keep.")
    try:
        data, version = _clean(request.body)
    except (ValueError, AttributeError):
        return HttpResponseBadRequest("Not a working copy.")
    copy = working_copy_keep(user=request.user, article=article, version=version, data=data)
    return JsonResponse({"kept": True, "at": time_format(timezone.localtime(copy.saved_at), "H:i")})


def autosave_context(request, obj):
    """What the change form's template needs: where to send copies, and the copy kept on the server."""
    article = obj if obj is not None and obj.pk else None
    copy = WorkingCopy.objects.filter(user=request.user, article=article).first()
    if article is None:
        url = reverse("admin:articles_article_autosave_add")
    else:
        url = reverse("admin:articles_article_autosave", args=[article.pk])
    return {
        "url": url,
        # The browser keeps its own copy under this name until the server has it.
        "key": f"reel-autosave:{request.user.pk}:{article.pk if article else 'new'}",
        "version": article.version if article else "",
        "copy": None
        if copy is None
        else {
            **copy.data,
            "version": copy.version,
            "saved": time_format(timezone.localtime(copy.saved_at), "H:i"),
            "day": timezone.localtime(copy.saved_at).date().isoformat(),
        },
    }
