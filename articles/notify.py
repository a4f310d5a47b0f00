"""
The writer is told when their list goes out: a step to Published or
Scheduled, by anyone but themselves, mails the list's author after commit.
Hooked on the Transition every state change records (articles.services), so
the buttons, the bulk actions and the calendar all tell the writer without
each calling it. `writer_published_notify` is the one function that sends:
it takes ids only, so it can run as a background task as it is.
"""

from functools import partial

from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_save

from core.site import absolute_url

from .models import State, Transition
from .services import goes_live_words


def writer_published_notify(*, transition_pk):
    step = Transition.objects.select_related("article__author", "user").filter(pk=transition_pk).first()
    if step is None:
        return
    article, writer = step.article, step.article.author
    if writer is None or not writer.email or step.user_id == writer.pk:
        return
    editor = (step.user.get_full_name() or step.user.get_username()) if step.user else "An editor"
    if step.to_state == State.SCHEDULED:
        subject = f"Scheduled: “{article.title}”"
        said = f"{editor} scheduled “{article.title}”: it {goes_live_words(article.published_at)}."
        url = absolute_url(None, article.get_preview_url())
    else:
        subject = f"Published: “{article.title}”"
        said = f"{editor} published “{article.title}”. Readers can see it now."
        url = absolute_url(None, article.get_absolute_url())
    send_mail(subject=subject, message=f"{said}\n\n{url}\n", from_email=None, recipient_list=[writer.email])


def _on_step(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.to_state in (State.PUBLISHED, State.SCHEDULED):
        # robust: a mail server that is down must not undo the publishing.
        transaction.on_commit(partial(writer_published_notify, transition_pk=instance.pk), robust=True)


def connect():
    post_save.connect(_on_step, sender=Transition, dispatch_uid="articles.notify.writer_published")


__all__ = ["connect", "writer_published_notify"]
