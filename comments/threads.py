"""Reading comments: the approved thread of an article and the confirmation after posting."""

from django.core import signing

from .moderation import comments_open

POSTED_SALT = "comments.posted"
POSTED_MAX_AGE = 60 * 60


def nest(comments):
    """
    Arrange a flat list (oldest first) into threads: returns the top-level
    comments, each with `.thread_replies`. A reply whose parent is no longer
    visible moves to the top level instead of disappearing with it.
    """
    by_pk = {c.pk: c for c in comments}
    roots = []
    for comment in comments:
        comment.thread_replies = []
    for comment in comments:
        parent = by_pk.get(comment.parent_id)
        (parent.thread_replies if parent else roots).append(comment)
    return roots


def posted_token(comment):
    return signing.dumps({"c": comment.pk, "live": comment.is_public}, salt=POSTED_SALT, compress=True)


def posted_from_token(token):
    """The {"c": pk, "live": bool} a reader was redirected with, or None."""
    if not token:
        return None
    try:
        return signing.loads(token, salt=POSTED_SALT, max_age=POSTED_MAX_AGE)
    except signing.BadSignature:
        return None


def comments_context(article, request):
    """
    What the comments section of an article page needs, in one query whatever
    their number. The confirmation after posting comes from a signed query parameter,
    not the messages framework, so the page still sets no cookie.
    """
    comments = list(article.comments.for_thread())
    return {
        "comments": nest(comments),
        "comment_count": len(comments),
        "comments_open": comments_open(article),
        "comment_posted": posted_from_token(request.GET.get("comment")),
    }
