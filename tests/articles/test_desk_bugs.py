"""
The smaller bugs of the writing desk (issue 24, item 8), each asserted as an
editor would see it: each of these failed before its fix.
"""

import re

import pytest

from articles.models import Article
from articles.revisions import article_revision_record
from tests.articles.test_admin import abc, article_form, change_url, existing  # noqa: F401
from tests.articles.test_edit_conflicts import opened
from tests.articles.test_roles import a_list, writer  # noqa: F401

pytestmark = pytest.mark.django_db


def summary(html):
    found = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    return found[0] if found else ""


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_imported_byline_can_be_edited_in_the_form(staff_client, abc):  # noqa: F811
    Article.objects.filter(pk=abc.pk).update(byline_text="By Marta Okafor")
    html = staff_client.get(change_url(abc)).content.decode()
    assert re.search(r'<input[^>]+name="byline_text"[^>]+value="By Marta Okafor"', html)
    response = staff_client.post(change_url(abc), article_form(abc, existing(abc), byline_text="Marta Okafor"))
    assert response.status_code == 302
    assert Article.objects.get(pk=abc.pk).byline == "Marta Okafor"


def test_a_writer_sees_the_byline_but_cannot_give_it_away(writer):  # noqa: F811
    article = a_list(writer.user, draft=True)
    html = writer.get(change_url(article)).content.decode()
    assert "Byline" in html and 'name="byline_text"' not in html


def test_a_duplicate_film_links_to_the_entry_at_fault(staff_client, abc):  # noqa: F811
    entries = existing(abc)
    response = staff_client.post(change_url(abc), article_form(abc, entries + [{"film": entries[0]["film"]}]))
    assert response.status_code == 200
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary(response.content.decode()))
    assert links == [
        ("entries-3", "Entries: “A” is in this list 2 times (ranks 1, new). A film can appear only once.")
    ], links


def test_the_conflict_page_says_it_once_with_nothing_empty(staff_client, abc):  # noqa: F811
    article_revision_record(article=abc)
    first, second = opened(abc), opened(abc)
    first["dek"] = "A's new standfirst"
    assert staff_client.post(change_url(abc), first).status_code == 302
    html = staff_client.post(change_url(abc), {**second, "sign_off": "B's"}).content.decode()
    box = summary(html)
    # Before: the box said "Fix this first:" over an empty list, and the message came three times.
    assert re.findall(r"<li>(.*?)</li>", box, re.S) == [
        '<a href="#edit-conflict">Someone else saved this list after you opened it: see what they changed</a>'
    ]
    assert 'id="edit-conflict"' in html
    assert text(html).count("Someone else saved this list after you opened it") == 2  # the summary and the section


def test_the_writer_is_mailed_when_an_editor_publishes_or_schedules_their_list(
    writer,
    mailoutbox,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    import datetime

    from django.utils import timezone

    from articles.services import article_publish, article_schedule
    from tests.articles.test_roles import member

    writer.user.email = "wren@example.com"
    writer.user.save()
    editor = member("Editors", "eddie", email="eddie@example.com", first_name="Eddie", last_name="Ng")
    article = a_list(writer.user, draft=True, title="Quiet Films")
    at = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        article_schedule(article=article, at=at, by=editor.user)
    # From the change page's button, as an editor presses it.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            change_url(article), {**article_form(article, existing(article), author=writer.user.pk), "_publish": "1"}
        )
    assert response.status_code == 302
    assert [(m.subject, m.to) for m in mailoutbox] == [
        ("Scheduled: “Quiet Films”", ["wren@example.com"]),
        ("Published: “Quiet Films”", ["wren@example.com"]),
    ]
    assert "Eddie Ng published “Quiet Films”. Readers can see it now." in mailoutbox[1].body
    assert article.get_absolute_url() in mailoutbox[1].body
    # A writer who publishes (a superuser writing) is not told what they did themselves.
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=a_list(editor.user, draft=True), by=editor.user)
    assert len(mailoutbox) == 2


def test_a_long_seo_description_is_refused_with_its_count_not_cut_and_its_section_stays_open(staff_client, abc):  # noqa: F811
    html = staff_client.get(change_url(abc)).content.decode()
    box = re.search(r'<input[^>]+name="seo_description"[^>]*>', html)[0]
    assert "maxlength" not in box and 'data-count-max="160"' in box  # before: maxlength="160", cut in silence
    assert re.search(
        r'<fieldset class="module aligned collapse desk-side"[^>]*>\s*<details>\s*<summary>\s*<h2[^>]*>Search engines',
        html,
    )

    long = "A" * 172
    response = staff_client.post(change_url(abc), article_form(abc, existing(abc), seo_description=long))
    assert response.status_code == 200
    assert "SEO description: Ensure this value has at most 160 characters (it has 172)." in text(
        summary(response.content.decode())
    )
    assert f'value="{long}"' in response.content.decode()  # kept as typed

    response = staff_client.post(change_url(abc), article_form(abc, existing(abc), seo_description="Short and sweet."))
    assert response.status_code == 302
    html = staff_client.get(change_url(abc)).content.decode()
    section = re.search(r'<fieldset class="module aligned desk-side"[^>]*>\s*<h2[^>]*>Search engines and sharing', html)
    assert section, "a section with a description in it opens unfolded"
