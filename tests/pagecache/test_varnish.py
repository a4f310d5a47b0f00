"""
deploy/varnish.vcl with vmod_xkey, as the edge a reader meets: varnishd is
started for real on a free port, in front of a small origin that tags its
pages the way the site does and counts the requests that reach it.
"""

import contextlib
import gzip
import http.client
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pagecache import edge

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.varnish

# path → the cache keys the page carries
PAGES = {
    "/lists/42/": "list:42 film:7 home",
    "/lists/43/": "list:43 film:7 home",
    "/films/7/": "film:7",
}


class Origin(BaseHTTPRequestHandler):
    counts = Counter()

    def do_GET(self):
        self.counts[self.path] += 1
        body = f"<h1>{self.path}</h1> version {self.counts[self.path]}".encode() * 20
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if self.path in PAGES:
            self.send_header("Cache-Control", "public, max-age=60, s-maxage=300")
            for header in ("xkey", "Surrogate-Key", "Cache-Tag"):
                self.send_header(header, PAGES[self.path])
        else:  # the admin, say: the origin would mark it private anyway
            self.send_header("Cache-Control", "public, s-maxage=300")
        self.send_header("Vary", "Accept-Encoding")
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, method="GET", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def running_varnish(tmp, origin_port):
    """varnishd in the foreground with deploy/varnish.vcl in front of 127.0.0.1:`origin_port`; yields its port."""
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    (tmp / "varnish.vcl").write_text(vcl.replace("@ORIGIN@", f'.host = "127.0.0.1"; .port = "{origin_port}";'))
    port = free_port()
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    log = open(tmp / "varnishd.log", "w+")
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-j",
            "none",
            "-n",
            str(tmp / "work"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(tmp / "varnish.vcl"),
            "-s",
            "malloc,32m",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp / "varnishd.log").read_text()
            try:
                get(port, "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp / "varnishd.log").read_text()
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def varnish(tmp_path_factory):
    """Varnish in front of the counting origin above; yields its port."""
    origin = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=origin.serve_forever, daemon=True).start()
    try:
        with running_varnish(tmp_path_factory.mktemp("varnish"), origin.server_port) as port:
            yield port
    finally:
        origin.shutdown()


@pytest.fixture
def edge_settings(settings, varnish):
    settings.PAGECACHE_EDGE = {"BACKEND": "varnish", "URLS": [f"http://127.0.0.1:{varnish}"]}
    return settings


def warm(port, *paths):
    for path in paths:
        get(port, path, headers={"Accept-Encoding": "gzip"})
    return {path: Origin.counts[path] for path in paths}


def test_a_second_get_is_a_hit_and_the_keys_stay_at_the_edge(varnish):
    before = warm(varnish, "/films/7/")
    status, headers, _ = get(varnish, "/films/7/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["x-cache"] == "HIT"
    assert Origin.counts["/films/7/"] == before["/films/7/"]
    assert not {"xkey", "surrogate-key", "cache-tag"} & set(headers)


def test_a_purge_retires_exactly_the_pages_with_the_key_within_a_second(varnish, edge_settings):
    before = warm(varnish, "/lists/42/", "/lists/43/", "/films/7/")
    started = time.monotonic()
    assert edge.purge(["list:42"]) == 1

    status, headers, body = get(varnish, "/lists/42/", headers={"Accept-Encoding": "gzip"})
    assert time.monotonic() - started < 1
    assert headers["x-cache"] == "MISS" and Origin.counts["/lists/42/"] == before["/lists/42/"] + 1
    assert f"version {Origin.counts['/lists/42/']}".encode() in gzip.decompress(body)  # the new page
    for path in ("/lists/43/", "/films/7/"):  # other keys: still hits
        assert get(varnish, path, headers={"Accept-Encoding": "gzip"})[1]["x-cache"] == "HIT", path
        assert Origin.counts[path] == before[path], path


def test_a_key_shared_by_pages_retires_them_all(varnish, edge_settings):
    before = warm(varnish, "/lists/42/", "/lists/43/", "/films/7/")
    edge.purge(["film:7"])
    for path in ("/lists/42/", "/lists/43/", "/films/7/"):
        assert get(varnish, path, headers={"Accept-Encoding": "gzip"})[1]["x-cache"] == "MISS", path
        assert Origin.counts[path] == before[path] + 1


def test_one_gzip_copy_serves_readers_with_and_without_gzip(varnish):
    before = warm(varnish, "/lists/43/")
    _, zipped_headers, zipped = get(varnish, "/lists/43/", headers={"Accept-Encoding": "gzip"})
    _, plain_headers, plain = get(varnish, "/lists/43/")
    assert zipped_headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain_headers
    assert gzip.decompress(zipped) == plain
    assert Origin.counts["/lists/43/"] == before["/lists/43/"]


@pytest.mark.parametrize(
    "method,path,headers",
    [
        ("GET", "/films/7/", {"Cookie": "sessionid=abc"}),
        ("GET", "/films/7/", {"Cookie": "__Secure-sessionid=abc"}),
        ("GET", "/admin/", {}),
        ("POST", "/films/7/", {}),
    ],
)
def test_editors_the_admin_and_posts_always_reach_the_origin(varnish, method, path, headers):
    warm(varnish, path)
    before = Origin.counts[path]
    get(varnish, path, method=method, headers=headers)
    get(varnish, path, method=method, headers=headers)
    assert Origin.counts[path] == before + 2


def test_a_readers_other_cookies_do_not_stop_caching(varnish):
    before = warm(varnish, "/films/7/")
    status, headers, _ = get(
        varnish, "/films/7/", headers={"Cookie": "csrftoken=x; theme=dark", "Accept-Encoding": "gzip"}
    )
    assert headers["x-cache"] == "HIT" and Origin.counts["/films/7/"] == before["/films/7/"]


def test_a_purge_without_keys_is_refused(varnish):
    status, _, _ = get(varnish, "/", method="PURGE")
    assert status == 400
