"""
Headings taken apart into the titles a catalogue keeps (English, romanised,
native), a year and a format; and matched against the catalogue in any of
their romanised spellings, so a film already there is not made twice.
"""

import pytest

from articles.importer.parse import heading_parts
from articles.importer.romaji import folded, romanisation_variants
from articles.services import listicle_import
from films.models import Film


@pytest.mark.parametrize(
    "heading, parts",
    [
        (
            "新世紀エヴァンゲリオン（Shinseiki Evangerion）— Neon Genesis Evangelion",
            ("Neon Genesis Evangelion", "Shinseiki Evangerion", "新世紀エヴァンゲリオン", None, ""),
        ),
        ("Spirited Away (千と千尋の神隠し) (2001)", ("Spirited Away", "", "千と千尋の神隠し", 2001, "")),
        ("火垂るの墓（1988年）", ("火垂るの墓", "", "", 1988, "")),
        ("Grave of the Fireflies 1988", ("Grave of the Fireflies", "", "", 1988, "")),
        ("Blade Runner 2049", ("Blade Runner 2049", "", "", None, "")),
        ("Clannad: After Story (TV series, 2008)", ("Clannad: After Story", "", "", 2008, "tv")),
        ("Rurouni Kenshin: Trust & Betrayal (OVA)", ("Rurouni Kenshin: Trust & Betrayal", "", "", None, "ova")),
        (
            "5 Centimeters Per Second (Byousoku 5 Centimeter)",
            ("5 Centimeters Per Second", "Byousoku 5 Centimeter", "", None, ""),
        ),
    ],
)
def test_a_heading_gives_each_title_its_year_and_format(heading, parts):
    got = heading_parts(heading, dash=False)
    assert (got.title, got.original, got.native, got.year, got.format) == parts


def test_every_spelling_of_a_long_vowel_folds_to_one():
    assert folded("Shōjo") == folded("Shoujo") == folded("shojo") == folded("Shohjo") == "shojo"
    assert folded("Mimi wo Sumaseba") == folded("Mimi o Sumaseba")
    assert "Toki wo Kakeru Shojo" in romanisation_variants("Toki o Kakeru Shoujo")


@pytest.mark.django_db
def test_a_film_in_the_catalogue_under_other_spellings_is_matched_not_made_again():
    eva = Film.objects.create(
        title="Neon Genesis Evangelion",
        romanized_title="Shinseiki Evangerion",
        native_title="新世紀エヴァンゲリオン",
        format=Film.Format.TV,
        confirmed=True,
    )
    girl = Film.objects.create(
        title="The Girl Who Leapt Through Time", romanized_title="Toki wo Kakeru Shōjo", confirmed=True
    )
    text = (
        "Two\n\n## 1. 新世紀エヴァンゲリオン（Shinseiki Evangerion）— Evangelion\n\nTV series · 1995–96 · 26 episodes\n\n"
        "Robots.\n\n## 2. Das Mädchen, das durch die Zeit sprang (Toki o Kakeru Shoujo, 2006)\n\nTime.\n\n#A"
    )
    report = listicle_import(text=text)
    assert [o.film for o in report.films] == [eva, girl]
    assert Film.objects.count() == 2


@pytest.mark.django_db
def test_a_new_film_keeps_its_native_title_year_and_format():
    text = "One\n\n## 1. 四月は君の嘘（Shigatsu wa Kimi no Uso）— Your Lie in April\n\nTV series · 2014–15 · 22 episodes\n\nPiano.\n\n#A"
    film = listicle_import(text=text).films[0].film
    assert (film.title, film.romanized_title, film.native_title, film.year, film.format) == (
        "Your Lie in April",
        "Shigatsu wa Kimi no Uso",
        "四月は君の嘘",
        2014,
        "tv",
    )
