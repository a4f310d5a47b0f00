"""
Publishing says what it does: the change page's buttons and the bulk actions
go through one path, which stamps the moment of publishing.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, State, Transition
from articles.services import (
    article_publish,
    article_schedule,
    article_send_back,
    article_submit,
    article_unpublish,
    goes_live_words,
)
from tests.articles.test_admin import article_form, change_url, existing
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def draft():
    article = ArticleFactory(title="Top 2 Rainy Films", draft=True)
    for rank in (1, 2):
        EntryFactory(article=article, rank=rank, film=FilmFactory())
    return article


def test_publish_now_stamps_the_moment_of_publishing_not_when_the_form_was_opened(staff_client, draft):
    # The form was opened a while ago: its date and time are what the old status field kept.
    opened = timezone.localtime() - datetime.timedelta(minutes=1, seconds=7)
    data = article_form(
        draft,
        existing(draft),
        status="published",
        published_at_0=opened.strftime("%Y-%m-%d"),
        published_at_1=opened.strftime("%H:%M:%S"),
        _publish="Publish now",
    )
    before = timezone.now()
    response = staff_client.post(change_url(draft), data)
    draft.refresh_from_db()
    assert response.status_code == 302 and response.url == change_url(draft)
    assert draft.status == Article.Status.PUBLISHED
    assert before <= draft.published_at <= timezone.now()


def test_the_status_field_no_longer_publishes_by_itself(staff_client, draft):
    staff_client.post(change_url(draft), article_form(draft, existing(draft), status="published", _continue="1"))
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert "Save draft" in staff_client.get(change_url(draft)).content.decode()


def test_the_bulk_action_and_the_button_follow_the_same_rule(staff_client, draft):
    other = ArticleFactory(draft=True, published_at=timezone.now() - datetime.timedelta(days=3))
    before = timezone.now()
    staff_client.post(reverse(CHANGELIST), {"action": "publish_now", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.is_live and before <= other.published_at <= timezone.now()
    step = other.transitions.get()
    assert (step.from_state, step.to_state, step.user) == (State.DRAFT, State.PUBLISHED, staff_client.user)


def test_publishing_a_live_list_again_keeps_its_date():
    live = ArticleFactory()
    date = live.published_at
    article_publish(article=live)
    live.refresh_from_db()
    assert live.published_at == date and not live.transitions.exists()


def test_schedule_from_the_change_page_says_when_in_words(staff_client, draft, settings):
    settings.TIME_ZONE = "Europe/London"
    with timezone.override("Europe/London"):  # for this test only: an activated zone outlives it
        day = timezone.localdate() + datetime.timedelta(days=3)
        response = staff_client.post(
            change_url(draft),
            article_form(
                draft,
                existing(draft),
                schedule_date=day.isoformat(),
                schedule_time="09:00",
                _schedule="Schedule",
            ),
            follow=True,
        )
        draft.refresh_from_db()
        assert draft.state == State.SCHEDULED
        assert timezone.localtime(draft.published_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 09:00"
        words = f"goes live {day:%a} {day.day} {day:%b} at 09:00"
        page = response.content.decode()
        assert words in page  # in the message and in the state line
        assert "Europe/London" in page


@pytest.mark.parametrize(
    "date,time,message",
    [
        ("2001-01-01", "09:00", "That time has passed"),
        ("", "09:00", "Choose the date and the time"),
        ("31/02/2030", "09:00", "Enter a valid date"),
    ],
)
def test_a_bad_schedule_is_a_message_and_nothing_is_saved(staff_client, draft, date, time, message):
    response = staff_client.post(
        change_url(draft),
        article_form(
            draft,
            existing(draft),
            title="A title typed meanwhile",
            schedule_date=date,
            schedule_time=time,
            _schedule="Schedule",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="A title typed meanwhile"' in page  # what was typed is kept
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.title == "Top 2 Rainy Films"


def test_unpublish_button_takes_a_scheduled_list_back_to_draft(staff_client):
    scheduled = ArticleFactory(scheduled=True)
    response = staff_client.post(
        change_url(scheduled), article_form(scheduled, existing(scheduled), _unpublish="1"), follow=True
    )
    scheduled.refresh_from_db()
    assert scheduled.state == State.DRAFT
    assert "is off the site, back to draft" in response.content.decode()


def test_the_article_list_shows_four_distinct_states_and_filters_by_them(staff_client):
    ArticleFactory(title="A draft one", draft=True)
    ArticleFactory(title="A list in review", status=Article.Status.REVIEW)
    soon = ArticleFactory(title="A scheduled one", scheduled=True)
    ArticleFactory(title="A live one")
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    when = timezone.localtime(soon.published_at)
    assert f"Scheduled for {when:%a} {when.day} {when:%b %Y, %H:%M}" in page
    for label in ["Draft", "In review", "Published"]:
        assert f'<td class="field-state_label">{label}</td>' in page
    for state, title in [
        ("draft", "A draft one"),
        ("review", "A list in review"),
        ("scheduled", "A scheduled one"),
        ("published", "A live one"),
    ]:
        page = staff_client.get(reverse(CHANGELIST), {"state": state}).content.decode()
        shown = [t for t in ["A draft one", "A list in review", "A scheduled one", "A live one"] if f">{t}</a>" in page]
        assert shown == [title], state


def test_a_scheduled_list_is_not_labelled_published(staff_client):
    ArticleFactory(title="Coming soon", scheduled=True)
    page = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert '<td class="field-state_label">Published</td>' not in page


def test_the_review_round_trip_through_the_services(django_capture_on_commit_callbacks):
    editor = StaffFactory(username="ed", email="ed@example.com")
    writer = StaffFactory(username="wr", is_superuser=False, email="wr@example.com")
    article = ArticleFactory(draft=True, author=writer)
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=article, by=writer, review_url="http://testserver/admin/x/")
    assert article.status == Article.Status.REVIEW
    assert mail.outbox[-1].to == ["ed@example.com"] and "http://testserver/admin/x/" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        article_send_back(article=article, by=editor, note="Say why #1 is #1.")
    assert mail.outbox[-1].to == ["wr@example.com"] and "Say why #1 is #1." in mail.outbox[-1].body
    at = timezone.now() + datetime.timedelta(days=2)
    article_submit(article=article, by=writer, review_url="")
    article_schedule(article=article, at=at, by=editor)
    article_unpublish(article=article, by=editor)
    steps = list(Transition.objects.filter(article=article).order_by("at", "pk").values_list("from_state", "to_state"))
    assert steps == [
        ("draft", "review"),
        ("review", "draft"),
        ("draft", "review"),
        ("review", "scheduled"),
        ("scheduled", "draft"),
    ]
    assert Transition.objects.filter(to_state="scheduled").get().note == goes_live_words(at)


def test_send_back_needs_a_note_and_a_list_in_review():
    from django.core.exceptions import ValidationError

    article = ArticleFactory(status=Article.Status.REVIEW)
    with pytest.raises(ValidationError, match="Write a note"):
        article_send_back(article=article, by=None, note="  ")
    with pytest.raises(ValidationError, match="Only a list in review"):
        article_send_back(article=ArticleFactory(draft=True), by=None, note="Why?")
    with pytest.raises(ValidationError, match="in the future"):
        article_schedule(article=article, at=timezone.now() - datetime.timedelta(seconds=1))
    assert not Transition.objects.exists()
