"""
Posters on S3-compatible object storage, the multi-machine deployment:
configured from the environment by the production settings, exercised against
a local S3 API server (moto's server mode on 127.0.0.1, started here).
"""

import html
import json
import re
import urllib.request

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from films.images import POSTER, rendition_name, rendition_names
from tests.factories import FilmFactory
from tests.films.test_posters import image_bytes
from tests.magazine.test_settings import run

pytestmark = pytest.mark.django_db

BUCKET = "magazine-media"
SETTINGS_AS_JSON = (
    "import django, json; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'storage': s.STORAGES['default'], 'img_src': s.SECURE_CSP['img-src']}))"
)


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch):
    # Any credentials do for the local server; never a real account's.
    for name, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    # As the README asks of the operator: anyone may read, only the site may write.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def production_media_settings(**environment):
    result = run(["-c", SETTINGS_AS_JSON], **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_stores_media_in_the_bucket_named_by_the_environment(s3_endpoint):
    configured = production_media_settings(
        MEDIA_BUCKET=BUCKET, MEDIA_ENDPOINT_URL=s3_endpoint, MEDIA_REGION="us-east-1"
    )
    assert configured["storage"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "region_name": "us-east-1",
            "endpoint_url": s3_endpoint,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    assert s3_endpoint in configured["img_src"]  # the browser may load the bucket's images
    on_disk = production_media_settings(MEDIA_BUCKET=None, MEDIA_STORAGE=None)
    assert on_disk["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_poster_and_renditions_land_in_the_bucket_and_the_page_shows_them_from_there(
    s3_endpoint, bucket, settings, client
):
    configured = production_media_settings(
        MEDIA_BUCKET=BUCKET, MEDIA_ENDPOINT_URL=s3_endpoint, MEDIA_REGION="us-east-1"
    )
    settings.STORAGES = {**settings.STORAGES, "default": configured["storage"]}
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": configured["img_src"]}

    film = FilmFactory(title="Hal", poster=SimpleUploadedFile("hal.png", image_bytes(600, 900), "image/png"))

    stored = sorted(item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert stored == sorted([film.poster.name, *rendition_names(film.poster.name, 600, POSTER)])
    assert len(stored) == 10
    response = client.get(film.get_absolute_url())
    picture = response.content.decode().split("<picture>", 1)[1].split("</picture>", 1)[0]
    src = html.unescape(re.search(r' src="([^"]+)"', picture).group(1))
    srcsets = [html.unescape(s) for s in re.findall(r' srcset="([^"]+)"', picture)]
    assert src == f"{s3_endpoint}/{BUCKET}/{rendition_name(film.poster.name, 320, 'jpg')}"
    urls = [candidate.split()[0] for srcset in srcsets for candidate in srcset.split(", ")]
    assert sorted(urls) == [f"{s3_endpoint}/{BUCKET}/{key}" for key in stored[1:]]
    for url in {src, *urls}:
        assert url.startswith(f"{s3_endpoint}/{BUCKET}/posters/")
        with urllib.request.urlopen(url, timeout=10) as served:
            assert served.status == 200 and served.headers["Content-Type"].startswith("image/")
    assert s3_endpoint in response.headers["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]
