"""Absolute addresses for canonical links, social cards, feeds and structured data."""

from django.conf import settings
from django.templatetags.static import static

LOGO = "img/logo.png"  # 512x512; Google asks for at least 112x112
LOGO_SIZE = (512, 512)
SOCIAL_IMAGE = "img/social-default.png"
SOCIAL_IMAGE_SIZE = (1200, 630)


def absolute_url(request, path):
    """
    `path` on the public site, always under SITE_URL. The request is not
    consulted: its Host header is whatever the client sent (an error page for
    a rejected host must not raise again, and no link may echo a stray port).
    """
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + ("" if path.startswith("/") else "/") + path


def absolute_static(request, name):
    return absolute_url(request, static(name))


def film_image(request, film):
    """The film's poster, or the magazine's default card when it has none."""
    if film is not None and film.poster:
        return absolute_url(request, film.poster.url)
    return absolute_static(request, SOCIAL_IMAGE)
