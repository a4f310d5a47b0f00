from django import template

from core.share_urls import share_links
from core.site import absolute_url

register = template.Library()


@register.inclusion_tag("includes/share.html")
def share_row(path, title, label="Share"):
    """{% share_row article.get_absolute_url article.title %}: plain share links, and copy/share buttons for share.js."""
    url = absolute_url(None, path)
    return {"url": url, "title": title, "label": label, "links": share_links(url, title)}
