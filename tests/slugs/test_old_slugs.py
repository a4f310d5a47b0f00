"""A renamed list or film keeps its old address alive as a permanent redirect."""

import pytest

from tests.factories import ArticleFactory, FilmFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_renamed_article_redirects_permanently(client):
    article = ArticleFactory(slug="old-list")
    article.slug = "new-list"
    article.save()
    response = client.get("/articles/old-list/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-list/"
    assert client.get("/articles/new-list/").status_code == 200


def test_chain_of_renames_lands_in_one_hop(client):
    film = FilmFactory(slug="first")
    for slug in ["second", "third"]:
        film.slug = slug
        film.save()
    for old in ["first", "second"]:
        response = client.get(f"/films/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/films/third/")


def test_a_live_slug_wins_over_an_old_one(client):
    film = FilmFactory(slug="taken")
    film.slug = "moved"
    film.save()
    newcomer = FilmFactory(slug="taken")
    response = client.get("/films/taken/")
    assert response.status_code == 200
    assert response.context["film"] == newcomer


def test_unknown_slug_and_draft_still_404(client):
    assert client.get("/articles/never-was/").status_code == 404
    draft = ArticleFactory(slug="draft-old", draft=True)
    draft.slug = "draft-new"
    draft.save()
    # No redirect: that would reveal the draft's new address.
    assert client.get("/articles/draft-old/").status_code == 404


def test_renamed_draft_preview_leads_to_its_new_preview_for_now(staff_client):
    draft = ArticleFactory(slug="old-draft", draft=True)
    draft.slug = "new-draft"
    draft.save()
    response = staff_client.get("/articles/old-draft/preview/")
    assert (response.status_code, response["Location"]) == (302, "/articles/new-draft/preview/")


def test_films_and_articles_register_for_old_addresses():
    from articles.models import Article
    from films.models import Film
    from slugs.registry import tracked_models

    assert set(tracked_models()) == {Article, Film}


def test_registration_is_what_keeps_a_models_old_slugs(monkeypatch):
    from django.db.models.signals import pre_save

    from films.models import Person
    from slugs import registry
    from slugs.models import OldSlug

    def rename(person, slug):
        person.slug = slug
        person.save()

    person = PersonFactory(slug="first-name")
    rename(person, "second-name")
    assert not OldSlug.objects.exists()

    monkeypatch.setattr(registry, "_tracked", [])
    registry.track(Person)
    try:
        rename(person, "third-name")
    finally:
        pre_save.disconnect(sender=Person, dispatch_uid="slugs.old_slug.films.Person")
    assert registry.tracked_models() == [Person]
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["second-name"]
