"""Each heading shape real sites use, with lists written for the test."""

import datetime

import pytest

from articles.importer.parse import ParseError, parse


def ranks_titles(plan):
    return [(e.rank, e.title) for e in plan.entries]


def test_dot_shape_with_title_line_and_original_title():
    plan = parse(
        "Five Films About Rain\n\nAn intro.\n\n1. Your Name (Kimi no Na wa)\n\nWrite-up one.\n\n"
        "2. The Garden of Words (Kotonoha no Niwa)\n\nWrite-up two.\n\n#Rain"
    )
    assert plan.title == "Five Films About Rain"
    assert plan.intro == ["An intro."]
    assert ranks_titles(plan) == [(1, "Your Name"), (2, "The Garden of Words")]
    assert plan.entries[0].original_title == "Kimi no Na wa"
    assert plan.entries[1].paragraphs == ["Write-up two."]


def test_parenthesis_shape():
    plan = parse("1) Hal\n\nA robot.\n\n2) Colorful\n\nA soul.\n\n#A", title="Two")
    assert ranks_titles(plan) == [(1, "Hal"), (2, "Colorful")]


def test_hash_colon_shape_with_quoted_title_and_year():
    plan = parse("#1: “Your Name” (2016)\n\nComet.\n\n#2: “Hal” (2013)\n\nRobot.\n\n#A", title="T")
    assert ranks_titles(plan) == [(1, "Your Name"), (2, "Hal")]
    assert plan.entries[0].year == 2016
    assert plan.entries[0].original_title == ""


def test_dash_shape_with_text_on_the_same_line():
    plan = parse("#10 – Hal – a robot learns to grieve.\n\nMore.\n\n#9 – Colorful – second chances.\n\n#A", title="T")
    assert ranks_titles(plan) == [(9, "Colorful"), (10, "Hal")]
    hal = plan.entries[1]
    assert hal.paragraphs == ["a robot learns to grieve.", "More."]


def test_markdown_headings():
    plan = parse("# Shinkai Ranked\n\nIntro.\n\n## 1. Your Name\n\nOne.\n\n## 2. Hal\n\nTwo.\n\n#A")
    assert plan.title == "Shinkai Ranked"
    assert ranks_titles(plan) == [(1, "Your Name"), (2, "Hal")]


def test_heading_glued_to_its_text():
    plan = parse("1. Your Name\nThe first paragraph.\n\n2. Hal\nRobot.\n\n#A", title="T")
    assert plan.entries[0].paragraphs == ["The first paragraph."]


def test_countdown_keeps_the_number_as_rank():
    plan = parse("3. Hal\n\nThird.\n\n2. Colorful\n\nSecond.\n\n1. Your Name\n\nFirst.\n\n#A", title="T")
    assert ranks_titles(plan) == [(1, "Your Name"), (2, "Colorful"), (3, "Hal")]
    assert plan.entries[0].paragraphs == ["First."]
    assert any("countdown" in n.message for n in plan.notes)


def test_unnumbered_headings_are_ranked_by_order_with_a_warning():
    plan = parse("Intro.\n\n## Hal\n\nRobot.\n\n## Your Name\n\nComet.\n\n#A", title="T")
    assert ranks_titles(plan) == [(1, "Hal"), (2, "Your Name")]
    assert any(n.level == "warning" and "not numbered" in n.message for n in plan.notes)


def test_title_that_starts_with_a_number():
    plan = parse("5. 5 Centimeters Per Second (Byousoku 5 Centimeter)\n\nPetals.\n\n#A", title="T")
    assert ranks_titles(plan) == [(5, "5 Centimeters Per Second")]


def test_text_after_the_parenthesis_stays_in_the_title():
    plan = parse("1. Anohana: The Flower (Ano Hi Mita Hana) - The Movie\n\nText.\n\n#A", title="T")
    entry = plan.entries[0]
    assert entry.title == "Anohana: The Flower - The Movie"
    assert entry.original_title == "Ano Hi Mita Hana"


def test_tail_conclusion_sign_off_hashtags_date_and_furniture():
    plan = parse(
        "1. Hal\n\nRobot.\n\n2. Colorful\n\nSoul.\n\nThese 2 sad films will stay with you.\n\n"
        "Thanks for reading Reel Rankings Magazine.\n\n#SadAnime #RomanceAnime\n\n22 June 2024\n\n"
        "More from\n\nView All\n\nShare this article",
        title="T",
    )
    assert plan.entries[1].paragraphs == ["Soul."]
    assert plan.conclusion == ["These 2 sad films will stay with you."]
    assert plan.sign_off == "Thanks for reading Reel Rankings Magazine."
    assert plan.hashtags == ["SadAnime", "RomanceAnime"]
    assert plan.published_on == datetime.date(2024, 6, 22)
    dropped = [n.message for n in plan.notes if "furniture" in n.message]
    assert len(dropped) == 3


@pytest.mark.parametrize("written", ["Jun 22, 2024", "22 June 2024", "2024-06-22", "Published on June 22, 2024"])
def test_date_forms(written):
    plan = parse(f"1. Hal\n\nRobot.\n\n{written}\n\n#A", title="T")
    assert plan.published_on == datetime.date(2024, 6, 22)


def test_gap_recovered_from_a_paragraph_that_opens_like_the_others():
    plan = parse(
        "1. Hal\n\n“Hal,” directed by Ryotaro Makihara, is a robot story.\n\nMore about Hal.\n\n"
        "“Colorful,” directed by Keiichi Hara, is about a soul.\n\nMore about it.\n\n"
        "3. Your Name\n\n“Your Name” is a comet story directed by Makoto Shinkai.\n\n#A",
        title="T",
    )
    assert ranks_titles(plan) == [(1, "Hal"), (2, "Colorful"), (3, "Your Name")]
    assert plan.entries[0].paragraphs == ["“Hal,” directed by Ryotaro Makihara, is a robot story.", "More about Hal."]
    assert plan.entries[1].recovered
    assert plan.entries[1].paragraphs[1] == "More about it."
    assert any(n.level == "warning" and "#2 had no heading" in n.message for n in plan.notes)


def test_gap_without_a_recoverable_paragraph_is_reported():
    plan = parse("1. Hal\n\nRobot.\n\n3. Your Name\n\nComet.\n\n#A", title="T")
    assert ranks_titles(plan) == [(1, "Hal"), (3, "Your Name")]
    assert [n.message.split(" Mark")[0] for n in plan.errors] == ["Rank 2 is missing: the list jumps over it."]


def test_credits_are_proposed_from_the_write_up():
    plan = parse(
        "1. Hal\n\n“Hal,” directed by the acclaimed Ryōtarō Makihara and produced by Wit Studio, "
        "has a score composed by Michiru Ōshima.\n\n#A",
        title="T",
    )
    assert [(c.role, c.name) for c in plan.entries[0].credits] == [
        ("director", "Ryōtarō Makihara"),
        ("studio", "Wit Studio"),
        ("composer", "Michiru Ōshima"),
    ]


def test_mojibake_is_repaired_and_typography_kept():
    plan = parse("1. Hal\n\nBy Yoshifumi KondĹŤ and TĹŤno — it’s “good”.\n\n#A", title="T")
    assert plan.entries[0].paragraphs == ["By Yoshifumi Kondō and Tōno — it’s “good”."]
    assert [n.message for n in plan.repairs] == [
        "Line 3: repaired mojibake “KondĹŤ” → “Kondō”.",
        "Line 3: repaired mojibake “TĹŤno” → “Tōno”.",
    ]


def test_windows_1252_mojibake_is_repaired_too():
    plan = parse("1. Hal\n\nA cafÃ© scene.\n\n#A", title="T")
    assert plan.entries[0].paragraphs == ["A café scene."]


def test_missing_hashtags_warned():
    plan = parse("1. Hal\n\nRobot.", title="T")
    assert any("No hashtag line" in n.message for n in plan.notes)


def test_two_entries_with_the_same_rank_are_refused_naming_the_lines():
    with pytest.raises(ParseError) as e:
        parse("1. Hal\n\nRobot.\n\n1. Colorful\n\nSoul.", title="T")
    assert e.value.messages == [
        "Lines 1 and 5: rank 1 is given to both “Hal” and “Colorful”. Give each entry its own rank."
    ]


def test_several_gaps_are_reported_together():
    plan = parse("1. Hal\n\nRobot.\n\n4. Your Name\n\nComet.\n\n#A", title="T")
    assert [n.message.split(" Mark")[0] for n in plan.errors] == [
        "Ranks 2 and 3 are missing: the list jumps over them."
    ]


def test_a_conclusion_heading_before_the_entries_keeps_its_text():
    plan = parse("Title\n\nConclusion\n\nThese are sad.\n\n1. Hal\n\nRobot.\n\n#A")
    assert plan.conclusion == ["These are sad."]
    assert ranks_titles(plan) == [(1, "Hal")]
    assert plan.entries[0].paragraphs == ["Robot."]


def test_json_ranks_below_one_are_refused_naming_them():
    with pytest.raises(ParseError) as e:
        parse('{"title": "J", "entries": [{"rank": -1, "heading": "Hal"}, {"rank": 1, "heading": "Colorful"}]}')
    assert e.value.messages == ["Line 0: ranks start at 1, not -1."]
