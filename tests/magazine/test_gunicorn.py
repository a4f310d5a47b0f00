"""gunicorn.conf.py as `make serve` uses it, started for real."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wait_for_unix_socket(path, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(2)
                sock.connect(str(path))
                sock.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                return sock.recv(100).decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer on {path}")


def test_two_instances_leave_each_others_control_socket_alone(tmp_path):
    """gunicorn 27 puts a control socket in the user's home, shared by every instance, unless told otherwise."""
    home = tmp_path / "home"
    run = tmp_path / "run"
    home.mkdir()
    run.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(run),
        "DJANGO_SETTINGS_MODULE": "magazine.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    env.pop("GUNICORN_CONTROL_SOCKET", None)
    gunicorns = []
    try:
        for n in (1, 2):
            sock = tmp_path / f"gunicorn{n}.sock"
            gunicorns.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "gunicorn.conf.py",
                        "--bind",
                        f"unix:{sock}",
                        "magazine.wsgi",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            )
            assert wait_for_unix_socket(sock, gunicorns[-1]).startswith("HTTP/1.0 200")
        left_behind = sorted(str(p.relative_to(tmp_path)) for p in [*home.rglob("*"), *run.rglob("*")])
        assert left_behind == []
    finally:
        for process in gunicorns:
            process.terminate()
            process.wait(timeout=30)
