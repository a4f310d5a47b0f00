"""Share links: a draft shown to someone with no account, never cached, indexed or leaked."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Entry, ShareLink, ShareLinkOpening
from articles.revisions import article_revision_record
from articles.services import entry_move
from tests.factories import ArticleFactory, UserFactory, make_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    article = make_list(3, title="Secret Draft Title", status="draft")
    return article


def share(article, **kwargs):
    return ShareLink.objects.create(
        article=article, expires_at=kwargs.pop("expires_at", timezone.now() + datetime.timedelta(days=7)), **kwargs
    )


def test_an_editor_makes_a_link_that_expires_in_seven_days_by_default(staff_client, draft):
    url = reverse("admin:articles_article_share", args=[draft.pk])
    page = staff_client.get(url).content.decode()
    assert 'value="7"' in page
    response = staff_client.post(url, {"days": "7", "note": "Studio press office"}, follow=True)
    link = ShareLink.objects.get(article=draft)
    assert abs(link.expires_at - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)
    assert link.get_absolute_url() in response.content.decode()
    assert "Studio press office" in response.content.decode()


def test_a_bad_expiry_is_a_message_and_makes_no_link(staff_client, draft):
    url = reverse("admin:articles_article_share", args=[draft.pk])
    response = staff_client.post(url, {"days": "0"})
    assert "Ensure this value is greater than or equal to 1" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_anyone_with_the_link_sees_the_draft_with_a_banner_uncached_and_unindexed(client, draft):
    link = share(draft)
    response = client.get(link.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Secret Draft Title" in page
    assert "Preview — not published." in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert not response.cookies
    assert link.get_absolute_url().startswith("/preview/")


def test_each_opening_is_logged_by_link(client, draft):
    link = share(draft)
    client.get(link.get_absolute_url())
    client.get(link.get_absolute_url())
    assert ShareLinkOpening.objects.filter(link=link).count() == 2
    assert not any(f.name in {"ip_address", "user"} for f in ShareLinkOpening._meta.get_fields())


@pytest.mark.parametrize("closed", ["revoked", "expired"])
def test_a_closed_link_answers_410_without_the_title(client, draft, closed):
    link = share(draft)
    if closed == "revoked":
        link.revoked_at = timezone.now()
    else:
        link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "Secret Draft Title" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert not ShareLinkOpening.objects.exists()


def test_a_forged_or_unknown_token_is_404(client, draft):
    link = share(draft)
    assert client.get(f"/preview/{link.token}x/").status_code == 404
    token = link.token
    link.delete()
    assert client.get(f"/preview/{token}/").status_code == 404


def test_revoking_from_the_admin_closes_the_link(staff_client, client, draft):
    link = share(draft)
    assert client.get(link.get_absolute_url()).status_code == 200
    staff_client.post(reverse("admin:articles_article_share", args=[draft.pk]), {"revoke": link.pk})
    assert client.get(link.get_absolute_url()).status_code == 410


def test_share_links_need_the_permission(client, draft):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client.force_login(user)
    assert client.get(reverse("admin:articles_article_share", args=[draft.pk])).status_code == 403
    assert "Share links" not in client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()


def test_shared_drafts_stay_out_of_sitemap_and_feeds(client, draft):
    share(draft)
    for url in ["/sitemap.xml", reverse("feeds:latest_rss"), reverse("feeds:latest_atom")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Secret Draft Title" not in response.content.decode()
        assert "/preview/" not in response.content.decode()


def test_shared_preview_query_count_is_flat(client):
    def count(article):
        link = share(article)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(link.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    assert count(make_list(3, status="draft")) == count(make_list(30, status="draft"))


# --- "Updated on …" for readers -------------------------------------------------


def test_readers_see_rank_moves_since_publication_when_the_editor_chooses(client):
    article = make_list(3, title="Public List")
    article_revision_record(article=article)
    first = Entry.objects.get(article=article, rank=3)
    entry_move(entry=first, rank=1)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Updated on" not in page  # the editor has not chosen to show it
    article.show_rank_changes = True
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Updated on" in page
    assert f"{first.film.title} moved #3 → #1" in page


def test_no_update_line_when_the_ranks_are_as_published(client):
    article = ArticleFactory(show_rank_changes=True)
    article_revision_record(article=article)
    assert "Updated on" not in client.get(article.get_absolute_url()).content.decode()
