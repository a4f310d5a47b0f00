import logging

from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from articles.models import Article
from core.metadata import PageMetadata
from core.net import client_address
from core.site import absolute_url

from .forms import CommentForm
from .models import Comment
from .moderation import CommentRefused, comments_open
from .ratelimit import comment_rate_limited
from .services import comment_submit, moderation_queue_path
from .threads import POSTED_PARAMETER, posted_token

logger = logging.getLogger(__name__)

# Refusals are answered with the form and its text kept, under a status code
# that says what happened.
REFUSAL_STATUS = {"closed": 403, "duplicate": 409}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment_post(request, slug):
    """
    The comment form on its own page: the only page with a CSRF token (and so
    a cookie), which lets the article pages stay cacheable.
    """
    article = get_object_or_404(Article.objects.published(), slug=slug)
    # A form page, not indexed: the site's own card rather than the list's.
    context = {"article": article, "comments_open": comments_open(article), "page_metadata": PageMetadata()}

    if request.method != "POST":
        form = CommentForm(article=article, initial={"reply_to": request.GET.get("reply_to")})
        if request.GET.get("reply_to"):
            form.parent = _parent_or_404(article, request.GET["reply_to"])
        return render(request, "comments/comment_form.html", {**context, "form": form})

    form = CommentForm(request.POST, article=article)

    def again(status, error=None):
        if error:
            form.add_error(None, error)
        return render(request, "comments/comment_form.html", {**context, "form": form}, status=status)

    if comment_rate_limited(request):
        return again(
            429, "You have sent several comments in a short time. Please wait a minute, then send this one again."
        )
    if not form.is_valid():
        return again(400 if form.is_machine_made else 200)
    data = form.cleaned_data
    try:
        comment = comment_submit(
            article=article,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            parent=form.parent,
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            queue_url=absolute_url(request, moderation_queue_path()),
        )
    except CommentRefused as refusal:
        return again(REFUSAL_STATUS[refusal.code], refusal.message)
    except DatabaseError:
        logger.exception("Saving a comment on %s failed", article.slug)
        return again(
            503,
            "Sorry — your comment could not be saved just now, and nothing was "
            "published. Your text is still here: please send it again.",
        )
    # Post/redirect/get to the list itself, where the reader finds their
    # comment in the thread: live, or marked as waiting for a moderator.
    return redirect(f"{article.get_absolute_url()}?{POSTED_PARAMETER}={posted_token(comment)}#{comment.anchor}")


def _parent_or_404(article, pk):
    try:
        return Comment.objects.approved().get(article=article, pk=int(pk))
    except (Comment.DoesNotExist, ValueError):
        raise Http404("That comment is not available for replies.") from None
