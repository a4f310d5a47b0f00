"""Presence: who has a list's admin page open, from each page's heartbeat."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin_presence import presence_beat, presence_others
from articles.models import Presence
from tests.factories import StaffFactory, UserFactory, make_list

pytestmark = pytest.mark.django_db


def beat(client, article, method="post"):
    return getattr(client, method)(reverse("admin:articles_article_presence", args=[article.pk]))


def test_each_page_hears_who_else_has_the_list_open_and_since_when(staff_client, client):
    article = make_list(2, status="draft")
    bea = StaffFactory(username="bea", first_name="Bea", last_name="Hopper")
    client.force_login(bea)
    assert beat(staff_client, article).json()["others"] == []
    others = beat(client, article).json()["others"]
    assert [o["name"] for o in others] == [staff_client.user.get_full_name() or "editor"]
    assert [o["name"] for o in beat(staff_client, article).json()["others"]] == ["Bea Hopper"]
    assert beat(client, article, "delete").status_code == 200  # Bea closes the page
    assert beat(staff_client, article).json()["others"] == []


def test_a_page_not_heard_from_for_a_minute_is_gone_and_a_return_is_a_new_opening():
    article = make_list(1, status="draft")
    ada, bea = UserFactory(username="ada"), UserFactory(username="bea")
    start = timezone.now()
    presence_beat(user=bea, article=article, now=start)
    assert list(presence_others(user=ada, article=article, now=start + datetime.timedelta(seconds=59)))
    assert not presence_others(user=ada, article=article, now=start + datetime.timedelta(seconds=61)).exists()
    later = start + datetime.timedelta(minutes=5)
    assert presence_beat(user=bea, article=article, now=later).opened_at == later
    assert Presence.objects.count() == 1  # one row per person and list


def test_only_those_who_may_see_the_list_are_present(client):
    article = make_list(1, status="draft")
    client.force_login(UserFactory(username="moderator", is_staff=True))  # no right to lists at all
    assert beat(client, article).status_code == 403
    assert not Presence.objects.exists()
