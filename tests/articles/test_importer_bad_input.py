"""Bad input: a clear message naming the problem (and the line), and nothing written."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Entry
from articles.services import ListicleImportError, listicle_import
from films.models import Film
from tests.factories import ArticleFactory

GOOD = "A Good List\n\nIntro.\n\n1. Hal\n\nRobot.\n\n2. Colorful\n\nSoul.\n\n#SadAnime\n"


def assert_nothing_written():
    assert Article.objects.count() == 0
    assert Film.objects.count() == 0
    assert Entry.objects.count() == 0


def refused(data, **kwargs):
    with pytest.raises(ListicleImportError) as e:
        listicle_import(text=data, **kwargs)
    assert_nothing_written()
    return e.value.messages


@pytest.mark.django_db
def test_empty_text():
    assert refused("  \n\n ") == ["The text is empty: paste a list or upload a .txt or .md file."]


@pytest.mark.django_db
def test_binary_file():
    assert refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == [
        "This is a binary file, not text. Paste the list or upload a .txt or .md file."
    ]


@pytest.mark.django_db
def test_bytes_no_encoding_reads_cleanly_name_the_line():
    data = b"A List\n\n1. Caf\xe9 Stories\n\nText \x01\x02."
    assert refused(data) == [
        "Line 3: the file is not UTF-8, and no other encoding reads it cleanly. Save it as UTF-8 and import it again."
    ]


@pytest.mark.django_db
def test_legacy_encoding_is_read_and_reported():
    data = "A List\n\n1. Caf\u00e9 Stories\n\n“Text”.\n\n#A".encode("cp1252")
    report = listicle_import(text=data)
    assert report.plan.entries[0].title == "Café Stories"
    assert [n.message for n in report.plan.repairs] == [
        "The file is not UTF-8: it was read as Windows-1252.",
        "Line 3: “é” read as Windows-1252.",
        "Line 5: ““”, “”” read as Windows-1252.",
    ]


@pytest.mark.django_db
def test_no_entries():
    [message] = refused("A List\n\nJust an intro.\n\nAnd more prose.")
    assert message.startswith("No entries found")


@pytest.mark.django_db
def test_two_entries_with_the_same_rank():
    assert refused("T\n\n1. Hal\n\nRobot.\n\n1. Colorful\n\nSoul.") == [
        "Lines 3 and 7: rank 1 is given to both “Hal” and “Colorful”. Give each entry its own rank."
    ]


@pytest.mark.django_db
def test_title_longer_than_the_field():
    [message] = refused(GOOD, title="Long " * 50)
    assert message == "Line 1: the title is 249 characters long; at most 200 fit."


@pytest.mark.django_db
def test_entry_title_longer_than_the_field_names_the_line():
    [message] = refused("T\n\n1. " + "x" * 205 + "\n\nText.")
    assert message == "Line 3: the title of entry #1 is 205 characters long; at most 200 fit."


@pytest.mark.django_db
def test_no_title_line_and_no_title():
    assert refused("1. Hal\n\nRobot.") == ["The text has no title line: give the list a title."]


@pytest.mark.django_db
def test_the_same_film_twice_is_refused_and_nothing_written():
    assert refused("T\n\n1. Your Name (Kimi no Na wa)\n\nA.\n\n2. Kimi no Na wa\n\nB.") == [
        "Line 7: “Kimi no Na wa” (#2) is the same film as #1 “Your Name”. A film can appear only once."
    ]


@pytest.mark.django_db
def test_command_reports_the_problem_and_writes_nothing(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="Nothing was imported.\nThe text is empty"):
        call_command("import_listicle", str(path))
    assert_nothing_written()


@pytest.mark.django_db
def test_reimporting_the_same_text_updates_its_draft():
    first = listicle_import(text=GOOD)
    second = listicle_import(text=GOOD.replace("\n", "\r\n"), dek="New standfirst")
    assert not second.created and second.article.pk == first.article.pk
    assert Article.objects.count() == 1 and Film.objects.count() == 2
    assert Article.objects.get().dek == "New standfirst"
    assert list(Entry.objects.values_list("rank", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_reimporting_over_a_published_list_is_refused():
    listicle_import(text=GOOD, publish=True)
    with pytest.raises(ListicleImportError, match="already imported as “A Good List”, which is published"):
        listicle_import(text=GOOD)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_writes_nothing_but_reports_everything():
    report = listicle_import(text=GOOD, dry_run=True)
    assert report.created and len(report.films) == 2
    assert_nothing_written()


@pytest.mark.django_db
def test_matching_an_existing_film_ignores_case_and_punctuation():
    from tests.factories import FilmFactory

    film = FilmFactory(title="Hal", romanized_title="")
    report = listicle_import(text=GOOD.replace("1. Hal", "1. HAL!"))
    assert report.article.entries.get(rank=1).film == film
    assert not report.films[0].is_new and report.films[1].is_new


@pytest.mark.django_db
def test_an_unrelated_article_is_untouched():
    other = ArticleFactory(title="A Good List")
    report = listicle_import(text=GOOD)
    assert report.article.pk != other.pk and report.article.slug == "a-good-list-2"
