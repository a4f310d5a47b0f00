"""
Moderation mail leaves the request (issue 23): with tasks in the database and
no worker running, a held comment is answered at once and nothing is mailed;
the queue holds the mail, and the worker sends it exactly once.
"""

import time

import pytest
from django.core import mail
from django.tasks import TaskResultStatus

from comments.models import Comment
from tests.factories import ArticleFactory, UserFactory
from tests.workers import database_tasks, hanging_mail_server, queued, run_worker  # noqa: F401

# Transactional: the comment must really commit for its mail to be queued, as on a site.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def moderator():
    # A superuser, not the Moderators group: earlier transactional tests flush the groups migrations made.
    return UserFactory(username="mod", email="mod@example.com", is_staff=True, is_superuser=True)


def test_a_held_comment_is_answered_without_mail_and_the_worker_sends_it_once(database_tasks, moderator, post_comment):
    article = ArticleFactory(title="Sad Anime")
    response = post_comment(article, body="Held for a moderator")

    assert response.status_code == 302
    assert not Comment.objects.get(body="Held for a moderator").is_public
    assert mail.outbox == []  # nothing sent inside the request
    [task] = queued("comment_held_mail")
    assert task.status == TaskResultStatus.READY

    run_worker()
    assert [m.to for m in mail.outbox] == [["mod@example.com"]]
    assert "Held for a moderator" in mail.outbox[0].body
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL

    run_worker()  # nothing left to do: still one mail
    assert len(mail.outbox) == 1


def test_the_queue_is_in_the_admin(database_tasks, moderator, post_comment, client):
    post_comment(ArticleFactory(), body="Held for a moderator")
    client.force_login(moderator)
    page = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "comment_held_mail" in page and "Ready" in page


def test_a_published_comment_queues_no_mail(database_tasks, moderator, post_comment):
    from tests.factories import CommentFactory

    CommentFactory(email="haruka@example.com")  # a known author is published at once
    assert post_comment(ArticleFactory()).status_code == 302
    assert queued("comment_held_mail") == []


def test_a_comment_posted_while_the_mail_server_hangs_is_answered(
    database_tasks, moderator, post_comment, hanging_mail_server, settings
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": hanging_mail_server.port, "timeout": 5},
        }
    }
    started = time.monotonic()
    response = post_comment(ArticleFactory(), body="Held while the mail server hangs")
    assert time.monotonic() - started < 5, "the request waited for the mail server"  # a guard, not the measure

    assert response.status_code == 302
    assert Comment.objects.filter(body="Held while the mail server hangs").exists()
    assert not hanging_mail_server.accepted.is_set()  # the request never even dialled it
    assert [t.status for t in queued("comment_held_mail")] == [TaskResultStatus.READY]


def test_the_worker_gives_up_on_a_hanging_mail_server_and_tries_again_later(
    database_tasks, moderator, post_comment, hanging_mail_server, settings
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": hanging_mail_server.port, "timeout": 0.5},
        }
    }
    post_comment(ArticleFactory(), body="Held while the mail server hangs")
    run_worker()  # meets the hanging server, times out

    first, retry = queued("comment_held_mail")
    assert first.status == TaskResultStatus.FAILED and "TimeoutError" in first.traceback
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > first.finished_at  # later, not at once

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    retry.run_after = first.finished_at
    retry.save(update_fields=["run_after"])  # its time has come
    run_worker()
    assert [m.subject for m in mail.outbox] == [
        f"Comment awaiting moderation on “{Comment.objects.get().article.title}”"
    ]


def test_a_worker_killed_while_sending_loses_nothing_and_sends_nothing_twice(
    database_tasks, moderator, post_comment, hanging_mail_server, tmp_path
):
    """A real `manage.py tasks_worker` is killed (SIGKILL) in the middle of talking to the mail server."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    from core.background import requeue_abandoned
    from core.models import SentMail

    post_comment(ArticleFactory(), body="Held for a moderator")
    (tmp_path / "worker_settings.py").write_text(
        "from magazine.settings.test import *\n"
        f"DATABASES['default']['NAME'] = {str(connection.settings_dict['NAME'])!r}\n"
        "TASKS = {'default': {'BACKEND': 'django_tasks_db.DatabaseBackend'}}\n"
        "MAILERS = {'default': {'BACKEND': 'django.core.mail.backends.smtp.EmailBackend',\n"
        f"    'OPTIONS': {{'host': '127.0.0.1', 'port': {hanging_mail_server.port}, 'timeout': 60}}}}}}\n"
    )
    root = Path(__file__).resolve().parents[2]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "tasks_worker", "--no-startup-delay", "--interval", "0.1", "--no-reload"],
        cwd=root,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "worker_settings", "PYTHONPATH": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        reached = hanging_mail_server.accepted.wait(timeout=30)
        assert reached, worker.stderr.read().decode() if worker.poll() is not None else "the worker never dialled"
        [task] = queued("comment_held_mail")
        assert task.status == TaskResultStatus.RUNNING  # claimed, mid-send
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    assert mail.outbox == [] and not SentMail.objects.exists()
    assert requeue_abandoned(lease_seconds=0) == 1  # what the next worker's sweep does once the lease is over
    run_worker()
    assert [m.to for m in mail.outbox] == [["mod@example.com"]]

    assert requeue_abandoned(lease_seconds=0) == 0
    run_worker()
    assert len(mail.outbox) == 1


def test_a_task_run_again_after_its_mail_went_out_does_not_send_it_twice(database_tasks, moderator, post_comment):
    """The worker sent the mail and died before marking the task done: the task is run again, and sends nothing."""
    from core.background import requeue_abandoned

    post_comment(ArticleFactory(), body="Held for a moderator")
    run_worker()
    [task] = queued("comment_held_mail")
    task.status = TaskResultStatus.RUNNING  # as a worker killed right after the send leaves it
    task.save(update_fields=["status"])

    assert requeue_abandoned(lease_seconds=0) == 1
    run_worker()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2  # it did run again
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<{task.id}@")


def test_a_task_still_within_its_lease_is_left_to_its_worker(database_tasks, moderator, post_comment, settings):
    from core.background import requeue_abandoned

    settings.TASKS_LEASE_SECONDS = 600
    post_comment(ArticleFactory(), body="Held for a moderator")
    [task] = queued("comment_held_mail")
    task.claim("a-live-worker")  # started just now by a worker that is still sending
    assert requeue_abandoned() == 0
    run_worker()
    assert mail.outbox == []
