"""Images where readers choose what to read: posters on list cards, lists' featured images, share cards."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from lxml import html as lxml_html
from PIL import Image

from articles.models import Article
from films.images import FEATURED_IMAGE, rendition_names, validate_featured_image
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, HashtagFactory, StudioFactory, make_list
from tests.films.test_posters import image_file, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings):
    from pathlib import Path

    return Path(settings.MEDIA_ROOT)


def tree(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content)


def card_of(page, article):
    href = article.get_absolute_url()
    [card] = page.xpath(
        f"//article[contains(@class, 'card')][.//a[@href='{href}']] | //li[contains(@class, 'search-result')][.//a[@href='{href}']]"
    )
    return card


def test_list_cards_show_the_top_three_posters_in_rank_order_with_placeholders(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written on commit
        article = make_list(5, title="Rainy Evenings")
        first = article.entries.get(rank=1).film
        first.poster = image_file(600, 900)
        first.save()
        tag = HashtagFactory(name="Rain")
        article.hashtags.add(tag)
        related = ArticleFactory(title="Sunny Mornings")
        related.hashtags.add(tag)
    titles = [e.film.title for e in article.entries.order_by("rank")[:3]]
    for url in (
        reverse("home"),
        reverse("articles:list"),
        tag.get_absolute_url(),
        related.get_absolute_url(),
        reverse("search:results") + "?q=rainy",
    ):
        card = card_of(tree(client, url), article)
        strip = card.xpath(".//ol[contains(@class, 'card-posters')]/li")
        assert [li.get("value") for li in strip] == ["1", "2", "3"], url
        assert strip[0].xpath(".//img/@alt") == [f"Poster of {titles[0]}"], url
        # Films without a poster keep their drawn placeholder.
        assert [li.xpath("string(.//span[@class='ph-title'])") for li in strip[1:]] == titles[1:], url


def test_the_first_card_image_loads_eagerly_the_rest_lazily(client):
    for title in ("Older", "Newer"):
        film = FilmFactory(poster=image_file(600, 900))
        EntryFactory(article=ArticleFactory(title=title), film=film, rank=1)
    page = tree(client, reverse("articles:list"))
    images = page.xpath("//div[@class='card-grid']//img")
    assert images[0].get("fetchpriority") == "high" and images[0].get("loading") is None
    assert images[1].get("loading") == "lazy" and images[1].get("fetchpriority") is None
    for image in images:  # no layout shift: the box is known before the file arrives
        assert image.get("width") == "600" and image.get("height") == "900"
        assert "vw" in image.get("sizes")


def test_featured_image_replaces_the_posters_on_the_card(client, media_root):
    article = make_list(3, title="With a picture")
    article.featured_image = image_file(1600, 900, name="rain.png")
    article.featured_image_alt = "Rain on a station platform"
    article.save()
    article.refresh_from_db()
    assert (article.featured_image_width, article.featured_image_height) == (1600, 900)
    card = card_of(tree(client, reverse("home")), article)
    assert not card.xpath(".//ol[@class='card-posters']")
    [img] = card.xpath(".//img")
    assert img.get("alt") == "Rain on a station platform"
    assert (img.get("width"), img.get("height")) == ("1600", "900")
    assert [s.get("type") for s in card.xpath(".//source")] == ["image/avif", "image/webp"]
    for width in (400, 800, 1200):
        for extension, fmt in (("avif", "AVIF"), ("webp", "WEBP"), ("jpg", "JPEG")):
            [path] = media_root.glob(f"featured/*/renditions/*-{width}w.{extension}")
            with Image.open(path) as rendition:
                assert rendition.format == fmt and rendition.size == (width, width * 9 // 16)


def test_a_portrait_featured_image_is_refused_with_a_reason():
    with pytest.raises(ValidationError) as refused:
        validate_featured_image(image_file(900, 1200))
    assert "portrait image" in refused.value.messages[0] and "landscape" in refused.value.messages[0]


def test_replaced_and_deleted_featured_images_leave_no_files(django_capture_on_commit_callbacks, media_root):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(featured_image=image_file(1000, 600, name="first.png"))
    first = [f for f in stored_files(media_root) if f.startswith("featured/")]
    assert len(first) == 1 + 9
    assert set(first) == {
        article.featured_image.name,
        *rendition_names(article.featured_image.name, 1000, FEATURED_IMAGE),
    }
    article = Article.objects.get(pk=article.pk)
    article.featured_image = image_file(1000, 600, name="second.png")
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    second = [f for f in stored_files(media_root) if f.startswith("featured/")]
    assert len(second) == 10 and not set(first) & set(second)
    article = Article.objects.get(pk=article.pk)
    article.featured_image = ""
    with django_capture_on_commit_callbacks(execute=True):
        article.save()  # cleared in the admin
    assert not [f for f in stored_files(media_root) if f.startswith("featured/")]
    article = Article.objects.get(pk=article.pk)
    article.featured_image = image_file(1000, 600, name="third.png")
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).delete()
    assert not [f for f in stored_files(media_root) if f.startswith("featured/")]


def share_image(page):
    def meta(attr, name):
        [value] = page.xpath(f"//head/meta[@{attr}='{name}']/@content")
        return value

    return {
        "url": meta("property", "og:image"),
        "width": meta("property", "og:image:width"),
        "height": meta("property", "og:image:height"),
        "alt": meta("property", "og:image:alt"),
        "twitter": meta("name", "twitter:image"),
        "twitter_alt": meta("name", "twitter:image:alt"),
    }


def stored_image(url):
    name = url.removeprefix("http://testserver/media/")
    with default_storage.open(name) as file:
        data = file.read()
    return data, Image.open(io.BytesIO(data))


def test_every_list_and_film_page_names_its_own_share_card(client):
    lists = [make_list(3, title=f"List number {i}") for i in range(2)]
    film = lists[0].entries.get(rank=1).film
    film.poster = image_file(600, 900)
    film.save()
    pages = [a.get_absolute_url() for a in lists] + [e.film.get_absolute_url() for e in lists[0].entries.all()]
    seen = set()
    for url in pages:
        card = share_image(tree(client, url))
        assert card["url"] == card["twitter"] and card["url"].startswith("http://testserver/media/share/")
        assert (card["width"], card["height"]) == ("1200", "630")
        assert card["alt"] == card["twitter_alt"] and card["alt"]
        data, image = stored_image(card["url"])
        assert image.size == (1200, 630) and image.format == "JPEG" and len(data) <= 150 * 1024
        seen.add(card["url"])
    assert len(seen) == len(pages)  # each its own
    list_card = share_image(tree(client, lists[0].get_absolute_url()))
    titles = [e.film.title for e in lists[0].entries.order_by("rank")]
    assert list_card["alt"] == f"List number 0: the top #1 {titles[0]}, #2 {titles[1]}, #3 {titles[2]}"
    film_card = share_image(tree(client, film.get_absolute_url()))
    assert film_card["alt"].startswith(f"{film.title}: its poster, ranked #1 in List number 0")


def test_share_card_is_drawn_again_when_the_list_changes_and_the_old_one_removed(client):
    article = make_list(2, title="Before")
    before = share_image(tree(client, article.get_absolute_url()))["url"]
    assert share_image(tree(client, article.get_absolute_url()))["url"] == before  # cached: the same file
    article.title = "After"
    article.save()
    after = share_image(tree(client, article.get_absolute_url()))["url"]
    assert after != before
    assert default_storage.exists(after.removeprefix("http://testserver/media/"))
    assert not default_storage.exists(before.removeprefix("http://testserver/media/"))
    film = article.entries.get(rank=1).film
    film.poster = image_file(600, 900)
    film.save()  # a new poster in the strip: a new card
    assert share_image(tree(client, article.get_absolute_url()))["url"] != after


def test_pages_without_their_own_card_name_the_site_card_with_its_size_and_alt(client):
    card = share_image(tree(client, reverse("articles:list")))
    assert card["url"].endswith("social-default.png") and (card["width"], card["height"]) == ("1200", "630")
    assert card["alt"]


def test_a_draft_preview_draws_no_share_card(admin_client, media_root):
    article = make_list(2, status=Article.Status.DRAFT)
    response = admin_client.get(article.get_preview_url())
    assert response.status_code == 200
    assert not list(media_root.glob("share/**/*.jpg"))
    assert re.search(r'og:image" content="[^"]*social-default.png"', response.content.decode())


def test_search_shows_film_posters_and_a_studios_group(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film = FilmFactory(title="Comet Night", poster=image_file(600, 900))
        film.studios.add(StudioFactory(name="Comet Works"))
    page = tree(client, reverse("search:results") + "?q=comet")
    [films] = page.xpath("//section[.//h2[starts-with(normalize-space(), 'Films')]]")
    assert films.xpath(".//li[contains(@class, 'search-result-film')]//img/@alt") == ["Poster of Comet Night"]
    [studios] = page.xpath("//section[.//h2[starts-with(normalize-space(), 'Studios')]]")
    assert studios.xpath("string(.//a[@class='search-result-title'])") == "Comet Works"
    assert "1 film" in studios.xpath("string(.//p[@class='meta'])")


def test_admin_lists_films_with_poster_thumbnails(admin_client):
    FilmFactory(title="With", poster=image_file(600, 900))
    FilmFactory(title="Without")
    page = tree(admin_client, reverse("admin:films_film_changelist"))
    [thumb] = page.xpath("//img[@class='admin-thumb']")
    assert thumb.get("alt") == "Poster of With" and thumb.get("src").endswith("-160w.webp")
    assert default_storage.exists(thumb.get("src").removeprefix("/media/"))
