"""
What the project's background tasks share (Django's `django.tasks`; in
production django-tasks-db keeps the queue in the project's database and
`manage.py tasks_worker` runs it).

What a task gets from here, and so what an operator can count on:

- **A worker that dies is covered.** django-tasks-db marks a task *running*
  when a worker claims it and never looks at it again: a worker killed in the
  middle would leave it running forever, done or not. `requeue_abandoned()`
  puts a task still running `TASKS_LEASE_SECONDS` after it started back in the
  queue; every `tasks_worker` calls it once a minute. Tasks bound each network
  call (EMAIL_TIMEOUT, PAGECACHE_EDGE_TIMEOUT) far below the lease, so a task
  that is only slow is never run twice at once.
- **Mail is sent once.** A task run again finds the mail it already sent in
  `core.SentMail` (`send_mail_once()`), keyed by the task it started in. The
  one window left is between the mail server's "accepted" and the ledger row
  (a worker killed in those milliseconds sends it again on the re-run); the
  second copy then carries the same Message-ID, which mail clients fold
  into one.
- **A failure is retried, not lost.** `retry_later()` queues the task again
  with a growing delay (2 s, 4 s … capped at 5 minutes) until the caller's
  deadline; each failed attempt stays in the queue (the admin) with its
  traceback. The immediate backend (laptop, tests) cannot delay a task, so
  there a failure is logged and not retried.
"""

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from .models import SentMail

logger = logging.getLogger(__name__)

BACKOFF_CAP = 300  # seconds between two attempts, at most


def backoff(attempt):
    """Seconds to wait after failed attempt number `attempt` (1, 2, …)."""
    return min(2**attempt, BACKOFF_CAP)


def retry_later(context, *, attempt, give_up_after, **kwargs):
    """
    Queue the running task again as attempt `attempt + 1` with `kwargs`, after
    `backoff(attempt)` seconds. Returns the new TaskResult, or None when it
    gives up: the backend cannot delay a task, or the waits so far add up to
    `give_up_after` seconds. The caller re-raises either way, so this attempt
    is recorded as failed.
    """
    task = context.task_result.task
    waited = sum(backoff(n) for n in range(1, attempt))
    if not task.get_backend().supports_defer or waited >= give_up_after:
        logger.error("%s gave up after attempt %d: %s", task.name, attempt, kwargs)
        return None
    run_after = timezone.now() + datetime.timedelta(seconds=backoff(attempt))
    return task.using(run_after=run_after).enqueue(**kwargs, attempt=attempt + 1)


def requeue_abandoned(*, lease_seconds=None):
    """
    Put back in the queue every task still marked running `lease_seconds`
    (TASKS_LEASE_SECONDS) after it started: its worker died. Returns how many.
    """
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    lease = settings.TASKS_LEASE_SECONDS if lease_seconds is None else lease_seconds
    cutoff = timezone.now() - datetime.timedelta(seconds=lease)
    requeued = DBTaskResult.objects.running().filter(started_at__lt=cutoff).update(status=TaskResultStatus.READY)
    if requeued:
        logger.warning("Queued again %d task(s) whose worker died (running for over %d s).", requeued, lease)
    return requeued


def send_mail_once(*, key, subject, body, recipient_list, from_email=None):
    """
    Send one mail unless the mail for `key` was sent already (see the module's
    docstring). Returns whether it was sent now.
    """
    if SentMail.objects.filter(key=key).exists():
        logger.info("Not sending %r again: mail %s was sent already.", subject, key)
        return False
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email,
        to=recipient_list,
        headers={"Message-ID": f"<{key}@{domain}>"},
    ).send()
    SentMail.objects.create(key=key, subject=subject[:255])
    return True
