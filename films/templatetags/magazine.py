from django import template

register = template.Library()

TONES = 6


@register.filter
def tone(obj):
    """A stable colour class (0–5) for a generated placeholder poster."""
    return (getattr(obj, "pk", 0) or 0) % TONES


@register.filter
def initials(title):
    words = [w for w in (title or "").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with ?page=`number`, keeping the other parameters."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()
