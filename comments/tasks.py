"""
Moderation mail, sent by the background worker instead of the request (issue
23): a reader's comment is answered at once even while the mail server hangs.
comment_submit enqueues it after its transaction commits; what the task
promises when a worker dies or the mail server fails is in core/background.py.
"""

from smtplib import SMTPException

from django.tasks import task

from core.background import retry_later, send_mail_once

from .models import Comment
from .services import moderation_queue_path, moderator_emails

# A mail the server keeps refusing is tried again for a day, then given up
# (the failed attempts stay in the admin's task list with their tracebacks).
MAIL_RETRY_SECONDS = 24 * 3600


@task(takes_context=True)
def comment_held_mail(context, *, comment_pk, queue_url=None, mail_key=None, attempt=1):
    """Email everyone who may moderate that a comment waits in the queue."""
    mail_key = mail_key or context.task_result.id
    comment = Comment.objects.select_related("article").filter(pk=comment_pk).first()
    recipients = moderator_emails()
    if comment is None or not recipients:
        return
    queue = queue_url or moderation_queue_path()
    try:
        send_mail_once(
            key=mail_key,
            subject=f"Comment awaiting moderation on “{comment.article.title}”",
            body=(
                f"{comment.name} <{comment.email}> wrote on “{comment.article.title}”:\n\n"
                f"{comment.body}\n\n"
                f"Held because: {comment.get_held_reason_display()}\n"
                f"Moderation queue: {queue}\n"
            ),
            recipient_list=recipients,
        )
    except (OSError, SMTPException):
        retry_later(
            context,
            attempt=attempt,
            give_up_after=MAIL_RETRY_SECONDS,
            comment_pk=comment_pk,
            queue_url=queue_url,
            mail_key=mail_key,
        )
        raise
