from django import template

from core.prose import render_prose

register = template.Library()


@register.filter(is_safe=True)
def prose(text):
    """{{ entry.write_up|prose }}: the light formatting of core.prose, sanitised."""
    return render_prose(text or "")
