"""
The admin pages around a list's revisions and share links: the history (who
changed what, the difference between any two revisions, restore) and the
share links for drafts.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .models import Article, ArticleRevision, ShareLink
from .revisions import acting_user, changelog, live_state, states_of
from .services import revision_restore

REVISIONS_PER_PAGE = 20


def _context(model_admin, request, article, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "article": article,
        "title": title,
        **extra,
    }


def _article(model_admin, request, object_id):
    article = model_admin.get_object(request, object_id)
    if article is None:
        raise Http404("No such list.")
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


def _revision_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def history_view(model_admin, request, object_id):
    """
    The revisions of one list, newest first, and what changed between two of
    them (?a=older&b=newer, ArticleRevision ids): by default the latest one
    against the one before it.
    """
    article = _article(model_admin, request, object_id)
    revisions = ArticleRevision.objects.filter(article=article).select_related("revision__user")
    page = Paginator(revisions, REVISIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)

    wanted = {_revision_id(request.GET.get("a")), _revision_id(request.GET.get("b"))} - {None}
    known = {r.pk: r for r in shown}
    missing = wanted - set(known)
    if missing:
        known |= {r.pk: r for r in revisions.filter(pk__in=missing)}
    b = known.get(_revision_id(request.GET.get("b"))) or (shown[0] if shown else None)
    a = known.get(_revision_id(request.GET.get("a")))
    if a is None and b is not None:
        # The revision just before b; on this page when b is, else one query.
        later = [r for r in shown if r.version < b.version]
        a = later[0] if later else revisions.filter(version__lt=b.version).first()
    if a is not None and b is not None and a.version > b.version:
        a, b = b, a

    changes = None
    if a is not None and b is not None and a.pk != b.pk:
        states = states_of([a, b])
        changes = changelog(states[a.pk], states[b.pk])
    _label_states(shown)
    context = _context(
        model_admin,
        request,
        article,
        f"History of “{article.title}”",
        page=page,
        revisions=shown,
        a=a,
        b=b,
        changes=changes,
        rank_changes=[c for c in changes or [] if c.kind == "rank"],
        other_changes=[c for c in changes or [] if c.kind != "rank"],
        can_restore=request.user.has_perm("articles.restore_revision"),
        states=dict(Article.Status.choices),
    )
    return TemplateResponse(request, "admin/articles/article/revision_history.html", context)


def _label_states(revisions):
    """
    Each revision's `state_label` as the list stood when it was recorded: a
    published status with a time still to come was a scheduled list, not a
    live one. One query for the page, reading only the lists' own rows.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils.formats import date_format
    from reversion.models import Version

    rows = Version.objects.filter(
        revision_id__in=[r.revision_id for r in revisions],
        content_type=ContentType.objects.get_for_model(Article),
    )
    published_at = {v.revision_id: v.field_dict.get("published_at") for v in rows}
    for revision in revisions:
        at = published_at.get(revision.revision_id)
        if revision.status == Article.Status.PUBLISHED and at and at > revision.revision.date_created:
            revision.state_label = "Scheduled for " + date_format(timezone.localtime(at), "D j M Y, H:i")
        else:
            revision.state_label = revision.get_status_display()


def restore_view(model_admin, request, object_id, revision_id):
    if request.method != "POST":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"])
    article = _article(model_admin, request, object_id)
    if not (request.user.has_perm("articles.restore_revision") and model_admin.has_change_permission(request, article)):
        raise PermissionDenied
    revision = get_object_or_404(ArticleRevision.objects.select_related("revision"), pk=revision_id, article=article)
    if article.is_live and "confirm" not in request.POST:
        # Readers would see it at once: show what changes, and ask.
        changes = changelog(live_state(article), states_of([revision])[revision.pk])
        context = _context(
            model_admin,
            request,
            article,
            f"Restore version {revision.version} of a published list?",
            revision=revision,
            changes=changes,
            rank_changes=[c for c in changes if c.kind == "rank"],
        )
        return TemplateResponse(request, "admin/articles/article/restore_confirm.html", context)
    with acting_user(request.user):
        report = revision_restore(article=article, revision=revision, user=request.user)
    if report.recorded is None:
        messages.info(request, f"The list already is as version {revision.version} left it; nothing to restore.")
    else:
        messages.success(
            request, f"Restored version {revision.version} as a new revision (version {report.recorded.version})."
        )
    for entry in report.missing:
        messages.warning(
            request,
            f"“{entry.title}” (#{entry.rank} in version {revision.version}) was not restored: "
            "the film has since been deleted from the catalogue. The rest of the list was restored.",
        )
    url = reverse("admin:articles_article_history", args=[article.pk])
    return redirect(f"{url}?b={report.recorded.pk}" if report.recorded else url)


# --- Share links ---------------------------------------------------------------------


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=90,
        initial=7,
        help_text="The link stops working after this many days. You can revoke it sooner.",
        widget=forms.NumberInput(attrs={"class": "vIntegerField"}),
    )
    note = forms.CharField(
        label="Who it is for",
        max_length=200,
        required=False,
        help_text=ShareLink._meta.get_field("note").help_text,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )


def share_view(model_admin, request, object_id):
    """The share links of one list: make one, see who opened which when (by link), revoke."""
    article = _article(model_admin, request, object_id)
    if not request.user.has_perm("articles.share_draft"):
        raise PermissionDenied
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            link = get_object_or_404(ShareLink, pk=_revision_id(request.POST["revoke"]) or 0, article=article)
            if link.revoked_at is None:
                link.revoked_at = timezone.now()
                link.save(update_fields=["revoked_at"])
            messages.success(request, "The link is revoked: it no longer opens the list.")
            return redirect(request.path)
        if article.is_live:
            messages.error(request, "This list is published: share its public address instead.")
            return redirect(request.path)
        if form.is_valid():
            ShareLink.objects.create(
                article=article,
                created_by=request.user,
                note=form.cleaned_data["note"],
                expires_at=timezone.now() + datetime.timedelta(days=form.cleaned_data["days"]),
            )
            messages.success(request, f"Share link made; it works for {form.cleaned_data['days']} day(s).")
            return redirect(request.path)
    links = list(article.share_links.select_related("created_by").prefetch_related("openings"))
    context = _context(
        model_admin,
        request,
        article,
        f"Share links for “{article.title}”",
        form=form,
        links=links,
        now=timezone.now(),
    )
    return TemplateResponse(request, "admin/articles/article/share_links.html", context)
