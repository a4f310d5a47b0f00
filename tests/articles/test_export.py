"""Export, and the round trip: importing the export gives the same article."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.services import listicle_import

SAMPLE = Path(settings.BASE_DIR) / "articles" / "demo" / "top-20-sad-romance-anime-movies.txt"


def snapshot(article):
    return {
        "title": article.title,
        "dek": article.dek,
        "date": article.published_at.date(),
        "intro": article.intro,
        "conclusion": article.conclusion,
        "sign_off": article.sign_off,
        "hashtags": [t.name for t in article.hashtags.all()],
        "entries": [(e.rank, e.film_id, e.write_up) for e in article.entries.order_by("rank")],
    }


def export(slug, fmt, capsys):
    call_command("export_listicle", slug, "--format", fmt)
    return capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_round_trip(fmt, capsys):
    original = listicle_import(
        text=SAMPLE.read_bytes(), title="Top 20 Sad Romance Anime Movies", dek="Bring tissues."
    ).article
    before = snapshot(original)
    text = export(original.slug, fmt, capsys)
    original.delete()  # the import must rebuild it from the export alone

    again = listicle_import(text=text).article
    assert snapshot(again) == before
    assert again.entries.get(rank=7).film.title == "I Want to Eat Your Pancreas"


@pytest.mark.django_db
def test_markdown_export_reads_like_a_list(capsys):
    article = listicle_import(text=SAMPLE.read_bytes(), title="Top 20 Sad Romance Anime Movies").article
    text = export(article.slug, "markdown", capsys)
    assert text.startswith("# Top 20 Sad Romance Anime Movies\n\n")
    assert "\n\n## 8. Anohana: The Flower We Saw That Day - The Movie (Ano Hi Mita Hana no Namae wo" in text
    assert text.endswith("#WokeWavesMagazine\n\n2024-06-22\n")


@pytest.mark.django_db
def test_json_export_carries_the_checks(capsys):
    article = listicle_import(text="T\n\n1. Hal\n\nRobot.").article
    data = json.loads(export(article.slug, "json", capsys))
    assert data["entries"][0]["film"]["title"] == "Hal"
    assert data["checks"] == ["The list has no hashtags."]


@pytest.mark.django_db
def test_unknown_slug():
    with pytest.raises(CommandError, match="No list with the address “nope”."):
        call_command("export_listicle", "nope")
    assert Article.objects.count() == 0
