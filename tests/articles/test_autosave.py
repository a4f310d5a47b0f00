"""
Autosave's server side: one working copy per person and list, replaced in
place, never a revision; only those who may edit the list keep one; a saved
form discards it and a refused one keeps it.
"""

import json

import pytest
from django.urls import reverse

from articles.models import Article, WorkingCopy
from tests.articles.test_admin import article_form, change_url, existing
from tests.articles.test_roles import a_list, editor, writer  # noqa: F401
from tests.factories import FilmFactory, UserFactory, make_list

pytestmark = pytest.mark.django_db


def keep(client, article=None, fields=(("title", "Typed"),), **extra):
    url = (
        reverse("admin:articles_article_autosave", args=[article.pk])
        if article
        else reverse("admin:articles_article_autosave_add")
    )
    body = {
        "at": 1,
        "version": str(article.version) if article else "",
        "fields": [list(f) for f in fields],
        "labels": {},
    }
    return client.post(url, json.dumps({**body, **extra}), content_type="application/json")


def test_one_copy_per_person_and_list_replaced_in_place_and_never_a_revision(staff_client):
    article = make_list(3, status="draft")
    before = (article.revisions.count(), Article.objects.get(pk=article.pk).version)
    assert keep(staff_client, article, [("title", "First")]).json()["kept"] is True
    assert keep(staff_client, article, [("title", "Second")]).status_code == 200
    assert keep(staff_client, None, [("title", "A new one")]).status_code == 200
    copies = WorkingCopy.objects.order_by("pk")
    assert [(c.article_id, c.data["fields"]) for c in copies] == [
        (article.pk, [["title", "Second"]]),
        (None, [["title", "A new one"]]),
    ]
    assert copies[0].version == article.version
    assert (article.revisions.count(), Article.objects.get(pk=article.pk).version) == before
    assert Article.objects.get(pk=article.pk).title != "Second"


def test_the_change_page_hands_the_copy_to_the_script(staff_client):
    article = make_list(2, status="draft")
    keep(staff_client, article, [("intro", "Words not saved yet")])
    html = staff_client.get(change_url(article)).content.decode()
    assert '"fields": [["intro", "Words not saved yet"]]' in html
    assert f'data-url="/admin/articles/article/{article.pk}/autosave/"' in html


def test_a_writer_keeps_no_copy_of_a_list_not_theirs(writer, editor):  # noqa: F811
    others = a_list(editor.user, status="draft")
    assert keep(writer, others).status_code == 403
    assert keep(writer, a_list(writer.user, status="draft")).status_code == 200
    assert WorkingCopy.objects.get().user == writer.user


def test_a_copy_that_is_not_a_form_is_refused(staff_client):
    article = make_list(1, status="draft")
    url = reverse("admin:articles_article_autosave", args=[article.pk])
    assert staff_client.post(url, "not json", content_type="application/json").status_code == 400
    assert keep(staff_client, article, fields=[("title", 3)]).status_code == 400
    assert staff_client.get(url).status_code == 405
    assert not WorkingCopy.objects.exists()


def test_discarding(staff_client):
    article = make_list(1, status="draft")
    keep(staff_client, article)
    url = reverse("admin:articles_article_autosave", args=[article.pk])
    assert staff_client.delete(url).json() == {"kept": False}
    assert not WorkingCopy.objects.exists()


def test_a_saved_form_discards_the_copy_and_a_refused_one_keeps_it(staff_client):
    article = make_list(2, status="draft")
    someone = UserFactory(username="someone", is_staff=True, is_superuser=True)
    WorkingCopy.objects.create(user=someone, article=article, data={"fields": []})
    keep(staff_client, article)
    entries = existing(article)
    refused = article_form(article, entries + [{"film": entries[0]["film"]}], title="Twice")
    assert staff_client.post(change_url(article), refused).status_code == 200
    assert WorkingCopy.objects.filter(user=staff_client.user).exists()
    assert staff_client.post(change_url(article), article_form(article, existing(article))).status_code == 302
    # Only the saver's copy: a colleague's unsaved work is theirs to keep.
    assert list(WorkingCopy.objects.values_list("user__username", flat=True)) == ["someone"]


def test_adding_a_list_discards_the_add_page_copy(staff_client):
    keep(staff_client, None)
    film = FilmFactory()
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        article_form(entries=[{"film": film, "rank": 1}], title="Brand New", _continue="1"),
    )
    assert response.status_code == 302
    assert not WorkingCopy.objects.exists()
