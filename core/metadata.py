"""
What a page is, for its <head>: title, description, social card, canonical
address, feeds and JSON-LD. Each view says it with `get_page_metadata()`
(class-based views through PageMetadataMixin) or a `page_metadata` context
entry; {% page_head %} fills in the site's defaults and renders it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import to_locale

from core.site import SOCIAL_IMAGE, SOCIAL_IMAGE_SIZE, absolute_static, absolute_url
from core.structured_data import jsonld_script


@dataclass(frozen=True)
class PageMetadata:
    """
    The defaults describe a page of the site as a whole (home, archive, forms):
    None means "the site's own" title, description, card or address.
    """

    title: str | None = None
    description: str | None = None
    type: str = "website"
    path: str | None = None  # the canonical path; None: the requested one (with ?page=N)
    image: str | None = None  # an absolute address; None: the site's card, of known size
    image_size: tuple | None = None  # (width, height) of `image`, when known
    image_alt: str = ""  # what `image` shows
    feeds: tuple = ()  # (title, MIME type, path), offered after the site's latest-lists feeds
    jsonld: tuple = ()
    published: str | None = None  # set for articles only: og's article:* tags follow it
    modified: str | None = None
    tags: tuple = ()


def feed_links(label, rss_path, atom_path):
    """The (title, type, path) pair of a feed offered in RSS and in Atom."""
    return (
        (f"{label} (RSS)", "application/rss+xml", rss_path),
        (f"{label} (Atom)", "application/atom+xml", atom_path),
    )


def share_card_metadata(request, card):
    """The PageMetadata fields naming a stored share card (core.share_cards.ShareCard) as the page's image."""
    return {"image": absolute_url(request, card.url), "image_size": (card.width, card.height), "image_alt": card.alt}


class PageMetadataMixin:
    """A class-based view that says what its page is: override get_page_metadata()."""

    def get_page_metadata(self, context):
        return PageMetadata()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_metadata"] = self.get_page_metadata(context)
        return context


def page_head(context):
    """The values includes/page_head.html renders, from the page's metadata and the site's defaults."""
    request = context["request"]
    page = context.get("page_metadata") or PageMetadata()
    canonical = page.path or request.path
    page_obj = context.get("page_obj")
    if page_obj is not None and getattr(page_obj, "number", 1) > 1 and canonical == request.path:
        canonical += f"?page={page_obj.number}"
    return {
        "title": settings.SITE_NAME if page.title is None else page.title,
        "description": settings.SITE_TAGLINE if page.description is None else page.description,
        "type": page.type,
        "canonical": absolute_url(request, canonical),
        "image": page.image or absolute_static(request, SOCIAL_IMAGE),
        "image_size": page.image_size if page.image else SOCIAL_IMAGE_SIZE,
        "image_alt": page.image_alt if page.image else f"{settings.SITE_NAME}: {settings.SITE_TAGLINE}",
        "locale": to_locale(settings.LANGUAGE_CODE),  # og:locale wants en_US, not en-us
        "published": page.published,
        "modified": page.modified,
        "tags": page.tags,
        "feeds": [
            *feed_links(
                f"{settings.SITE_NAME}: the latest lists", reverse("feeds:latest_rss"), reverse("feeds:latest_atom")
            ),
            *page.feeds,
        ],
        "jsonld_html": mark_safe("".join(jsonld_script(d) for d in page.jsonld)),  # each escaped by jsonld_script
    }
