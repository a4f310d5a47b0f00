"""backup → a freshly migrated database → restore keeps every row."""

import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Transition
from operations.management.commands.backup import backed_up_models
from tests.factories import HashtagFactory, MoodFactory, StaffFactory, make_list


def row_counts():
    return {m._meta.label_lower: m._default_manager.count() for m in backed_up_models()}


@pytest.fixture
def content():
    article = make_list(4, title="Top Four")
    make_list(2, title="Top Two", draft=True)
    mood = MoodFactory(name="sad")
    for entry in article.entries.all():
        entry.film.moods.add(mood)
    article.hashtags.add(HashtagFactory(name="SadAnime"))
    film = article.entries.get(rank=1).film
    # A stored poster (dimensions known, so no file is opened).
    type(film).objects.filter(pk=film.pk).update(
        poster="posters/2024/your-name.jpg", poster_width=400, poster_height=600
    )
    editor = StaffFactory(username="editor")
    Transition.objects.create(article=article, user=editor, from_state="draft", to_state="published")
    # A revision of the list, and a share link opened once: every table has a row to carry over.
    from articles.models import ShareLink, ShareLinkOpening
    from articles.revisions import article_revision_record

    article_revision_record(article=article)
    link = ShareLink.objects.create(article=article, expires_at=article.published_at)
    ShareLinkOpening.objects.create(link=link)
    # An editor's autosaved working copy: unsaved work is carried over too.
    from articles.models import WorkingCopy

    WorkingCopy.objects.create(
        user=editor, article=article, version=article.version, data={"fields": [["title", "Top 4"]]}
    )
    from django.utils import timezone

    from articles.models import Presence

    Presence.objects.create(user=editor, article=article, opened_at=timezone.now(), seen_at=timezone.now())
    # As on a real site: the groups `migrate` made (transactional tests flush them away).
    for role in ["Moderators", "Writers", "Editors", "Cataloguers"]:
        Group.objects.get_or_create(name=role)
    return article


ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def fresh_database(tmp_path):
    """The URL of a new, empty database of the kind the tests run on, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url, *args):
    """A manage.py command on another database, as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "magazine.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def comparable(objects):
    """
    Backup rows, less what may rightly differ: the id of the group `migrate`
    made, when search documents were last indexed (loading reindexes), and
    how a time within the first millisecond of a second is written: JSON keeps
    milliseconds, so 12:00:00.000123 is backed up as "12:00:00.000Z", loaded
    as 12:00:00, and backed up again as "12:00:00Z".
    """

    def plain(o):
        if o["model"] == "auth.group":
            return {**o, "pk": None}
        if o["model"] == "search.searchdocument":
            return {**o, "fields": {**o["fields"], "updated_at": None}}
        return o

    return sorted(json.dumps(plain(o), sort_keys=True).replace('.000Z"', 'Z"') for o in objects)


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_a_freshly_migrated_database(content, tmp_path):
    """The README's procedure: `migrate` a new database, then `restore` into it."""
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path))
    document = json.loads(path.read_text())
    assert {
        "model": "films.film",
        "pk": content.entries.get(rank=1).film_id,
        "field": "poster",
        "name": "posters/2024/your-name.jpg",
    } in document["media"]
    assert all(n > 0 for label, n in document["counts"].items() if label.startswith(("articles.", "films.")))

    with fresh_database(tmp_path) as fresh:
        manage(fresh, "migrate", "--noinput", "-v", "0")
        assert "auth.group: 4" in manage(fresh, "backup", "--dry-run")  # migrate's own rows: the roles
        assert "Loaded" in manage(fresh, "restore", str(path))

        again = tmp_path / "again.json"
        manage(fresh, "backup", "--output", str(again))
        restored = json.loads(again.read_text())
        assert restored["counts"] == document["counts"]
        assert comparable(restored["objects"]) == comparable(document["objects"])
        # New rows get fresh ids after a restore (PostgreSQL sequences were reset).
        manage(fresh, "shell", "-c", "from tests.factories import make_list; make_list(1, title='After restore')")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_content(content, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))
    call_command("restore", str(path), force=True)  # same rows, overwritten in place
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_dry_runs_write_nothing(content, tmp_path, capsys):
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path), dry_run=True)
    assert not path.exists()
    assert "Would write" in capsys.readouterr().out


@pytest.mark.django_db
def test_restore_rejects_a_foreign_file(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps([{"model": "auth.user"}]))
    with pytest.raises(CommandError):
        call_command("restore", str(path))
