"""Every admin list can be searched and filtered, and answers with both in use."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import FilmFactory, HashtagFactory, MoodFactory

pytestmark = pytest.mark.django_db

# auth.Group is Django's own: a name and permissions, nothing to filter by.
EXEMPT = {"auth.group"}
REGISTERED = sorted((model._meta.label_lower, model_admin) for model, model_admin in admin.site._registry.items())


@pytest.mark.parametrize("label, model_admin", REGISTERED, ids=[label for label, _ in REGISTERED])
def test_admin_list_has_search_and_filters(staff_client, label, model_admin):
    assert model_admin.search_fields, label
    if label not in EXEMPT:
        assert model_admin.list_filter, label
    app_label, model_name = label.split(".")
    response = staff_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"), {"q": "x"})
    assert response.status_code == 200


def test_unused_moods_and_hashtags_can_be_found(staff_client):
    used, unused = MoodFactory(name="sad"), MoodFactory(name="weepy")
    FilmFactory().moods.add(used)
    HashtagFactory(name="Lonely")
    response = staff_client.get(reverse("admin:films_mood_changelist"), {"in_use": "no"})
    assert list(response.context["cl"].result_list) == [unused]
    response = staff_client.get(reverse("admin:articles_hashtag_changelist"), {"in_use": "no"})
    assert [t.name for t in response.context["cl"].result_list] == ["Lonely"]
