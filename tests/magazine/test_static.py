"""whitenoise serves collected static files compressed, fingerprinted, cached for a year."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings


@pytest.fixture
def collected(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        WHITENOISE_AUTOREFRESH=False,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_fingerprinted_compressed_and_cached_for_a_year(collected):
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")  # a hash in the name
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
