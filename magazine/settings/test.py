"""The test suite: fast hashing, in-memory mail, plain static files."""

import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
SITE_URL = "http://testserver"  # the test client's host
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405  (seed_scale is tested)
# Each test runs in a transaction that is rolled back, so on_commit never
# comes: the page cache also retires what a change touches at once
# (pagecache/invalidation.py). Tests of the commit path turn it off.
PAGECACHE_RETIRE_IN_TRANSACTION = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as in production, not the shared in-memory database: threads
    # then meet SQLite's real locking (WAL, BEGIN IMMEDIATE, the busy
    # timeout), so the concurrency tests test what the site does. One file
    # per run (the process id), so two runs side by side never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
