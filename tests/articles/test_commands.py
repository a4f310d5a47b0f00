import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_ensure_editor_prints_a_random_password_once():
    first = run("ensure_editor")
    password = re.search(r"password: (\S+)", first).group(1)
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and user.check_password(password)
    assert len(password) >= 12
    second = run("ensure_editor")
    assert "already exists" in second and password not in second
    assert get_user_model().objects.filter(username="editor").count() == 1


def test_ensure_editor_dry_run_writes_nothing():
    assert "Would create" in run("ensure_editor", "--dry-run")
    assert not get_user_model().objects.exists()


def test_two_editors_get_different_passwords():
    a = re.search(r"password: (\S+)", run("ensure_editor", "--username", "a")).group(1)
    b = re.search(r"password: (\S+)", run("ensure_editor", "--username", "b")).group(1)
    assert a != b
