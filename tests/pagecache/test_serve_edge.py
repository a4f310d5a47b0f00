"""`make serve EDGE=varnish` as an operator starts it: Varnish in front of nginx, the task worker beside gunicorn."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.magazine.test_proxy import free_port, request
from tests.magazine.test_settings import GOOD_KEY

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.nginx, pytest.mark.varnish]


def test_serve_with_varnish_starts_and_stops_everything(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "EDGE"))},
        "DJANGO_SETTINGS_MODULE": "magazine.settings.prod",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "RUN_DIR": str(tmp_path / "run"),
        "HOME": str(tmp_path),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESSLOG": "/dev/null",
        "EDGE": "varnish",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    log_path = tmp_path / "serve.log"
    with open(log_path, "w+") as log:
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
                assert process.poll() is None, log_path.read_text()
                try:
                    status, headers, _ = request(port, "GET", "/healthz", timeout=2)
                    if status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
            assert "X-Cache" in headers  # Varnish answered
            while "Starting worker" not in log_path.read_text():  # the task worker is up
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
            assert f"purged at varnish://127.0.0.1:{port}" in log_path.read_text()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):  # Varnish, nginx, gunicorn and the worker: all gone
        os.killpg(process.pid, 0)
