"""
The readers' page cache and the HTTP caching headers of public pages.

A reader's GET (no session cookie) of a public page or feed is answered from
the shared cache when the page is there, before sessions, CSRF, auth or a
view run: no SQL query. A miss renders as usual; the answer is stored when it
is a plain public 200 (no cookie set, no CSRF token used, not marked private
or no-store by its view), with its gzip form, an ETag and Last-Modified. The
gzip form is made around the compressed pieces of the page's large cached
fragments when it has them (`spliced_gzip`).

Never stale: keys carry the content generation (core/pagecache.py), which
every visible change bumps, and no entry, `max-age`, `s-maxage` or
`stale-while-revalidate` reaches past the next scheduled publish.

One page for every campaign link: tracking parameters (utm_*, fbclid …),
which no page reads, are not part of the key.

Never shared: a request with a session cookie (staff), the admin, previews,
share links, the comment form and the list a reader returns to after posting
(`?comment=`) neither read nor fill it.
"""

import hashlib
import math
import re
import struct
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from zlib_ng import gzip_ng, zlib_ng

from comments.threads import POSTED_PARAMETER
from core import pagecache

from .signals import next_scheduled

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Set by the view or rebuilt for every answer, so never stored with the page.
RECOMPUTED = {"cache-control", "content-length", "etag", "last-modified", "content-encoding", "vary", "expires"}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache", "max-age=0")
# Query parameters that make a public page one reader's own: the signed token
# of a comment just posted, shown to its writer before a moderator approves it.
PERSONAL_PARAMETERS = {POSTED_PARAMETER}
# Query parameters that campaign links and social sites add, which no page
# reads: a list shared on a social site arrives with a new `fbclid` for every
# reader, and each would otherwise be a page-cache miss at the height of the spike.
TRACKING_PARAMETER = re.compile(r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid)$")


GZIP_LEVEL = 6
# gzip's header with no name and no timestamp, and deflate's window.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
WINDOW = 32 * 1024


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
    if PERSONAL_PARAMETERS & parse_qs(request.META.get("QUERY_STRING", ""), keep_blank_values=True).keys():
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


def page_key(generation, request):
    """The page's cache key: its path and query, less tracking parameters."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        kept = [part for part in query.split("&") if not TRACKING_PARAMETER.match(unquote(part.partition("=")[0]))]
        query = "&".join(kept)
    address = hashlib.md5(f"{request.path}?{query}".encode(), usedforsecurity=False).hexdigest()
    return f"page:{generation}:{address}"


class PageCacheMiddleware:
    """Between WhiteNoise and the session middleware (see settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read by the fragment caches too (magazine/context_processors.py):
        # what is cached for every reader is never shown to staff, nor the reverse.
        request.for_every_reader = reader_request(request)
        # Read once here, by the fragment caches and core.pagecache.shared().
        request.content_generation = pagecache.generation() if request.for_every_reader else None
        if not request.for_every_reader:
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and "Cache-Control" not in response:
                # A logged-in editor's view of a public page: never kept by a
                # shared cache, and revalidated by their browser after an edit.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        request.get_host()  # the Host check the skipped CommonMiddleware would make
        request.compressible_fragments = []  # filled by {% cache_compressed %}
        generation = request.content_generation
        key = page_key(generation, request) if generation is not None else None
        now = timezone.now().timestamp()
        page = cache.get(key) if key else None
        if page is not None and (page.bound is None or now < page.bound):
            return self.answer(request, page, now)
        queried = []
        with connection.execute_wrapper(lambda execute, *args: queried.append(1) or execute(*args)):
            response = self.get_response(request)
        if key is None or not storable(request, response):
            return response
        # A page made without a query (an empty search) cannot change when a
        # list goes live; every other one lives no longer than the schedule allows.
        bound = pagecache.next_publish(next_scheduled) if queried else None
        page = self.page(response, bound=bound, now=now, fragments=request.compressible_fragments)
        lifetime = settings.PAGE_CACHE_TIMEOUT if page.bound is None else min(settings.PAGE_CACHE_TIMEOUT, page.bound - now)
        if lifetime >= 1:
            cache.set(key, page, int(lifetime))
        return self.answer(request, page, now)

    @staticmethod
    def page(response, *, bound, now, fragments=()):
        body = response.content
        # zlib-ng: the bytes of zlib's level 6 (within 0.5%) in under half the time.
        compressed = spliced_gzip(body, fragments) or gzip_ng.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        gzipped = compressed if len(compressed) < len(body) else None
        # gzip with a fixed mtime is a function of the body, and a fifth of
        # its size: hashing it tells versions apart as well, in a fifth of the time.
        tag = hashlib.md5(gzipped or body, usedforsecurity=False).hexdigest()
        return Page(
            headers=tuple((k, v) for k, v in response.items() if k.lower() not in RECOMPUTED),
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


def _deflate(data, *, history=b"", finish=False):
    """
    Raw deflate of `data` as it continues a stream whose last bytes were
    `history`: it may refer back to them, and ends on a byte boundary
    (or, finishing, with the stream's last block).
    """
    options = {"zdict": history} if history else {}
    compressor = zlib_ng.compressobj(GZIP_LEVEL, zlib_ng.DEFLATED, -zlib_ng.MAX_WBITS, **options)
    return compressor.compress(data) + compressor.flush(zlib_ng.Z_FINISH if finish else zlib_ng.Z_FULL_FLUSH)


def spliced_gzip(body, fragments):
    """
    The gzip of `body` made around the compressed form of its cached
    fragments ((key, text) in the order of the page), or None when one is not
    in it. A deflate stream may be cut into pieces, each compressed alone
    with the 32 KB before it as its dictionary, which is how each fragment's
    piece is kept (under its key and those 32 KB): the page then compresses
    only what surrounds its fragments, in bytes no larger than one pass
    makes. Reused on every page-cache miss whose fragments are warm, as a
    cache-busting query string makes: 0.2 ms instead of 1.1 for the list.
    """
    if not fragments:
        return None
    parts, position = [GZIP_HEADER], 0
    for key, text in fragments:
        raw = text.encode()
        start = body.find(raw, position)
        if start < 0:
            return None
        history = body[max(0, start - WINDOW) : start]
        piece_key = f"gzip-piece:{key}:{hashlib.md5(history, usedforsecurity=False).hexdigest()}"
        piece = cache.get(piece_key)
        if piece is None:
            piece = _deflate(raw, history=history)
            cache.set(piece_key, piece, settings.PAGE_CACHE_TIMEOUT)
        parts += [_deflate(body[position:start], history=body[max(0, position - WINDOW) : position]), piece]
        position = start + len(raw)
    parts.append(_deflate(body[position:], history=body[max(0, position - WINDOW) : position], finish=True))
    parts.append(struct.pack("<II", zlib_ng.crc32(body), len(body) & 0xFFFFFFFF))
    return b"".join(parts)


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
