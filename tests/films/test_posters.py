import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from films.images import validate_poster
from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db


def image_file(width, height, fmt="PNG", name="poster.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 30, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_poster_gets_webp_renditions_and_a_srcset(django_capture_on_commit_callbacks, media_root, client):
    with django_capture_on_commit_callbacks(execute=True):
        film = FilmFactory(title="Hal", poster=image_file(600, 900))
    assert (film.poster_width, film.poster_height) == (600, 900)
    written = sorted(p.name for p in media_root.rglob("*.webp"))
    assert len(written) == 3 and written[0].endswith("-160w.webp")
    with Image.open(next(media_root.rglob("*-320w.webp"))) as rendition:
        assert rendition.size == (320, 480)
    page = client.get(film.get_absolute_url()).content.decode()
    assert "-320w.webp 320w" in page and 'width="600" height="900"' in page


def test_film_without_poster_shows_a_generated_placeholder(client):
    film = FilmFactory(title="Plastic Memories")
    page = client.get(film.get_absolute_url()).content.decode()
    assert "poster-placeholder" in page and ">PM<" in page


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("poster.png", b"not an image at all"), "not an image we can read"),
        (image_file(120, 180), "needs at least 300"),
        (image_file(400, 600, fmt="GIF", name="poster.gif"), "GIF images are not accepted"),
    ],
)
def test_bad_posters_are_refused_with_a_reason(upload, message):
    with pytest.raises(ValidationError) as exc:
        validate_poster(upload)
    assert message in exc.value.messages[0]
