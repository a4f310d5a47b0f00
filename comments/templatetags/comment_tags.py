from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from comments.threads import comments_context

register = template.Library()


@register.inclusion_tag("comments/includes/thread.html", takes_context=True)
def comment_thread(context, article):
    """
    The comments section under a list: its approved thread, the form link and
    the confirmation after posting. A tag rather than view context, so that
    the article pages need not know the comments app.
    """
    return {
        **comments_context(article, context["request"]),
        "article": article,
        "is_preview": context.get("is_preview", False),
    }


@register.filter
def comment_text(value):
    """
    A reader's plain text as HTML: everything escaped, links made
    rel="nofollow ugc", line breaks kept. Nothing typed becomes markup.
    """
    html = urlize(value, autoescape=True)  # escapes all text around the links it makes
    html = html.replace("<a href=", '<a rel="nofollow ugc" href=')
    return mark_safe(linebreaks(html, autoescape=False))  # already escaped above
