"""The sample article, imported the way the demo does it: what "done" means."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from articles.services import AcceptedCredits, listicle_import
from films.models import Film
from films.services import film_upsert

SAMPLE = Path(settings.BASE_DIR) / "articles" / "demo" / "top-20-sad-romance-anime-movies.txt"
FILMS = Path(settings.BASE_DIR) / "films" / "data" / "demo_films.json"
TITLE = "Top 20 Sad Romance Anime Movies"


@pytest.fixture
def catalogue(db):
    for record in json.loads(FILMS.read_text(encoding="utf-8")):
        film_upsert(data=record)


@pytest.fixture
def imported(catalogue):
    return listicle_import(text=SAMPLE.read_bytes(), title=TITLE, accept_credits=AcceptedCredits.ALL)


def test_twenty_entries_ranked_in_source_order(imported):
    entries = list(imported.article.entries.select_related("film").order_by("rank"))
    assert [e.rank for e in entries] == list(range(1, 21))
    assert entries[0].film.title == "Your Name"
    assert entries[4].film.title == "5 Centimeters Per Second"
    assert entries[6].film.title == "I Want to Eat Your Pancreas"
    assert entries[19].film.title == "The Anthem of the Heart"


def test_seven_is_recovered_with_a_warning(imported):
    seventh = imported.article.entries.get(rank=7)
    assert seventh.write_up.startswith("“I Want to Eat Your Pancreas,”") or seventh.write_up.startswith(
        '"I Want to Eat Your Pancreas,"'
    )
    sixth = imported.article.entries.get(rank=6)
    assert "Pancreas" not in sixth.write_up
    assert [n.message for n in imported.warnings] == [
        "Line 71: #7 had no heading: recovered “I Want to Eat Your Pancreas” from the paragraph that "
        "opens like the other entries, after #6. Check its title."
    ]


def test_anohana_keeps_its_romanized_title_on_a_fresh_catalogue(db):
    report = listicle_import(text=SAMPLE.read_bytes(), title=TITLE)
    anohana = report.article.entries.get(rank=8).film
    assert anohana.title == "Anohana: The Flower We Saw That Day - The Movie"
    assert anohana.romanized_title == "Ano Hi Mita Hana no Namae wo Bokutachi wa Mada Shiranai"
    assert report.created and Film.objects.count() == 20


def test_names_repaired_and_typography_kept(imported):
    text = " ".join(e.write_up for e in imported.article.entries.all())
    for name in ("Ōima", "Tōno", "Kondō"):
        assert name in text
    assert "Ĺ" not in text
    assert "life—dreams" in text and "It’s" in text
    assert len(imported.plan.repairs) == 4  # three names and one whitespace clean-up


def test_hashtags_date_sign_off_and_footer(imported):
    article = imported.article
    names = [t.name for t in article.hashtags.all()]
    assert names[:2] == ["SadAnime", "RomanceAnime"] and len(names) == 10
    assert article.published_at.date() == datetime.date(2024, 6, 22)
    assert article.sign_off.startswith("Stay connected") and "Woke Waves Magazine" in article.sign_off
    assert article.conclusion.startswith("These 20 sad romance anime movies")
    everything = " ".join(
        [article.intro, article.conclusion, article.sign_off, *(e.write_up for e in article.entries.all())]
    )
    assert "More from" not in everything and "View All" not in everything


def test_two_tv_series_warned_in_a_movies_list(imported):
    series = [m for m in imported.checks if "TV series" in m]
    assert series == [
        "#3 “Clannad: After Story” is a TV series, in a list of movies.",
        "#14 “Plastic Memories” is a TV series, in a list of movies.",
    ]


def test_every_source_paragraph_is_kept_in_order(imported):
    import re

    article = imported.article
    kept = [*article.intro.split("\n\n")]
    for entry in article.entries.order_by("rank"):
        kept += entry.write_up.split("\n\n")
    kept += article.conclusion.split("\n\n")
    # The source's paragraphs, minus headings and the tail that is not prose.
    source = SAMPLE.read_text(encoding="utf-8").replace("ĹŚ", "Ō").replace("ĹŤ", "ō")
    blocks = [b.strip() for b in source.split("\n\n") if b.strip()]
    prose = [b for b in blocks if not re.match(r"^\d+\. ", b)][:-5]
    assert len(prose) == 102
    assert kept == prose


def test_command_prints_the_report_and_publishes(catalogue, capsys):
    call_command("import_listicle", str(SAMPLE), "--title", TITLE, "--publish", "--accept-credits")
    out = capsys.readouterr().out
    assert "Created published “Top 20 Sad Romance Anime Movies” with 20 entries (2024-06-22)." in out
    assert "#7 I Want to Eat Your Pancreas (recovered): matched" in out
    assert Article.objects.published().get().title == TITLE


def test_new_films_get_the_credits_the_text_names_when_accepted(db):
    report = listicle_import(text=SAMPLE.read_bytes(), title=TITLE, accept_credits=AcceptedCredits.ALL)
    whisper = report.article.entries.get(rank=11).film
    assert [p.name for p in whisper.directors] == ["Yoshifumi Kondō"]
    assert [s.name for s in whisper.studios.all()] == ["Studio Ghibli"]


def test_credits_are_not_added_unless_accepted(db):
    report = listicle_import(text=SAMPLE.read_bytes(), title=TITLE)
    assert report.article.entries.get(rank=1).film.directors == []
