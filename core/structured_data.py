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
from django.utils.translation import to_locale

from core.site import LOGO, LOGO_SIZE, absolute_static, absolute_url, film_image

# json.dumps leaves <, > and & alone; inside <script> a value holding
# "</script>" or "<!--" would end the block. As \uXXXX they stay data.
# str.replace, not str.translate with a dict: translate looks up every
# character in Python and took a third of a cached article page's render.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def jsonld_script(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # escaped above


def describe(text, length=160):
    """Plain text of at most `length` characters, for descriptions."""
    return Truncator(" ".join(strip_tags(text or "").split())).chars(length)


def iso(dt):
    return dt.isoformat(timespec="seconds") if dt else None


def _clean(data):
    """Drop empty values: schema.org validators flag "" and []."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _home(request):
    return absolute_url(request, reverse("home"))


def organization(request):
    """The magazine: publisher of every list, author of the unsigned ones. Other nodes refer to it by @id."""
    return {
        "@type": "Organization",
        "@id": f"{_home(request)}#organization",
        "name": settings.SITE_NAME,
        "url": _home(request),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_static(request, LOGO),
            "width": LOGO_SIZE[0],
            "height": LOGO_SIZE[1],
        },
    }


def _website_ref(request):
    return {"@id": f"{_home(request)}#website"}


def home_graph(request):
    """The site and the magazine behind it, with the site search as a SearchAction."""
    search = absolute_url(request, reverse("search:results"))
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        **_website_ref(request),
        "name": settings.SITE_NAME,
        "description": settings.SITE_TAGLINE,
        "url": _home(request),
        "inLanguage": to_locale(settings.LANGUAGE_CODE).replace("_", "-"),  # en-US
        "publisher": {"@id": organization(request)["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    return [website, {"@context": "https://schema.org", **organization(request)}]


def author(request, article):
    """
    A signed list is by a Person (who works for the magazine); an unsigned one
    by the magazine itself. A person has no page of their own on the site, so
    no `url`: the home page would not identify them, and Google reads an
    author's url as the page about that author.
    """
    if article.byline:
        return {"@type": "Person", "name": article.byline, "worksFor": {"@id": organization(request)["@id"]}}
    org = organization(request)
    return {"@type": "Organization", "@id": org["@id"], "name": org["name"], "url": org["url"]}


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
    article_ld = _clean(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": Truncator(article.title).chars(110),
            "description": describe(article.summary),
            "author": author(request, article),
            "publisher": organization(request),
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
    trail = [
        ("Home", reverse("home")),
        ("All lists", reverse("articles:list")),
        (article.title, article.get_absolute_url()),
    ]
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
                # schema.org has no duration for a TVSeries (only for its episodes).
                "duration": f"PT{film.runtime_minutes}M" if film.runtime_minutes and not film.is_series else None,
                "numberOfEpisodes": film.episodes if film.is_series else None,
            }
        )
    )
    return [data, breadcrumbs(request, [("Home", reverse("home")), (film.title, film.get_absolute_url())])]


def person_graph(request, person):
    """A person's page: who they are, by the name they are credited under."""
    return [
        _clean(
            {
                "@context": "https://schema.org",
                "@type": "Person",
                "name": person.name,
                "alternateName": person.native_name,
                "url": absolute_url(request, person.get_absolute_url()),
            }
        )
    ]


def studio_graph(request, studio):
    return [
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": studio.name,
            "url": absolute_url(request, studio.get_absolute_url()),
        }
    ]


def collection_page(request, *, name, description, path, items, total, first_position=1):
    """
    A page that gathers things (a mood's films, a hashtag's lists): a
    CollectionPage whose main entity is the ItemList of `items`, (name, path)
    pairs, numbered from `first_position` so that page 2 goes on from page 1.
    """
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": absolute_url(request, path),
        "isPartOf": _website_ref(request),
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": total,
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": item_name, "url": absolute_url(request, item_path)}
                for n, (item_name, item_path) in enumerate(items, start=first_position)
            ],
        },
    }
