"""
schema.org JSON-LD, built as plain data from what a page's view already
loaded (no extra queries). Pure functions of the request and the objects they
are given; views put the result in their page metadata (core.metadata).
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.site import LOGO, LOGO_SIZE, absolute_static, absolute_url, film_image

# json.dumps leaves <, > and & alone; inside <script> a value holding
# "</script>" or "<!--" would end the block. As \uXXXX they stay data.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # escaped above


def describe(text, length=160):
    """Plain text of at most `length` characters, for descriptions."""
    return Truncator(" ".join(strip_tags(text or "").split())).chars(length)


def iso(dt):
    return dt.isoformat(timespec="seconds") if dt else None


def _clean(data):
    """Drop empty values: schema.org validators flag "" and []."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def publisher(request):
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute_url(request, reverse("home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_static(request, LOGO),
            "width": LOGO_SIZE[0],
            "height": LOGO_SIZE[1],
        },
    }


def film_data(request, film):
    """A Movie (or TVSeries for series formats) from a film with credits prefetched."""
    return _clean(
        {
            "@type": "TVSeries" if film.is_series else "Movie",
            "name": film.title,
            "alternateName": [t for t in film.all_titles if t != film.title],
            "url": absolute_url(request, film.get_absolute_url()),
            "image": film_image(request, film),
            "dateCreated": str(film.year) if film.year else None,
            "director": [
                {"@type": "Person", "name": p.name, "url": absolute_url(request, p.get_absolute_url())}
                for p in film.directors
            ],
        }
    )


def breadcrumbs(request, trail):
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(request, url)}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def article_graph(request, article, entries):
    """Article, ItemList and breadcrumbs of a list; `article` comes annotated with_modified_at()."""
    url = absolute_url(request, article.get_absolute_url())
    first_film = entries[0].film if entries else None
    author = (
        {"@type": "Person", "name": article.byline}
        if article.byline
        else {"@type": "Organization", "name": settings.SITE_NAME}
    )
    article_ld = _clean(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": Truncator(article.title).chars(110),
            "description": describe(article.summary),
            "author": author,
            "publisher": publisher(request),
            "datePublished": iso(article.published_at),
            "dateModified": iso(article.modified_at),
            "image": [film_image(request, first_film)],
            "keywords": [tag.name for tag in article.hashtags.all()],
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
        }
    )
    item_list = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": article.title,
        "url": url,
        "numberOfItems": len(entries),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": entry.rank,
                "url": f"{url}#{entry.anchor}",
                "item": film_data(request, entry.film),
            }
            for entry in entries
        ],
    }
    trail = [("Home", reverse("home")), ("All lists", reverse("articles:list")), (article.title, article.get_absolute_url())]
    return [article_ld, item_list, breadcrumbs(request, trail)]


def film_graph(request, film):
    """The film (credits, studios and moods prefetched) and its breadcrumbs."""
    data = {"@context": "https://schema.org", **film_data(request, film)}
    data.update(
        _clean(
            {
                "description": describe(film.synopsis, 300),
                "productionCompany": [{"@type": "Organization", "name": s.name} for s in film.studios.all()],
                "keywords": [m.name for m in film.moods.all()],
                "duration": f"PT{film.runtime_minutes}M" if film.runtime_minutes else None,
                "numberOfEpisodes": film.episodes if film.is_series else None,
            }
        )
    )
    return [data, breadcrumbs(request, [("Home", reverse("home")), (film.title, film.get_absolute_url())])]
