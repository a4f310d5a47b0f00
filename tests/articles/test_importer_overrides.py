"""The editor's corrections to the importer's reading: `parse(text, overrides={line: what})`."""

import pytest

from articles.importer.parse import ParseError, parse

UNSURE = "T\n\n1. Hal\n\nRobot.\n\n2. Colorful\n\nSoul.\n\nYou will love these films.\n\nMore words.\n\n#A"


def test_marking_the_conclusion_moves_that_paragraph_and_what_follows():
    plan = parse(UNSURE, overrides={11: "conclusion"})
    assert plan.entries[1].paragraphs == ["Soul."]
    assert plan.conclusion == ["You will love these films.", "More words."]
    assert [(p.line, p.where, p.marked) for p in plan.trace if p.line >= 9] == [
        (9, "entry", ""),
        (11, "conclusion", "conclusion"),
        (13, "conclusion", ""),
        (15, "hashtags", ""),
    ]
    assert not [n for n in plan.notes if n.ask]  # answered: no longer asked


def test_a_marked_conclusion_keeps_what_the_parser_would_have_moved_before_it():
    text = "T\n\n1. Hal\n\nRobot.\n\nTell us in the comments.\n\nThe end.\n\n#A"
    assert parse(text).conclusion == ["Tell us in the comments.", "The end."]
    plan = parse(text, overrides={9: "conclusion"})
    assert plan.entries[0].paragraphs == ["Robot.", "Tell us in the comments."]
    assert plan.conclusion == ["The end."]


def test_the_conclusion_cannot_start_before_an_entry_heading():
    with pytest.raises(
        ParseError,
        match="Line 5: the conclusion can only start after the last entry, but an entry heading follows it at line 7",
    ):
        parse(UNSURE, overrides={5: "conclusion"})
    with pytest.raises(ParseError, match="Line 3: the conclusion can only start after an entry"):
        parse("T\n\nIntro.\n\n1. Hal\n\nRobot.\n\n#A", overrides={3: "conclusion"})


def test_marking_furniture_drops_the_block_with_its_reason():
    plan = parse(UNSURE, overrides={13: "furniture"})
    assert [(p.line, p.text, p.reason, p.marked) for p in plan.dropped] == [
        (13, "More words.", "marked as furniture in the preview", "furniture"),
    ]
    assert "More words." not in plan.entries[1].paragraphs


def test_furniture_above_the_title_is_skipped_to_find_the_title():
    plan = parse("Sponsored by a cereal brand\n\nSad Films\n\n1. Hal\n\nRobot.\n\n#A", overrides={1: "furniture"})
    assert plan.title == "Sad Films"
    assert plan.placement(1).where == "dropped"


def test_a_plain_line_marked_as_a_heading_takes_the_missing_rank():
    text = "T\n\n1. Hal\n\nRobot.\n\nClannad (2007)\n\nFamily.\n\n3. Colorful\n\nSoul.\n\n#A"
    assert [e.title for e in parse(text).entries] == ["Hal", "Colorful"]
    plan = parse(text, overrides={7: "heading"})
    assert [(e.rank, e.title, e.year, e.paragraphs) for e in plan.entries] == [
        (1, "Hal", None, ["Robot."]),
        (2, "Clannad", 2007, ["Family."]),
        (3, "Colorful", None, ["Soul."]),
    ]
    assert (plan.placement(7).where, plan.placement(7).rank, plan.placement(7).marked) == ("heading", 2, "heading")


def test_a_marked_heading_with_its_lost_number_in_a_countdown():
    text = "T\n\n3. Hal\n\nRobot.\n\n2 Clannad\n\nFamily.\n\n1. Colorful\n\nSoul.\n\n#A"
    plan = parse(text, overrides={7: "heading"})
    assert [(e.rank, e.title) for e in plan.entries] == [(1, "Colorful"), (2, "Clannad"), (3, "Hal")]


def test_a_marked_heading_adds_an_entry_to_an_unnumbered_list():
    text = "T\n\nAn intro.\n\n## Hal\n\nRobot.\n\n## Colorful\n\nSoul.\n\nWolf Children\n\nTwo children.\n\n#A"
    assert [e.title for e in parse(text).entries] == ["Hal", "Colorful"]
    plan = parse(text, overrides={13: "heading"})
    assert [(e.rank, e.title, e.paragraphs) for e in plan.entries] == [
        (1, "Hal", ["Robot."]),
        (2, "Colorful", ["Soul."]),
        (3, "Wolf Children", ["Two children."]),
    ]


def test_a_marked_heading_is_an_entry_never_the_lists_title():
    plan = parse("Hal\n\nRobot.\n\nColorful\n\nSoul.\n\n#A", title="Two Films", overrides={1: "heading"})
    assert plan.title == "Two Films"
    assert [e.title for e in plan.entries] == ["Hal", "Colorful"]


def test_an_override_applies_to_the_block_holding_its_line():
    plan = parse("T\n\n1. Hal\n\nRobot.\nStill the robot.\n\n#A", overrides={6: "furniture"})
    assert plan.placement(5).where == "dropped" and plan.entries[0].paragraphs == []


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({4: "furniture"}, "Line 4 is blank or past the end of the text"),
        ({99: "heading"}, "Line 99 is blank or past the end of the text"),
        ({5: "paragraph"}, "Line 5: “paragraph” is not a correction the importer knows"),
    ],
)
def test_bad_overrides_are_refused_by_line(overrides, message):
    with pytest.raises(ParseError, match=message):
        parse(UNSURE, overrides=overrides)


def test_no_overrides_reads_as_before():
    assert parse(UNSURE, overrides={}).trace == parse(UNSURE).trace
