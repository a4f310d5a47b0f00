"""
The readers' page cache and the HTTP caching headers of public pages.

A reader's GET (no session cookie) of a public page or feed is answered from
the shared cache when the page is there and still true, before sessions,
CSRF, auth or a view run: no SQL query. A miss renders as usual inside a
*reading* (pagecache.reading) that gathers the keys the page shows; the
answer is stored with them when it is a plain public 200 (no cookie set, no
CSRF token used, not marked private or no-store by its view), with its gzip
form, an ETag and Last-Modified.

Never stale: a change retires exactly the keys it touches (pagecache.store),
and no entry, `max-age`, `s-maxage` or `stale-while-revalidate` reaches
past the next scheduled publish. The keys go out in the headers CDNs purge
by (`PAGECACHE_EDGE_HEADERS`: xkey for Varnish, Surrogate-Key for Fastly,
Cache-Tag for Cloudflare), and every retirement is sent to the edge.

A page that read the database but declared nothing it shows is not kept:
without its keys nothing could retire it.

One page for every campaign link: tracking parameters (utm_*, fbclid …),
which no page reads, are not part of the key.

Never shared: a request with a session cookie (staff), the admin, previews,
share links, the comment form and the pages named personal by a query
parameter (`PAGE_CACHE_PERSONAL_PARAMETERS`) neither read nor fill it.
"""

import hashlib
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from zlib_ng import gzip_ng

from . import invalidation, reading, redis_pages, schedule, store
from .gzip import GZIP_LEVEL, spliced_gzip

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Set by the view or rebuilt for every answer, so never stored with the page.
RECOMPUTED = {"cache-control", "content-length", "etag", "last-modified", "content-encoding", "vary", "expires"}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache", "max-age=0")
# Query parameters that campaign links and social sites add, which no page
# reads: a list shared on a social site arrives with a new `fbclid` for every
# reader, and each would otherwise be a page-cache miss at the height of the spike.
TRACKING_PARAMETER = re.compile(r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid)$")


@dataclass(frozen=True)
class Page:
    headers: tuple
    body: bytes
    gzipped: bytes | None
    etag: str
    last_modified: int
    vary: tuple
    bound: float | None  # the next scheduled publish when it was stored


def reader_request(request):
    """An anonymous GET of a page every reader sees alike."""
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    if (
        set(settings.PAGE_CACHE_PERSONAL_PARAMETERS)
        & parse_qs(request.META.get("QUERY_STRING", ""), keep_blank_values=True).keys()
    ):
        return False
    path = request.path_info
    return not any(re.search(pattern, path) for pattern in settings.PAGE_CACHE_EXCLUDE)


def storable(request, response):
    """A 200 for everyone: no cookie, no CSRF token, nothing the view marked personal."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.has_header("Content-Encoding"):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(directive in control for directive in UNCACHEABLE_DIRECTIVES):
        return False
    return "*" not in response.get("Vary", "")


def cache_control(bound, now):
    """public, with every lifetime ending before the next scheduled list goes live."""
    remaining = math.inf if bound is None else bound - now
    shared = int(min(settings.PAGE_CACHE_S_MAXAGE, remaining))
    browser = min(settings.PAGE_CACHE_MAX_AGE, shared)
    stale = int(max(0, min(settings.PAGE_CACHE_STALE_WHILE_REVALIDATE, remaining - shared)))
    if shared <= 0:
        return "public, no-cache"
    return f"public, max-age={browser}, s-maxage={shared}, stale-while-revalidate={stale}"


def page_key(request):
    """The page's name in the cache: its path and query, less tracking parameters."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        kept = [part for part in query.split("&") if not TRACKING_PARAMETER.match(unquote(part.partition("=")[0]))]
        query = "&".join(kept)
    address = hashlib.md5(f"{request.path}?{query}".encode(), usedforsecurity=False).hexdigest()
    return f"pc:page:{address}"


class PageCacheMiddleware:
    """Between WhiteNoise and the session middleware (see settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not reader_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and "Cache-Control" not in response:
                # A logged-in editor's view of a public page: never kept by a
                # shared cache, and revalidated by their browser after an edit.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        request.get_host()  # the Host check the skipped CommonMiddleware would make
        if not store.enabled():
            return self.get_response(request)
        key = page_key(request)
        fast = redis_pages.available()
        start, found = self.look(request, key, fast)
        if start is None:
            invalidation.met_outage()  # the cache is unreachable: nothing is read or kept
        elif invalidation.degraded():
            # A change may not have reached the cache yet: trust nothing in it
            # until the kept ones have landed, then look again.
            start, found = self.look(request, key, fast) if invalidation.drain() else (None, None)
        now = timezone.now().timestamp()
        if start is None:
            return self.get_response(request)
        if found is not None and (found["bound"] is None or now < found["bound"]):
            response = self.answer_stored(request, found, now)
            response["X-Page-Cache"] = "hit"
            return response
        token = reading.begin(start, request.get_host())
        queried = []
        try:
            with connection.execute_wrapper(lambda execute, *args: queried.append(1) or execute(*args)):
                response = self.get_response(request)
            current = reading.current()
        finally:
            reading.end(token)
        if not storable(request, response) or (queried and not current.keys):
            response["X-Page-Cache"] = "miss"
            return response
        # A page made without a query (an empty search) cannot change when a
        # list goes live; every other one lives no longer than the schedule allows.
        bound = schedule.next_publish() if queried else None
        if queried:
            current.keys.add(schedule.SCHEDULE_KEY)
        page = self.page(response, bound=bound, now=now, fragments=current.fragments, keys=current.keys)
        lifetime = (
            settings.PAGE_CACHE_TIMEOUT if page.bound is None else min(settings.PAGE_CACHE_TIMEOUT, page.bound - now)
        )
        if lifetime >= 1:
            if fast:
                redis_pages.write(key, start, current.keys, page, int(lifetime))
            else:
                store.put(key, start, current.keys, page, int(lifetime), bound=page.bound)
        response = self.answer(request, page, now)
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def look(request, key, fast):
        """(the clock, the stored page if it is still true, as answer_stored takes it, or None)."""
        takes_gzip = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        if fast:
            return redis_pages.read(key, if_none_match=request.META.get("HTTP_IF_NONE_MATCH"), gzip=takes_gzip)
        start, entry = store.read(key)
        if entry is None:
            return start, None
        built, keys, page, _ = entry
        if not store.fresh(built, keys, clock_now=start):
            return start, None
        compressed = takes_gzip and page.gzipped is not None
        return start, {
            "bound": page.bound,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "headers": page.headers,
            "vary": page.vary,
            "encoding": "gzip" if compressed else "",
            "body": page.gzipped if compressed else page.body,
        }

    @staticmethod
    def answer_stored(request, found, now):
        """A stored page, or a 304 when the reader already has it (no body read on Redis)."""
        response = HttpResponse(found.get("body", b""), headers=dict(found["headers"]))
        if found.get("encoding"):
            response["Content-Encoding"] = found["encoding"]
        if "body" in found:
            response["Content-Length"] = str(len(response.content))
        response["ETag"] = found["etag"]
        response["Last-Modified"] = http_date(found["last_modified"])
        response["Cache-Control"] = cache_control(found["bound"], now)
        patch_vary_headers(response, (*found.get("vary", ()), "Accept-Encoding"))
        return get_conditional_response(
            request, etag=found["etag"], last_modified=found["last_modified"], response=response
        )

    @staticmethod
    def page(response, *, bound, now, fragments=(), keys=()):
        body = response.content
        # zlib-ng: the bytes of zlib's level 6 (within 0.5%) in under half the time.
        compressed = spliced_gzip(body, fragments) or gzip_ng.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        gzipped = compressed if len(compressed) < len(body) else None
        # gzip with a fixed mtime is a function of the body, and a fifth of
        # its size: hashing it tells versions apart as well, in a fifth of the time.
        tag = hashlib.md5(gzipped or body, usedforsecurity=False).hexdigest()
        return Page(
            headers=(
                *((k, v) for k, v in response.items() if k.lower() not in RECOMPUTED),
                *((header, " ".join(sorted(keys))) for header in settings.PAGECACHE_EDGE_HEADERS if keys),
            ),
            body=body,
            gzipped=gzipped,
            etag=f'W/"{tag}"',
            last_modified=int(now),
            vary=tuple(v.strip() for v in response.get("Vary", "").split(",") if v.strip()),
            bound=bound,
        )

    @staticmethod
    def answer(request, page, now):
        compressed = page.gzipped is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        response = HttpResponse(page.gzipped if compressed else page.body, headers=dict(page.headers))
        if compressed:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = page.etag
        response["Last-Modified"] = http_date(page.last_modified)
        response["Cache-Control"] = cache_control(page.bound, now)
        patch_vary_headers(response, (*page.vary, "Accept-Encoding"))
        return get_conditional_response(request, etag=page.etag, last_modified=page.last_modified, response=response)


class PublicGZipMiddleware(GZipMiddleware):
    """
    Compresses only answers that carry no secret, which rules out BREACH: that
    attack needs a secret (a CSRF token, a session) in a compressed body next
    to text the attacker controls. Answers that set a cookie or used a CSRF
    token, and every answer to a logged-in request, go out uncompressed.
    Cached pages arrive already compressed and pass through.
    """

    def process_response(self, request, response):
        if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        return super().process_response(request, response)
