"""Issue 14's shapes, end to end: what lands in the catalogue and on the page."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from articles.importer.parse import parse
from articles.services import AcceptedCredits, listicle_import
from films.models import Film

HOWL = (
    "Miyazaki Late\n\n#2: “Howl’s Moving Castle” (Hauru no Ugoku Shiro) (2004)\n\nA walking house.\n\n"
    "#1: “Spirited Away” (Sen to Chihiro no Kamikakushi) (2001)\n\nA bathhouse.\n\n#Ghibli"
)


@pytest.mark.django_db
def test_quoted_title_with_original_and_year_makes_a_clean_film_and_is_matched_again():
    listicle_import(text=HOWL)
    howl = Film.objects.get(romanized_title="Hauru no Ugoku Shiro")
    assert (howl.title, howl.year) == ("Howl’s Moving Castle", 2004)
    listicle_import(text=HOWL.replace("Miyazaki Late", "Another List"))
    assert Film.objects.filter(romanized_title="Hauru no Ugoku Shiro").count() == 1


@pytest.mark.django_db
def test_slash_title_matches_the_catalogue_on_either_side():
    film = Film.objects.create(title="Your Name", romanized_title="Kimi no Na wa", year=2016)
    report = listicle_import(text="T\n\n1. Kimi no Na wa / Your Name (2016)\n\nA comet.\n\n#A")
    assert report.films[0].film == film and not report.films[0].is_new


@pytest.mark.django_db
def test_byline_without_an_account_is_kept_and_shown_on_the_page(client):
    text = "Three Films\n\nBy Aiko Tanaka | March 3, 2025 | 6 min read\n\n1. Hal\n\nRobot.\n\n#A"
    report = listicle_import(text=text, publish=True)
    article = report.article
    assert (article.byline, article.author) == ("Aiko Tanaka", None)
    assert article.published_at.date() == datetime.date(2025, 3, 3)
    assert "By Aiko Tanaka" in client.get(article.get_absolute_url()).text
    assert any("byline “Aiko Tanaka” and publication date 2025-03-03" in n.message for n in report.infos)


@pytest.mark.django_db
def test_byline_naming_an_account_becomes_the_author():
    aiko = get_user_model().objects.create(username="aiko", first_name="Aiko", last_name="Tanaka")
    article = listicle_import(text="T\n\n*By Aiko Tanaka — 3 March 2025*\n\n1. Hal\n\nRobot.\n\n#A").article
    assert (article.author, article.byline_text, article.byline) == (aiko, "", "Aiko Tanaka")


def test_date_glued_to_the_hashtag_line_keeps_both():
    plan = parse("T\n\n1. Hal\n\nRobot.\n\nJun 22, 2024\n#SadAnime #RomanceAnime")
    assert plan.published_on == datetime.date(2024, 6, 22)
    assert plan.hashtags == ["SadAnime", "RomanceAnime"]
    assert plan.entries[0].paragraphs == ["Robot."]


def test_furniture_is_dropped_with_its_reason_in_the_trace():
    plan = parse("T\n\n1. Hal\n\nRobot.\n\nRead more: Ten robot films\n\nWhere to watch: Netflix\n\n#A")
    assert [(p.text, p.reason) for p in plan.dropped] == [
        ("Read more: Ten robot films", "cross-link"),
        ("Where to watch: Netflix", "where-to-watch line (availability changes by country and month; not kept)"),
    ]
    assert plan.entries[0].paragraphs == ["Robot."]


def test_a_call_to_comment_after_the_last_entry_is_the_conclusion():
    plan = parse(
        "T\n\n1. Hal\n\nRobot.\n\n2. Colorful\n\nSoul.\n\nWhich one made you cry? Tell us in the comments.\n\n#A"
    )
    assert plan.entries[1].paragraphs == ["Soul."]
    assert plan.conclusion == ["Which one made you cry? Tell us in the comments."]
    assert plan.placement(11).where == "conclusion"


def test_an_unsure_closing_paragraph_is_asked_about():
    plan = parse("T\n\n1. Hal\n\nRobot.\n\n2. Colorful\n\nSoul.\n\nYou will love these films.\n\n#A")
    [ask] = [n for n in plan.notes if n.ask]
    assert (ask.ask, ask.line, ask.level) == ("conclusion", 11, "warning")
    assert plan.entries[1].paragraphs == ["Soul.", "You will love these films."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write_up, director",
    [
        ("Directed by Mamoru Hosoda, it is personal.", "Mamoru Hosoda"),
        ("**Director:** Hiroyuki Okiura", "Hiroyuki Okiura"),
        ("Here Satoshi Kon directs a love letter.", "Satoshi Kon"),
    ],
)
def test_director_credits_in_any_shape_are_added_when_accepted(write_up, director):
    report = listicle_import(text=f"T\n\n1. Some Film\n\n{write_up}\n\n#A", accept_credits=AcceptedCredits.ALL)
    assert [p.name for p in report.films[0].film.directors] == [director]


def test_repairs_are_traced_to_their_block():
    plan = parse("T\n\n1. Hal\n\nBy Yoshifumi KondĹŤ, it is good.\n\n#A")
    assert plan.placement(5).repairs == ["Line 5: repaired mojibake “KondĹŤ” → “Kondō”."]
