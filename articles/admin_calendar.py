"""
The editorial calendar: scheduled and published lists by day, a month or a
week at a time, with the drafts and the lists in review beside it by last
edit. An editor reschedules from here with one small form per list, which is
a plain POST and needs no JavaScript.

Opened without a period (the admin's links), it is this month on a wide
screen and this week on a phone: the page holds the month, and the style
sheet shows a phone only the week with today in it, with links to the weeks
around it and to the whole month. No script, no second request.
"""

import calendar
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Article, State
from .services import article_schedule, goes_live_words

UNSCHEDULED_SHOWN = 50


class RescheduleForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, article, **kwargs):
        # Each list's form has its own ids: many share one page.
        super().__init__(*args, prefix=f"list{article.pk}", **kwargs)
        self.article = article
        at = (
            timezone.localtime(article.published_at)
            if article.state == State.SCHEDULED
            else (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=9, minute=0)
        )
        self.fields["date"].initial, self.fields["time"].initial = at.date(), at.time().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        if "date" in data and "time" in data:
            data["at"] = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        return data


def _period(request):
    """
    (view, first day, last day + 1, previous start, next start) from
    ?month=YYYY-MM or ?week=YYYY-MM-DD; without either, this month as the
    "auto" view (a month, or this week on a phone).
    """
    today = timezone.localdate()
    if "week" not in request.GET and "month" not in request.GET:
        _view, *period = _month(today.replace(day=1))
        return "auto", *period
    try:
        if "week" in request.GET:
            day = datetime.date.fromisoformat(request.GET["week"])
            start = day - datetime.timedelta(days=day.weekday())
            return (
                "week",
                start,
                start + datetime.timedelta(days=7),
                start - datetime.timedelta(days=7),
                start + datetime.timedelta(days=7),
            )
        month = datetime.datetime.strptime(request.GET["month"], "%Y-%m").date()
    except ValueError:
        raise Http404("No such month or week.") from None
    return _month(month)


def _month(month):
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    return "month", month, end, previous, end


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def calendar_view(model_admin, request):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    view, start, end, previous, following = _period(request)
    can_schedule = model_admin.has_publish_permission(request)
    if view in ("month", "auto"):
        weeks = calendar.Calendar().monthdatescalendar(start.year, start.month)
    else:
        weeks = [[start + datetime.timedelta(days=i) for i in range(7)]]
    first, last = weeks[0][0], weeks[-1][-1] + datetime.timedelta(days=1)

    dated = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED, published_at__gte=_aware(first), published_at__lt=_aware(last)
        )
        .select_related("author")
        .order_by("published_at", "pk")
    )
    by_day = {}
    for article in dated:
        by_day.setdefault(timezone.localtime(article.published_at).date(), []).append(_item(article, can_schedule))
    undated = [
        _item(article, can_schedule)
        for article in Article.objects.filter(status__in=[Article.Status.DRAFT, Article.Status.REVIEW])
        .select_related("author")
        .order_by("-updated_at", "-pk")[:UNSCHEDULED_SHOWN]
    ]
    today = timezone.localdate()
    this_week = today - datetime.timedelta(days=today.weekday())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": "Editorial calendar",
        "is_nav_sidebar_enabled": False,  # a month needs the width
        "view": view,
        "period": start,
        "period_end": end - datetime.timedelta(days=1),
        "previous": previous,
        "following": following,
        "today": today,
        "weekdays": [calendar.day_abbr[i] for i in range(7)],
        "weeks": [
            [
                {"date": day, "in_period": start <= day < end, "is_today": day == today, "items": by_day.get(day, [])}
                for day in week
            ]
            for week in weeks
        ],
        "has_dated": bool(by_day),
        # The auto view's week on a phone: the row with today, and the weeks around it.
        "this_week": this_week,
        "week_before": this_week - datetime.timedelta(days=7),
        "week_after": this_week + datetime.timedelta(days=7),
        "this_week_end": this_week + datetime.timedelta(days=6),
        "week_has_dated": any(by_day.get(this_week + datetime.timedelta(days=i)) for i in range(7)),
        "undated": undated,
        "can_schedule": can_schedule,
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/articles/article/calendar.html", context)


def _item(article, can_schedule):
    return {
        "article": article,
        "state": article.state,
        "form": RescheduleForm(article=article) if can_schedule and article.state != State.PUBLISHED else None,
    }


def reschedule_view(model_admin, request, pk):
    if request.method != "POST":
        return redirect(reverse("admin:articles_article_calendar"))
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("admin:articles_article_calendar")
    form = RescheduleForm(request.POST, article=article)
    if not form.is_valid():
        messages.error(request, f"“{article.title}” was not scheduled: choose a date and a time.")
        return redirect(back)
    try:
        article_schedule(article=article, at=form.cleaned_data["at"], by=request.user)
    except ValidationError as e:
        messages.error(request, f"“{article.title}” was not scheduled. {' '.join(e.messages)}")
    else:
        messages.success(request, f"“{article.title}” {goes_live_words(article.published_at)}.")
    return redirect(back)
