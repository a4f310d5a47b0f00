"""
Page metadata and schema.org JSON-LD, built in Python from what the page's
view already loaded (no extra queries), rendered by {% page_head %}.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from films.models import Film

from core.site import LOGO, LOGO_SIZE, SOCIAL_IMAGE, SOCIAL_IMAGE_SIZE, absolute_static, absolute_url, film_image

# json.dumps leaves <, > and & alone; inside <script> a value holding
# "</script>" or "<!--" would end the block. As \uXXXX they stay data.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # escaped above


def _describe(text, length=160):
    return Truncator(" ".join(strip_tags(text or "").split())).chars(length)


def _iso(dt):
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
            "description": _describe(article.dek or article.intro),
            "author": author,
            "publisher": publisher(request),
            "datePublished": _iso(article.published_at),
            "dateModified": _iso(article.modified_at),
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
    data = {"@context": "https://schema.org", **film_data(request, film)}
    data.update(
        _clean(
            {
                "description": _describe(film.synopsis, 300),
                "productionCompany": [{"@type": "Organization", "name": s.name} for s in film.studios.all()],
                "keywords": [m.name for m in film.moods.all()],
                "duration": f"PT{film.runtime_minutes}M" if film.runtime_minutes else None,
                "numberOfEpisodes": film.episodes if film.is_series else None,
            }
        )
    )
    return [data, breadcrumbs(request, [("Home", reverse("home")), (film.title, film.get_absolute_url())])]


def page_metadata(context):
    """
    Title, description, image, type, canonical URL, feeds and JSON-LD for the
    page being rendered, from the objects its view put in the context. A view
    can override any of them with a `meta` dict in its context.
    """
    request = context["request"]
    article, film = context.get("article"), context.get("film")
    mood, hashtag = context.get("mood"), context.get("hashtag")
    meta = {
        "title": settings.SITE_NAME,
        "description": settings.SITE_TAGLINE,
        "type": "website",
        "image": absolute_static(request, SOCIAL_IMAGE),
        "image_size": SOCIAL_IMAGE_SIZE,
        "path": request.path,
        "feeds": [
            (f"{settings.SITE_NAME}: the latest lists (RSS)", "application/rss+xml", reverse("feeds:latest_rss")),
            (f"{settings.SITE_NAME}: the latest lists (Atom)", "application/atom+xml", reverse("feeds:latest_atom")),
        ],
        "jsonld": [],
    }
    if article is not None and "entries" in context:
        # Only the list page itself (and its preview) loads the entries; other
        # pages about an article, such as its comment form, get plain metadata.
        entries = context["entries"]
        first_film = entries[0].film if entries else None
        meta.update(
            title=article.title,
            description=_describe(article.dek or article.intro),
            type="article",
            path=article.get_absolute_url(),
            jsonld=article_graph(request, article, entries),
            image=film_image(request, first_film),
            image_size=None if first_film and first_film.poster else SOCIAL_IMAGE_SIZE,
            published=_iso(article.published_at),
            modified=_iso(article.modified_at),
            tags=[t.name for t in article.hashtags.all()],
        )
    elif isinstance(film, Film):
        meta.update(
            title=f"{film.title} ({film.year})" if film.year else film.title,
            description=_describe(film.synopsis) or f"{film.title}: facts, moods and the lists it is ranked in.",
            type="video.tv_show" if film.is_series else "video.movie",
            path=film.get_absolute_url(),
            jsonld=film_graph(request, film),
            image=film_image(request, film),
            image_size=None if film.poster else SOCIAL_IMAGE_SIZE,
        )
    elif mood is not None:
        meta.update(
            title=f"{mood.name.capitalize()} films",
            description=_describe(mood.description) or f"Films that feel {mood.name}, on {settings.SITE_NAME}.",
            path=mood.get_absolute_url(),
            jsonld=[breadcrumbs(request, [("Home", reverse("home")), ("Moods", reverse("films:mood_list")), (mood.name.capitalize(), mood.get_absolute_url())])],
        )
        meta["feeds"] += [
            (f"Lists featuring {mood.name} films (RSS)", "application/rss+xml", reverse("feeds:mood_rss", args=[mood.slug])),
            (f"Lists featuring {mood.name} films (Atom)", "application/atom+xml", reverse("feeds:mood_atom", args=[mood.slug])),
        ]
    elif hashtag is not None:
        meta.update(
            title=f"#{hashtag.name}",
            description=f"Ranked film lists tagged #{hashtag.name} on {settings.SITE_NAME}.",
            path=hashtag.get_absolute_url(),
            jsonld=[breadcrumbs(request, [("Home", reverse("home")), ("All lists", reverse("articles:list")), (f"#{hashtag.name}", hashtag.get_absolute_url())])],
        )
        meta["feeds"] += [
            (f"Lists tagged #{hashtag.name} (RSS)", "application/rss+xml", reverse("feeds:hashtag_rss", args=[hashtag.slug])),
            (f"Lists tagged #{hashtag.name} (Atom)", "application/atom+xml", reverse("feeds:hashtag_atom", args=[hashtag.slug])),
        ]
    else:
        for key in ("person", "studio"):
            obj = context.get(key)
            if obj is not None and hasattr(obj, "get_absolute_url"):
                meta.update(title=str(obj), description=f"{obj}: films and lists on {settings.SITE_NAME}.", path=obj.get_absolute_url())
                break
    if context.get("is_preview"):
        # A draft or scheduled list seen by staff: no structured data until it is live.
        meta["jsonld"] = []
    meta.update(context.get("meta") or {})
    canonical = meta["path"]
    page = context.get("page_obj")
    if page is not None and getattr(page, "number", 1) > 1 and canonical == request.path:
        canonical += f"?page={page.number}"
    meta["canonical"] = absolute_url(request, canonical)
    if meta["title"] != settings.SITE_NAME:
        meta["full_title"] = f"{meta['title']} · {settings.SITE_NAME}"
    else:
        meta["full_title"] = meta["title"]
    meta["jsonld_html"] = mark_safe("".join(jsonld_script(d) for d in meta["jsonld"]))
    return meta
