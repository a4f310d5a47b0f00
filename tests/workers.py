"""Helpers for tests of background tasks: the database backend, a worker run in the test's process, a mail server that hangs."""

import socket
import threading

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    """Tasks wait in the database, as in production, and nothing runs them until the test does."""
    settings.TASKS = DATABASE_TASKS


def run_worker():
    """What `manage.py tasks_worker` does, once: every ready task is run, then it stops."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def queued(task_name):
    """The rows of `task_name` (e.g. 'comment_held_mail') in the queue, oldest first."""
    return [row for row in DBTaskResult.objects.order_by("enqueued_at") if row.task_path.endswith(f".{task_name}")]


class HangingServer:
    """A server on 127.0.0.1 that accepts connections and never says a word (a mail server that hangs)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.accepted.set()

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def hanging_mail_server():
    server = HangingServer()
    yield server
    server.close()
