from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def comment_text(value):
    """
    A reader's plain text as HTML: everything escaped, links made
    rel="nofollow ugc", line breaks kept. Nothing typed becomes markup.
    """
    html = urlize(value, autoescape=True)  # escapes all text around the links it makes
    html = html.replace("<a href=", '<a rel="nofollow ugc" href=')
    return mark_safe(linebreaks(html, autoescape=False))  # already escaped above
