"""Every migration of our apps reverses: down to zero and back up on an empty database."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection


def project_apps():
    # Not the libraries installed in the checkout's .venv: django-tasks-db's
    # migrations, for one, do not reverse, and they are not ours to fix.
    root = Path(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(root)
        and "site-packages" not in Path(config.path).parts
        and (Path(config.path) / "migrations").is_dir()
    ]


@pytest.mark.django_db(transaction=True)
def test_migrations_reverse_to_zero_and_back():
    ours = project_apps()
    assert {"films", "articles"} <= {c.label for c in ours}
    tables = {m._meta.db_table for c in ours for m in c.get_models() if m._meta.managed}
    for config in reversed(ours):
        call_command("migrate", config.label, "zero", verbosity=0)
    assert not tables & set(connection.introspection.table_names())
    call_command("migrate", verbosity=0)
    assert tables <= set(connection.introspection.table_names())
