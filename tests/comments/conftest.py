import secrets
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.test import Client

from comments.forms import TIMESTAMP_SALT
from tests.factories import UserFactory


def timestamp(article, *, age=30):
    """A signed form timestamp as the form page would have issued it `age` seconds ago."""
    return signing.dumps({"a": article.pk, "t": time.time() - age, "n": secrets.token_urlsafe(12)}, salt=TIMESTAMP_SALT)


def comment_data(article, **overrides):
    data = {
        "name": "Haruka",
        "email": "haruka@example.com",
        "body": "This list made me cry again.",
        "reply_to": "",
        "website": "",
        "timestamp": timestamp(article),
    }
    data.update(overrides)
    return data


@pytest.fixture
def post_comment(client):
    """POST a comment for `article` the way the form page would send it."""
    from django.urls import reverse

    def post(article, follow=False, client=client, **overrides):
        url = reverse("comments:post", kwargs={"slug": article.slug})
        return client.post(url, comment_data(article, **overrides), follow=follow, REMOTE_ADDR="192.0.2.10")

    return post


def login(user):
    """A client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator():
    """Staff in the Moderators group (mailed when a comment is held)."""
    user = UserFactory(username="mod", email="mod@example.com", first_name="Aiko", last_name="Tanaka", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def viewer():
    """Staff who may look at comments but not moderate them."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    return user
