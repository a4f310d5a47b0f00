"""
The moderation rules, in the order they are applied.

Refusals come first: they turn the form back and write nothing. Then the
rules that hold a comment for a moderator, then approval. The holds for links
and blocked words apply to everyone, known authors included (as in WordPress):
if known-author approval came first, a spammer with one approved comment could
post anything, and the link and word rules could never change an outcome.

    1. closed      comments closed on this list, by hand or by age  -> refused
    2. duplicate   the same text on this list within the hour       -> refused
    3. blocked     a word from the editable block list               -> held
    4. links       more than COMMENTS_MAX_LINKS links                -> held
    5. known       the email already has an approved comment         -> published
    6. first       anything else: a first (or not yet approved) one  -> held
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.html import urlize

from .models import BlockedWord, Comment

DUPLICATE_WINDOW = datetime.timedelta(hours=1)


class CommentRefused(Exception):
    """The comment is turned back; `message` is for the reader, `code` for the view."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Decision:
    approved: bool
    held_reason: str = Comment.HeldReason.NONE


def comments_open(article, *, now=None):
    """Open unless an editor closed them or the list is older than COMMENTS_CLOSE_AFTER_DAYS."""
    if not article.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days and article.published_at + datetime.timedelta(days=days) < (now or timezone.now()):
        return False
    return True


def normalize_body(body):
    """What counts as "the same text": case and runs of white space do not."""
    return " ".join(body.split()).casefold()


def count_links(body):
    # Count what the page would actually render as links, so the rule and the
    # rendering can never disagree about what a link is.
    return urlize(body, nofollow=True, autoescape=True).count("<a ")


def find_blocked_word(*values):
    haystack = "\n".join(v for v in values if v).casefold()
    for blocked in BlockedWord.objects.all():
        if re.search(blocked.pattern(), haystack):
            return blocked.word
    return None


def check_closed(comment):
    if not comments_open(comment.article):
        raise CommentRefused("Comments on this list are closed.", code="closed")


def check_duplicate(comment):
    since = timezone.now() - DUPLICATE_WINDOW
    wanted = normalize_body(comment.body)
    recent = Comment.objects.filter(article=comment.article, submitted_at__gte=since)
    if any(normalize_body(body) == wanted for body in recent.values_list("body", flat=True)):
        raise CommentRefused(
            "This comment has already been sent in the last hour. "
            "If it is awaiting moderation, it will appear once approved.",
            code="duplicate",
        )


def check_blocked(comment):
    if find_blocked_word(comment.name, comment.email, comment.body, comment.ip_address):
        return Decision(approved=False, held_reason=Comment.HeldReason.BLOCKED_WORD)
    return None


def check_links(comment):
    if count_links(comment.body) > settings.COMMENTS_MAX_LINKS:
        return Decision(approved=False, held_reason=Comment.HeldReason.TOO_MANY_LINKS)
    return None


def check_known_author(comment):
    # Staff replies do not count: their writer's address must not let anyone
    # who knows it publish without a moderator.
    if Comment.objects.approved().filter(email__iexact=comment.email, by_staff=False).exists():
        return Decision(approved=True)
    return None


def check_first_comment(comment):
    return Decision(approved=False, held_reason=Comment.HeldReason.FIRST_COMMENT)


RULES = [
    check_closed,
    check_duplicate,
    check_blocked,
    check_links,
    check_known_author,
    check_first_comment,
]


def moderate(comment):
    """Run RULES on an unsaved comment; the first rule with an answer decides."""
    for rule in RULES:
        decision = rule(comment)
        if decision is not None:
            return decision
    raise AssertionError("check_first_comment always decides")  # pragma: no cover
