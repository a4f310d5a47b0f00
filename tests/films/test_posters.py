import io
import os
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from films.images import validate_poster
from films.models import Film
from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db

RED, BLUE, WHITE = (200, 0, 0), (0, 0, 200), (255, 255, 255)


def image_bytes(width, height, fmt="PNG", mode="RGB", color=(120, 30, 40), **save_options):
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def image_file(width, height, fmt="PNG", name="poster.png"):
    return SimpleUploadedFile(name, image_bytes(width, height, fmt), content_type=f"image/{fmt.lower()}")


def noise_bytes(width, height, fmt):
    """An incompressible image, so that cutting the file short cuts into its pixels."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, fmt)
    return buffer.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_trailing_chunk(png, chunk):
    """`png` with `chunk` after the pixels (read only when the image is decoded), before IEND."""
    return png[:-12] + chunk + png[-12:]


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_poster_gets_renditions_in_every_format_at_every_width(django_capture_on_commit_callbacks, media_root, client):
    with django_capture_on_commit_callbacks(execute=True):
        film = FilmFactory(title="Hal", poster=image_file(600, 900))
    assert (film.poster_width, film.poster_height) == (600, 900)
    renditions = sorted(p.name for p in media_root.glob("posters/*/renditions/*"))
    assert len(renditions) == 9
    for width in (160, 320, 480):
        for extension, pillow_format in (("avif", "AVIF"), ("webp", "WEBP"), ("jpg", "JPEG")):
            [path] = media_root.glob(f"posters/*/renditions/*-{width}w.{extension}")
            with Image.open(path) as rendition:
                assert rendition.format == pillow_format
                assert rendition.size == (width, width * 3 // 2)
    page = client.get(film.get_absolute_url()).content.decode()
    assert '<source type="image/avif"' in page and '<source type="image/webp"' in page
    assert "-320w.jpg 320w" in page and 'width="600" height="900"' in page


def test_a_poster_narrower_than_the_widest_rendition_gets_one_at_its_own_width(media_root):
    FilmFactory(title="Hal", poster=image_file(400, 600))
    widths = sorted({p.stem.rsplit("-", 1)[1] for p in media_root.glob("posters/*/renditions/*")})
    assert widths == ["160w", "320w", "400w"]


def test_every_file_the_picture_names_exists_as_soon_as_the_save_returns(client):
    # No on-commit callbacks run here: the renditions must not wait for them.
    film = FilmFactory(title="Hal", poster=image_file(600, 900))
    page = client.get(film.get_absolute_url()).content.decode()
    picture = page.split("<picture>", 1)[1].split("</picture>", 1)[0]
    srcsets = re.findall(r' srcset="([^"]+)"', picture)
    assert len(srcsets) == 3  # AVIF, WebP, and the JPEG of the <img>
    urls = [part.split()[0] for srcset in srcsets for part in srcset.split(", ")]
    urls.append(re.search(r' src="([^"]+)"', picture).group(1))
    assert len(urls) == 10
    for url in urls:
        assert default_storage.exists(url.removeprefix("/media/")), url


@pytest.mark.parametrize(("size", "shape"), [((900, 600), "a landscape image"), ((600, 600), "a square image")])
def test_a_poster_that_is_not_portrait_is_refused_never_cropped(size, shape):
    with pytest.raises(ValidationError) as refused:
        validate_poster(image_file(*size))
    assert shape in refused.value.messages[0] and "never cropped for you" in refused.value.messages[0]


def test_the_orientation_is_judged_as_the_poster_will_be_shown():
    # Stored 900×600, but its EXIF turns it upright to 600×900: a portrait poster.
    exif = Image.Exif()
    exif[0x0112] = 6
    validate_poster(SimpleUploadedFile("p.jpg", image_bytes(900, 600, "JPEG", exif=exif)))


def test_film_without_poster_shows_a_generated_placeholder(client):
    film = FilmFactory(title="Plastic Memories")
    page = client.get(film.get_absolute_url()).content.decode()
    assert "poster-placeholder" in page and ">PM<" in page


def test_stored_poster_is_re_encoded_upright_without_metadata_or_hidden_bytes(client):
    # Left half red, right half blue; EXIF says "rotate 90° clockwise to view".
    picture = Image.new("RGB", (600, 400), RED)
    picture.paste(BLUE, (300, 0, 600, 400))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "SpyCam"  # Make
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, comment=b"shot at home")
    hostile = buffer.getvalue() + b"<html><script>alert(1)</script></html>"

    film = FilmFactory(title="Hal", poster=SimpleUploadedFile("holiday.png", hostile, "image/jpeg"))

    with film.poster.open("rb") as fh:
        stored = fh.read()
    assert stored != hostile
    for secret in (b"<script", b"SpyCam", b"Exif", b"shot at home"):
        assert secret not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and film.poster.name.endswith(".jpg")
        assert not image.getexif() and "comment" not in image.info
        assert image.size == (400, 600) == (film.poster_width, film.poster_height)
        top, bottom = image.getpixel((200, 50)), image.getpixel((200, 550))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # upright: red on top
    page = client.get(film.get_absolute_url()).content.decode()
    assert 'width="400" height="600"' in page


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_transparent_poster_is_flattened_on_white_never_black(fmt, media_root):
    # Fully transparent pixels whose colour channels are black, as most editors write them.
    upload = SimpleUploadedFile(f"poster.{fmt.lower()}", image_bytes(400, 600, fmt, mode="RGBA", color=(0, 0, 0, 0)))
    film = FilmFactory(title="Hal", poster=upload)
    with film.poster.open("rb") as fh, Image.open(fh) as stored:
        assert stored.mode == "RGB" and stored.getpixel((10, 10)) == WHITE
    renditions = list(media_root.rglob("*-320w.webp"))
    assert len(renditions) == 1
    with Image.open(renditions[0]) as rendition:
        assert min(rendition.convert("RGB").getpixel((10, 10))) > 245


TRUNCATED_JPEG = noise_bytes(400, 600, "JPEG")[:30_000]
TRUNCATED_PNG = noise_bytes(400, 600, "PNG")[:300_000]
HUGE_TEXT_PNG = with_trailing_chunk(
    image_bytes(400, 600), png_chunk(b"zTXt", b"junk\x00\x00" + zlib.compress(b"a" * 8_000_000))
)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not an image at all", "not an image we can read"),
        (image_bytes(120, 180), "needs at least 300"),
        (image_bytes(400, 600, fmt="GIF"), "GIF images are not accepted"),
        (TRUNCATED_JPEG, "damaged or incomplete"),
        (TRUNCATED_PNG, "damaged or incomplete"),
        (HUGE_TEXT_PNG, "damaged or incomplete"),
        (image_bytes(20000, 1), "not a poster's shape"),
        (image_bytes(400, 1300), "not a poster's shape"),
        (image_bytes(4000, 2001, mode="L", color=0), "the limit is 8 million pixels"),
    ],
)
def test_bad_posters_are_refused_with_a_reason(data, message):
    with pytest.raises(ValidationError) as exc:
        validate_poster(SimpleUploadedFile("poster.png", data))
    assert message in exc.value.messages[0]


def test_pixel_limit_is_a_setting_and_truncated_files_are_never_half_loaded(settings):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    settings.POSTER_MAX_PIXELS = 300 * 450
    validate_poster(SimpleUploadedFile("poster.png", image_bytes(300, 450)))
    with pytest.raises(ValidationError, match="the limit is 0.135 million pixels"):
        validate_poster(SimpleUploadedFile("poster.png", image_bytes(300, 451)))


FILM_FORM = {
    "title": "Hotaru",
    "romanized_title": "",
    "native_title": "",
    "other_titles": "",
    "slug": "hotaru",
    "format": "feature",
    "year": "1988",
    "runtime_minutes": "",
    "episodes": "",
    "source": "",
    "synopsis": "",
    "credits-TOTAL_FORMS": "0",
    "credits-INITIAL_FORMS": "0",
    "credits-MIN_NUM_FORMS": "0",
    "credits-MAX_NUM_FORMS": "1000",
}


@pytest.mark.parametrize(
    "data, message",
    [
        (TRUNCATED_JPEG, "damaged or incomplete"),
        (TRUNCATED_PNG, "not an image or a corrupted image"),  # Django's own check finds this one
        (HUGE_TEXT_PNG, "damaged or incomplete"),
        (image_bytes(20000, 1), "not a poster's shape"),
    ],
)
def test_admin_refuses_an_unreadable_poster_and_saves_nothing(staff_client, media_root, data, message):
    upload = SimpleUploadedFile("poster.png", data, "image/png")
    response = staff_client.post(reverse("admin:films_film_add"), {**FILM_FORM, "poster": upload})
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["poster"][0]
    assert not Film.objects.exists()
    assert stored_files(media_root) == []


def test_admin_stores_the_re_encoded_poster_and_its_renditions(staff_client, media_root):
    upload = SimpleUploadedFile("hotaru.png", image_bytes(600, 900), "image/png")
    response = staff_client.post(reverse("admin:films_film_add"), {**FILM_FORM, "poster": upload})
    assert response.status_code == 302
    film = Film.objects.get()
    stem = film.poster.name.removeprefix("posters/").removesuffix(".png")
    year, base = stem.split("/")
    assert stored_files(media_root) == [
        f"posters/{stem}.png",
        *sorted(
            f"posters/{year}/renditions/{base}-{w}w.{ext}" for w in (160, 320, 480) for ext in ("avif", "jpg", "webp")
        ),
    ]


def test_replaced_and_deleted_posters_leave_no_files_behind(django_capture_on_commit_callbacks, media_root):
    with django_capture_on_commit_callbacks(execute=True):
        film = FilmFactory(title="Hal", poster=SimpleUploadedFile("first.png", image_bytes(600, 900)))
    first = stored_files(media_root)
    assert len(first) == 10
    film = Film.objects.get(pk=film.pk)  # as the admin loads it
    film.poster = SimpleUploadedFile("second.png", image_bytes(600, 900, color=(1, 2, 3)))
    with django_capture_on_commit_callbacks(execute=True):
        film.save()
    second = stored_files(media_root)
    assert len(second) == 10 and not set(first) & set(second)
    film.title = "Hal (2013)"
    with django_capture_on_commit_callbacks(execute=True):
        film.save()  # a save that keeps the poster removes nothing
    assert stored_files(media_root) == second
    with django_capture_on_commit_callbacks(execute=True):
        Film.objects.get(pk=film.pk).delete()
    assert stored_files(media_root) == []
