"""`manage.py make_renditions`: posters stored before AVIF and JPEG existed get them, once."""

import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from films.images import POSTER, rendition_name, rendition_names
from tests.factories import FilmFactory
from tests.films.test_posters import image_file

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("make_renditions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def old_poster(settings, tmp_path):
    """A film whose poster has WebP renditions only, as uploads before AVIF and JPEG had."""
    settings.MEDIA_ROOT = tmp_path
    film = FilmFactory(title="Wolf Children", poster=image_file(600, 900))
    for name in rendition_names(film.poster.name, film.poster_width, POSTER):
        if not name.endswith(".webp"):
            default_storage.delete(name)
    return film


def test_missing_avif_and_jpeg_renditions_are_made_at_every_width(old_poster):
    name = old_poster.poster.name
    assert not default_storage.exists(rendition_name(name, 480, "avif"))
    out, _ = run()
    assert "6 rendition(s) made for 1 of 1 poster(s)." in out
    for width in (160, 320, 480):
        for extension, fmt in (("avif", "AVIF"), ("jpg", "JPEG"), ("webp", "WEBP")):
            with default_storage.open(rendition_name(name, width, extension)) as file:
                image = Image.open(file)
                assert (image.format, image.width) == (fmt, width)
                assert image.height == width * 3 // 2


def test_a_second_run_makes_nothing_and_touches_nothing(old_poster):
    run()
    path = default_storage.path(rendition_name(old_poster.poster.name, 320, "avif"))
    before = open(path, "rb").read()
    stamp = os.stat(path).st_mtime_ns
    out, _ = run()
    assert "0 rendition(s) made for 0 of 1 poster(s)." in out
    assert os.stat(path).st_mtime_ns == stamp and open(path, "rb").read() == before


def test_dry_run_says_what_it_would_make_and_writes_nothing(old_poster):
    out, _ = run("--dry-run")
    assert "Wolf Children: 6 rendition(s) would be made." in out
    assert "1 of 1 poster(s) would get renditions. Nothing was written." in out
    assert not default_storage.exists(rendition_name(old_poster.poster.name, 160, "jpg"))


def test_all_makes_every_rendition_again(old_poster):
    out, _ = run("--all")
    assert "9 rendition(s) made for 1 of 1 poster(s)." in out


def test_films_without_a_poster_are_left_alone_and_a_missing_file_is_named(old_poster):
    FilmFactory(title="No Poster Yet")
    lost = FilmFactory(title="Lost Poster", poster=image_file(600, 900, name="lost.png"))
    default_storage.delete(lost.poster.name)
    out, err = run()
    assert "Lost Poster: the poster file" in err and "missing from the storage; skipped." in err
    assert "1 poster file(s) missing; upload them again in the admin." in err
    assert "6 rendition(s) made for 1 of 2 poster(s)." in out
