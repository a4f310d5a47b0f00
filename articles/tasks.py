"""
Review mail, sent by the background worker instead of the request (issue 23):
a slow or hanging mail server never holds an editor's Submit or Send back.
The services enqueue these after their transaction commits; what a task
promises when a worker dies or the mail server fails is in core/background.py.
"""

from smtplib import SMTPException

from django.contrib.auth import get_user_model
from django.tasks import task

from core.background import retry_later, send_mail_once
from core.site import absolute_url

from .models import Article, State, Transition
from .services import editor_emails, goes_live_words

# A mail the server keeps refusing is tried again for a day, then given up
# (the failed attempts stay in the admin's task list with their tracebacks).
MAIL_RETRY_SECONDS = 24 * 3600


@task(takes_context=True)
def review_requested_mail(context, *, article_pk, by_pk, review_url, mail_key=None, attempt=1):
    """Tell everyone who may publish that a writer submitted a list for review."""
    mail_key = mail_key or context.task_result.id
    article = Article.objects.filter(pk=article_pk).first()
    recipients = editor_emails()
    if article is None or not recipients:
        return
    writer = get_user_model().objects.filter(pk=by_pk).first()
    name = (writer.get_full_name() or writer.get_username()) if writer else "A writer"
    try:
        send_mail_once(
            key=mail_key,
            subject=f"For review: “{article.title}”",
            body=(
                f"{name} submitted “{article.title}” for review.\n\n"
                f"Read it, then publish, schedule or send it back with a note:\n{review_url}\n"
            ),
            recipient_list=recipients,
        )
    except (OSError, SMTPException):
        retry_later(
            context,
            attempt=attempt,
            give_up_after=MAIL_RETRY_SECONDS,
            article_pk=article_pk,
            by_pk=by_pk,
            review_url=review_url,
            mail_key=mail_key,
        )
        raise


@task(takes_context=True)
def sent_back_mail(context, *, transition_pk, review_url=None, mail_key=None, attempt=1):
    """Give the writer the editor's note on the list they sent back (`transition_pk`)."""
    mail_key = mail_key or context.task_result.id
    step = Transition.objects.select_related("article__author", "user").filter(pk=transition_pk).first()
    if step is None or step.article.author is None or not step.article.author.email:
        return
    article = step.article
    editor = (step.user.get_full_name() or step.user.get_username()) if step.user else "An editor"
    try:
        send_mail_once(
            key=mail_key,
            subject=f"Sent back: “{article.title}”",
            body=(
                f"{editor} sent “{article.title}” back to you as a draft:\n\n{step.note}\n\n"
                + (f"{review_url}\n" if review_url else "")
            ),
            recipient_list=[article.author.email],
        )
    except (OSError, SMTPException):
        retry_later(
            context,
            attempt=attempt,
            give_up_after=MAIL_RETRY_SECONDS,
            transition_pk=transition_pk,
            review_url=review_url,
            mail_key=mail_key,
        )
        raise


@task(takes_context=True)
def published_mail(context, *, transition_pk, mail_key=None, attempt=1):
    """Tell a writer that an editor published or scheduled their list (the step `transition_pk`)."""
    mail_key = mail_key or context.task_result.id
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
    try:
        send_mail_once(key=mail_key, subject=subject, body=f"{said}\n\n{url}\n", recipient_list=[writer.email])
    except (OSError, SMTPException):
        retry_later(
            context, attempt=attempt, give_up_after=MAIL_RETRY_SECONDS, transition_pk=transition_pk, mail_key=mail_key
        )
        raise
