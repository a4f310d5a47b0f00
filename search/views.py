from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode

import pagecache
from articles.models import Article
from core.metadata import PageMetadata
from films.models import Credit, Film, Person, Studio

from .engines import get_engine
from .models import SearchDocument
from .text import MAX_QUERY_LENGTH, clean_query, query_terms

Kind = SearchDocument.Kind

# (URL value of ?type=, kind, heading), in the order the page shows them.
GROUPS = [
    ("lists", Kind.ARTICLE, "Lists"),
    ("films", Kind.FILM, "Films"),
    ("people", Kind.PERSON, "People"),
    ("studios", Kind.STUDIO, "Studios"),
]
PREVIEW_SIZE = 5
PAGE_SIZE = 12
# Matches counted per kind, at most: past it a reader sees "1,000+" and the
# pages of that kind stop at the best COUNT_CAP.
COUNT_CAP = 1000


def _hydrate_queryset(kind):
    if kind == Kind.ARTICLE:
        # published() again (public() for films): the engine already filtered,
        # but a list unpublished between the two queries must not slip through.
        return Article.objects.published().select_related("author").with_top_entries()
    if kind == Kind.FILM:
        return Film.objects.public().prefetch_related(
            Prefetch("credits", queryset=Credit.objects.filter(role=Credit.Role.DIRECTOR).select_related("person"))
        )
    if kind == Kind.STUDIO:
        # Counted like the studio's page lists them: public films only.
        return Studio.objects.annotate(num_films=Count("films", filter=Film.objects.public_condition("films__")))
    return Person.objects.all()


def hydrate(kind, hits):
    """Attach each hit's object with one query (plus prefetches) per kind; drop vanished ones."""
    objects = _hydrate_queryset(kind).in_bulk([h.object_id for h in hits]) if hits else {}
    for hit in hits:
        hit.object = objects.get(hit.object_id)
    return [h for h in hits if h.object is not None]


class _Hits:
    """A lazy sequence for Paginator: the count is known, slices run the engine."""

    def __init__(self, engine, terms, kind, count):
        self.engine, self.terms, self.kind, self._count = engine, terms, kind, count

    def count(self):
        return self._count

    def __getitem__(self, item):
        if not self.terms:  # nothing to search for: an empty page, not a query
            return []
        return hydrate(
            self.kind, self.engine.hits(self.terms, self.kind, item.start, item.stop - item.start, pool=COUNT_CAP)
        )


def search(request):
    """Search across lists, films and people: grouped overview, or one group paginated (?type=)."""
    pagecache.shows("search")
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    terms = query_terms(raw)
    group_slug = request.GET.get("type", "")
    by_slug = {slug: (kind, label) for slug, kind, label in GROUPS}
    if group_slug and group_slug not in by_slug:
        raise Http404("No such kind of result.")

    engine = get_engine()
    counts = engine.counts(terms, cap=COUNT_CAP) if terms else {}
    capped = {kind: min(n, COUNT_CAP) for kind, n in counts.items()}
    context = {
        "query": query,
        "terms": terms,
        "truncated": len(" ".join(raw.split())) > MAX_QUERY_LENGTH,
        "total": sum(capped.values()),
        "total_capped": any(n > COUNT_CAP for n in counts.values()),
        "cap": COUNT_CAP,
        "max_length": MAX_QUERY_LENGTH,
        "groups": [],
        "page_metadata": PageMetadata(),  # results pages are not indexed: the site's own card
    }
    if group_slug:
        kind, label = by_slug[group_slug]
        paginator = Paginator(_Hits(engine, terms, kind, capped.get(kind, 0)), PAGE_SIZE)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except InvalidPage:
            raise Http404("No such page.") from None
        context.update(page_obj=page, paginator=paginator, is_paginated=page.has_other_pages())
        context["groups"].append(
            {
                "slug": group_slug,
                "kind": kind,
                "label": label,
                "count": paginator.count,
                "capped": counts.get(kind, 0) > COUNT_CAP,
                "hits": page.object_list,
            }
        )
    else:
        for slug, kind, label in GROUPS:
            count = capped.get(kind, 0)
            if not count:
                continue
            hits = hydrate(kind, engine.hits(terms, kind, 0, PREVIEW_SIZE, pool=COUNT_CAP))
            more = urlencode({"q": query, "type": slug}) if count > PREVIEW_SIZE else ""
            context["groups"].append(
                {
                    "slug": slug,
                    "kind": kind,
                    "label": label,
                    "count": count,
                    "capped": counts[kind] > COUNT_CAP,
                    "hits": hits,
                    "more": more,
                }
            )
    return render(request, "search/results.html", context)
