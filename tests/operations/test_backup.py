"""backup → empty database → restore keeps every row."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
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
    StaffFactory(username="editor")
    return article


@pytest.mark.django_db(transaction=True)
def test_round_trip_keeps_every_row(content, tmp_path):
    path = tmp_path / "backup.json"
    before = row_counts()
    ranks_before = list(Article.objects.get(title="Top Four").entries.values_list("rank", "film__title"))
    call_command("backup", output=str(path))

    document = json.loads(path.read_text())
    assert document["counts"] == before
    assert {"model": "films.film", "pk": content.entries.get(rank=1).film_id, "field": "poster",
            "name": "posters/2024/your-name.jpg"} in document["media"]

    call_command("flush", interactive=False, verbosity=0)
    assert sum(row_counts().values()) == 0
    call_command("restore", str(path))

    assert row_counts() == before
    assert all(n > 0 for label, n in before.items() if label.startswith(("articles.", "films.")))
    restored = Article.objects.get(title="Top Four")
    assert list(restored.entries.values_list("rank", "film__title")) == ranks_before
    assert [t.name for t in restored.hashtags.all()] == ["SadAnime"]
    # New rows get fresh ids after a restore (PostgreSQL sequences were reset).
    make_list(1, title="After restore")


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
