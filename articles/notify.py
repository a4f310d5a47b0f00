"""
The writer is told when their list goes out: a step to Published or
Scheduled, by anyone but themselves, mails the list's author after commit.
Hooked on the Transition every state change records (articles.services), so
the buttons, the bulk actions and the calendar all tell the writer without
each calling it. The mail itself is a background task
(`articles.tasks.published_mail`).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from .models import State, Transition
from .tasks import published_mail


def _on_step(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.to_state in (State.PUBLISHED, State.SCHEDULED):
        # After commit, as a background task: a mail server that is down or
        # slow never holds (or undoes) the publishing.
        transaction.on_commit(partial(published_mail.enqueue, transition_pk=instance.pk), robust=True)


def connect():
    post_save.connect(_on_step, sender=Transition, dispatch_uid="articles.notify.writer_published")


__all__ = ["connect"]
