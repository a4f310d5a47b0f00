"""Reading comments: the approved thread of an article and the confirmation after posting."""

from django.core import signing

from .moderation import comments_open

POSTED_PARAMETER = "comment"
POSTED_SALT = "comments.posted"
# How long the address a reader is sent to after posting shows their comment
# (held or live) to whoever has it: long enough to come back later that day.
POSTED_MAX_AGE = 24 * 60 * 60


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
    """Signed and timestamped: names one comment, for POSTED_MAX_AGE."""
    return signing.dumps({"c": comment.pk}, salt=POSTED_SALT)


def posted_from_token(token):
    """The pk of the comment a reader was redirected with, or None (no, bad or expired token)."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=POSTED_SALT, max_age=POSTED_MAX_AGE)
        return int(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def posted_comment(article, request):
    """
    The comment the reader just posted on this list, when the address carries
    its token (`?comment=`), unless a moderator has removed it since. No
    query without a token, so the page everyone shares costs what it did.
    """
    pk = posted_from_token(request.GET.get(POSTED_PARAMETER))
    if pk is None:
        return None
    return article.comments.filter(pk=pk, is_removed=False).first()


def comments_context(article, request):
    """
    What the comments section of an article page needs, in one query whatever
    their number (two after posting).

    After posting, the reader's comment is shown where it will sit in the
    thread, marked as waiting for a moderator while it is held. It comes from
    a signed query parameter, not a cookie or the messages framework, so the
    shared page still sets no cookie; that address is never cached (see
    articles.views.ArticleDetailView and magazine/pagecache.py).
    """
    comments = list(article.comments.for_thread())
    count = len(comments)
    posted = posted_comment(article, request)
    if posted is not None and not posted.is_public:
        posted.is_pending = True
        comments.append(posted)  # the newest: it goes last in its thread
    return {
        "comments": nest(comments),
        "comment_count": count,
        "comments_open": comments_open(article),
        "comment_posted": posted,
    }
