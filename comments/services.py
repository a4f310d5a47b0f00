from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import pagecache
from core.accounts import emails_with_permission

from .models import Comment
from .moderation import moderate


@transaction.atomic
def comment_submit(*, article, name, email, body, parent=None, ip_address=None, user_agent="", queue_url=None):
    """
    Save a reader's comment as the moderation rules decide: published at once
    or held for a moderator. Raises moderation.CommentRefused (closed, duplicate)
    without writing anything. Moderators are emailed, after commit, when a
    comment is held.
    """
    parent = thread_parent(parent)
    comment = Comment(
        article=article,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        name=name.strip(),
        email=email.strip(),
        body=body.strip(),
        ip_address=ip_address,
        user_agent=user_agent[:300],
    )
    decision = moderate(comment)
    comment.is_public = decision.approved
    comment.held_reason = decision.held_reason
    comment.save()
    if not comment.is_public:
        # robust: a mail server that is down must not turn a saved comment
        # into an error page for the reader.
        transaction.on_commit(partial(moderators_notify, comment_pk=comment.pk, queue_url=queue_url), robust=True)
    return comment


def thread_parent(parent):
    """
    Where a reply to `parent` goes. Past the maximum depth a reply joins its
    parent's thread as a sibling, as WordPress does, so threads never get
    unreadably narrow.
    """
    if parent is not None:
        while parent.depth >= settings.COMMENTS_MAX_DEPTH - 1 and parent.parent_id:
            parent = parent.parent
    return parent


class ReplyRefused(Exception):
    """A staff reply that cannot be published; the message is for the staff member."""


@transaction.atomic
def comment_reply_as_staff(*, parent, name, body, user):
    """
    Publish a staff member's reply under `parent` at once, marked as the
    magazine's. Replying to a held comment approves it first (WordPress's
    "Approve and Reply"): a reply under a comment no one can see would make no
    sense. A removed comment cannot be replied to. Moderation rules do not
    apply: staff write under their own name and account.
    """
    parent = Comment.objects.select_for_update().select_related("article").get(pk=parent.pk)
    if parent.is_removed:
        raise ReplyRefused("This comment was removed; approve it again before replying.")
    if not parent.is_public:
        comments_moderate(comments=Comment.objects.filter(pk=parent.pk), action="approve", moderator=user)
        parent.is_public = True
    under = thread_parent(parent)
    return Comment.objects.create(
        article=parent.article,
        parent=under,
        depth=under.depth + 1,
        name=name.strip(),
        email=user.email,
        body=body.strip(),
        is_public=True,
        by_staff=True,
        moderated_at=timezone.now(),
        moderated_by=user,
    )  # post_save retires the cached pages (magazine/signals.py)


def moderation_queue_path():
    return reverse("admin:comments_comment_changelist") + "?status=held"


def moderator_emails():
    return emails_with_permission("comments", "moderate_comment") or [email for _, email in settings.MANAGERS]


def moderators_notify(*, comment_pk, queue_url=None):
    """
    Queue the mail telling everyone who may moderate that a comment is
    waiting (comments/tasks.py sends it). `queue_url` is the queue's full
    address (the view knows the site's host; mail needs it).
    """
    from .tasks import comment_held_mail

    comment_held_mail.enqueue(comment_pk=comment_pk, queue_url=queue_url)


@transaction.atomic
def comments_moderate(*, comments, action, moderator):
    """
    Approve, mark as spam or remove many comments at once; returns how many
    changed. Nothing is deleted: removed comments keep their row.
    """
    states = {
        "approve": {"is_public": True, "is_removed": False, "is_spam": False},
        "spam": {"is_public": False, "is_removed": True, "is_spam": True},
        "remove": {"is_public": False, "is_removed": True, "is_spam": False},
    }
    lists = set(comments.values_list("article_id", flat=True).distinct())
    changed = comments.update(**states[action], moderated_at=timezone.now(), moderated_by=moderator)
    # update() sends no signals: the threads (and counts) of these lists are told here.
    pagecache.changed(*(f"comments:{pk}" for pk in lists))
    return changed
