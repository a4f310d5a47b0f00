"""
Profile one public page rendered uncached (the page cache is bypassed), and
print its size raw and gzipped: `python bench/profile_page.py [path] [runs]`.
Uses DATABASE_URL like the site; the demo's 20-entry list by default.
"""

import cProfile
import gzip
import os
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magazine.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

path = sys.argv[1] if len(sys.argv) > 1 else "/articles/top-20-sad-romance-anime-movies/"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
settings.PAGE_CACHE_EXCLUDE = [r".*"]  # measure the render, not the cache
settings.ALLOWED_HOSTS = ["*"]
client = Client()
body = client.get(path).content  # warm template loading
started = time.perf_counter()
for _ in range(runs):
    client.get(path)
ms = (time.perf_counter() - started) * 1000 / runs
profiler = cProfile.Profile()
profiler.enable()
for _ in range(runs):
    client.get(path)
profiler.disable()
print(f"{path}: {ms:.1f} ms a render, {len(body):,} bytes, {len(gzip.compress(body, 6)):,} gzipped")
stats = pstats.Stats(profiler).sort_stats("tottime")
stats.print_stats(18)
if os.environ.get("PROFILE_OURS"):
    pstats.Stats(profiler).sort_stats("cumtime").print_stats(r"/(articles|films|comments|core|magazine|search|templates)/", 25)
