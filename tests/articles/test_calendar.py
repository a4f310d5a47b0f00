"""The editorial calendar: what goes live when, drafts by last edit, rescheduling by plain POST."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, State
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CALENDAR = reverse("admin:articles_article_calendar")


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def cell(page, day):
    """The HTML of the calendar's cell for `day`."""
    start = page.index(f'<time datetime="{day.isoformat()}">')
    return page[start : page.index("</td>", start)]


def test_a_month_shows_scheduled_and_published_lists_on_their_days(staff_client):
    first = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    month = first.replace(day=1)
    ArticleFactory(title="Goes Out Later", published_at=at(month + datetime.timedelta(days=9)))
    ArticleFactory(title="Went Out Before", published_at=at(month + datetime.timedelta(days=2), 18))
    ArticleFactory(title="Next Month", published_at=at(month + datetime.timedelta(days=45)))
    page = staff_client.get(CALENDAR, {"month": month.strftime("%Y-%m")}).content.decode()
    assert month.strftime("%B %Y") in page
    assert "Goes Out Later" in cell(page, month + datetime.timedelta(days=9))
    assert "18:00" in cell(page, month + datetime.timedelta(days=2))
    assert "Next Month" not in page


def test_drafts_and_lists_in_review_are_listed_by_last_edit(staff_client):
    older = ArticleFactory(title="Older Draft", draft=True)
    ArticleFactory(title="Under Review", status=Article.Status.REVIEW)
    Article.objects.filter(pk=older.pk).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    page = staff_client.get(CALENDAR).content.decode()
    undated = page[page.index("Drafts and lists in review") :]
    assert undated.index("Under Review") < undated.index("Older Draft")
    assert reverse("admin:articles_article_change", args=[older.pk]) in undated


def test_the_week_view_shows_seven_days(staff_client):
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    ArticleFactory(title="Midweek List", published_at=at(monday + datetime.timedelta(days=3)))
    page = staff_client.get(CALENDAR, {"week": monday.isoformat()}).content.decode()
    assert page.count('<p class="day">') == 7
    assert "Midweek List" in cell(page, monday + datetime.timedelta(days=3))


@pytest.mark.parametrize("query", [{"month": "2026-13"}, {"week": "soon"}, {"month": "x"}])
def test_a_bad_month_or_week_is_a_404(staff_client, query):
    assert staff_client.get(CALENDAR, query).status_code == 404


def test_an_editor_reschedules_from_the_calendar(staff_client):
    article = ArticleFactory(title="Moves", scheduled=True)
    day = timezone.localdate() + datetime.timedelta(days=5)
    prefix = f"list{article.pk}"
    response = staff_client.post(
        reverse("admin:articles_article_reschedule", args=[article.pk]),
        {f"{prefix}-date": day.isoformat(), f"{prefix}-time": "07:30", "next": CALENDAR + "?week=" + day.isoformat()},
        follow=True,
    )
    article.refresh_from_db()
    assert timezone.localtime(article.published_at) == at(day).replace(hour=7, minute=30)
    page = response.content.decode()
    assert f"goes live {day:%a} {day.day} {day:%b} at 07:30" in page
    assert "Moves" in cell(page, day)  # back on the week it moved to
    assert article.transitions.get().to_state == State.SCHEDULED


def test_rescheduling_into_the_past_is_refused_with_a_message(staff_client):
    article = ArticleFactory(title="Stays", scheduled=True)
    before = article.published_at
    prefix = f"list{article.pk}"
    response = staff_client.post(
        reverse("admin:articles_article_reschedule", args=[article.pk]),
        {f"{prefix}-date": "2001-01-01", f"{prefix}-time": "09:00", "next": "https://evil.example/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == CALENDAR  # never to another site
    assert "was not scheduled" in response.content.decode()
    article.refresh_from_db()
    assert article.published_at == before


def test_the_calendar_is_linked_from_the_admin_index_and_the_article_list(staff_client):
    assert CALENDAR in staff_client.get(reverse("admin:index")).content.decode()
    assert CALENDAR in staff_client.get(reverse("admin:articles_article_changelist")).content.decode()


def test_the_calendars_queries_do_not_grow_with_the_lists_on_it(staff_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(CALENDAR).status_code == 200
        return len(queries)

    ArticleFactory(scheduled=True), ArticleFactory(draft=True)
    few = count()
    for days in range(1, 12):
        ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=days))
        ArticleFactory(draft=True)
    assert count() == few == 4  # session, user, dated lists, undated lists


def test_opened_without_a_period_it_holds_this_month_with_this_weeks_row_marked(staff_client):
    """The style sheet shows a phone only the marked row: the week view by default, no script."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    ArticleFactory(title="Out Today", published_at=at(today))
    page = staff_client.get(CALENDAR).content.decode()
    assert '<table class="calendar calendar-month calendar-auto">' in page
    assert page.count('<tr class="this-week">') == 1
    row = page[page.index('<tr class="this-week">') :]
    row = row[: row.index("</tr>")]
    assert [f'<time datetime="{(monday + datetime.timedelta(days=i)).isoformat()}">' in row for i in range(7)] == [
        True
    ] * 7
    assert "Out Today" in row
    before, after = monday - datetime.timedelta(days=7), monday + datetime.timedelta(days=7)
    assert f'<a class="when-narrow" href="?week={before.isoformat()}">← Week of {before.day} {before:%b}</a>' in page
    assert f'<a class="when-narrow" href="?week={after.isoformat()}">Week of {after.day} {after:%b} →</a>' in page
    assert f'<a class="when-narrow" href="?month={today:%Y-%m}">Whole month</a>' in page
    assert f'<a class="when-wide" href="?week={today.isoformat()}">This week</a>' in page
    assert '<p class="calendar-nothing when-narrow">' not in page  # this week has a list


def test_a_month_asked_for_is_a_month_at_every_width(staff_client):
    today = timezone.localdate()
    page = staff_client.get(CALENDAR, {"month": today.strftime("%Y-%m")}).content.decode()
    assert '<table class="calendar calendar-month">' in page
    assert "when-narrow" not in page and "Whole month" not in page
