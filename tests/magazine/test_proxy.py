"""
`make serve` as a reader meets it: nginx on 127.0.0.1 in front of gunicorn
(deploy/serve.sh), started for real on a free port with temporary files.
"""

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.magazine.test_settings import GOOD_KEY

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.nginx


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, method, path, body=None, headers=None, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """nginx + gunicorn (3 sync workers, as in the issue) with production settings on SQLite."""
    tmp = tmp_path_factory.mktemp("serve")
    (tmp / "media" / "posters").mkdir(parents=True)
    (tmp / "media" / "posters" / "your-name.jpg").write_bytes(b"\xff\xd8\xff\xe0 a poster")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DJANGO_SETTINGS_MODULE": "magazine.settings.prod",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "RUN_DIR": str(tmp / "run"),
        "HOME": str(tmp),
        "WEB_CONCURRENCY": "3",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    log = open(tmp / "serve.log", "w+")
    process = subprocess.Popen(
        [str(ROOT / "deploy" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp / "serve.log").read_text()
            try:
                if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp / "serve.log").read_text()
            time.sleep(0.3)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
    assert not (tmp / "run" / "gunicorn.sock").exists()  # both stopped, nothing left listening


def test_slow_clients_do_not_block_readers(served):
    """Three half-sent headers held all 3 sync workers: /healthz answered after 31 s."""
    slow = []
    try:
        for _ in range(3 * 3):
            sock = socket.create_connection(("127.0.0.1", served))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(sock)
        time.sleep(0.5)  # let each reach whatever would take it
        started = time.monotonic()
        # Blocked workers would hold it for gunicorn's 30 s timeout; the margin
        # below that only absorbs a loaded machine.
        status, _, body = request(served, "GET", "/healthz", timeout=10)
        took = time.monotonic() - started
    finally:
        for sock in slow:
            sock.close()
    assert status == 200 and b'"database": "ok"' in body
    assert took < 5, f"/healthz took {took:.2f}s while slow clients were connected"


def test_uploaded_media_are_served(served):
    status, headers, body = request(served, "GET", "/media/posters/your-name.jpg")
    assert status == 200
    assert body == b"\xff\xd8\xff\xe0 a poster"
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert request(served, "GET", "/media/posters/")[0] in (403, 404)  # no listing


def test_the_proxy_refuses_oversized_bodies_and_trace(served):
    # nginx answers from the announced length, before reading any of the body.
    for path, size in [("/articles/any-list/comment/", 100_000), ("/admin/login/", 13 * 1024 * 1024)]:
        status, _, _ = request(
            served,
            "POST",
            path,
            body=b"",
            headers={"Content-Length": str(size), "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 413, path
    assert request(served, "TRACE", "/feeds/lists/rss/")[0] == 405
