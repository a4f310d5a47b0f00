"""
What one public page costs in the process, under the production settings
and middleware, with no server or network in between:

    .venv/bin/python bench/profile_page.py [path] [runs]

Prints CPU milliseconds per request (time.process_time, so other programs
on a loaded machine count far less than in wall-clock figures) for the bare
view (/bench/constant), the page answered from the page cache, a page-cache
miss with its fragments warm (a new query string each time), and the page
rendered from scratch (the cache cleared before each request); then the
ratio of the miss to the bare view, the page's size raw and gzipped, and
the top of the profile of the miss. PROFILE_OURS=1 adds the project's own
functions by cumulative time. Uses DATABASE_URL like the site (default:
this checkout's db.sqlite3, after `manage.py load_demo`).
"""

import cProfile
import gzip
import io
import os
import pstats
import secrets
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings",
    SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    SITE_URL="http://127.0.0.1:8000",
    SECURE_SSL_REDIRECT="false",
    CACHE_URL="locmemcache://profile",
)
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT}/db.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test import RequestFactory  # noqa: E402

path = sys.argv[1] if len(sys.argv) > 1 else "/articles/top-20-sad-romance-anime-movies/"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
handler = WSGIHandler()
factory = RequestFactory()


def get(url):
    address, _, query = url.partition("?")
    environ = factory._base_environ(
        PATH_INFO=address,
        QUERY_STRING=query,
        REQUEST_METHOD="GET",
        HTTP_ACCEPT_ENCODING="gzip",
        SERVER_NAME="127.0.0.1",
        SERVER_PORT="8000",
    )
    statuses = []
    body = b"".join(handler(environ, lambda status, headers, *a: statuses.append(status)))
    assert statuses[0].startswith("200"), (url, statuses)
    return body


def cpu_ms(make_url, before=None, n=runs):
    get(make_url(-1))  # warm
    total = 0.0
    for i in range(n):
        if before:
            before()
        started = time.process_time()
        get(make_url(i))
        total += time.process_time() - started
    return total * 1000 / n


bare = cpu_ms(lambda i: "/bench/constant")
cached = cpu_ms(lambda i: path)
miss = cpu_ms(lambda i: f"{path}?n={i}")
scratch = cpu_ms(lambda i: path, before=cache.clear, n=max(10, runs // 10))
cache.clear()
address, _, query = path.partition("?")
environ = factory._base_environ(PATH_INFO=address, QUERY_STRING=query, SERVER_NAME="127.0.0.1", SERVER_PORT="8000")
body = b"".join(handler(environ, lambda *a: None))
print(f"{path}: {len(body):,} bytes, {len(gzip.compress(body, 6)):,} gzipped")
print(
    f"CPU ms a request: bare view {bare:.2f}, cached {cached:.2f}, page-cache miss (fragments warm) {miss:.2f}, "
    f"from scratch {scratch:.2f}"
)
print(f"miss vs bare view: {bare / miss:.2f}x the throughput; from scratch: {bare / scratch:.3f}x")

profiler = cProfile.Profile()
profiler.enable()
for i in range(runs):
    get(f"{path}?p={i}")
profiler.disable()
out = io.StringIO()
pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
if os.environ.get("PROFILE_OURS"):
    pstats.Stats(profiler, stream=out).sort_stats("cumtime").print_stats(
        r"/(articles|films|comments|core|magazine|search|templates)/", 25
    )
print(out.getvalue().replace(ROOT + "/", "").replace(os.path.dirname(django.__path__[0]) + "/", ""))
