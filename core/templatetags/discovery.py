from django import template

from core import metadata
from core.site import absolute_url as _absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` as a full address on the public site (under SITE_URL)."""
    return _absolute_url(context.get("request"), path)


@register.inclusion_tag("includes/page_head.html", takes_context=True)
def page_head(context):
    """Canonical link, OpenGraph and Twitter cards, feed links and JSON-LD for this page."""
    if "request" not in context:  # e.g. an error page rendered without one
        return {}
    return {"meta": metadata.page_head(context), "SITE_NAME": context.get("SITE_NAME")}
