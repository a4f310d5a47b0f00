"""
Settings shared by every environment.

Everything that differs between a laptop and production is read from the
environment (see the README's configuration table); dev.py, test.py and
prod.py only override what they must.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is a convenience for local work; production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env("SITE_NAME", default="Reel Rankings")
SITE_TAGLINE = env("SITE_TAGLINE", default="Ranked film lists, written with feeling")
# The public address, e.g. https://reelrankings.example: every absolute link
# (canonical, og:url, JSON-LD, feeds, the sitemap, moderator mail) starts with
# it, never with the Host header a request came in with. Production requires
# it; on a laptop it is `make run`'s address.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "django_tasks_db",
    "core",
    "pagecache",
    "films",
    "articles",
    "comments",
    "search",
    "slugs",
    "operations",
    "magazine",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.middleware.RefuseTraceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pagecache.middleware.PublicGZipMiddleware",
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.UploadsOnlyInAdminMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "magazine.urls"
WSGI_APPLICATION = "magazine.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "magazine.context_processors.site",
            ],
            # {% shows %} and {% fragment %}: every template may say what it shows.
            "builtins": ["pagecache.templatetags.pagecache"],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers keep reading while an editor saves; the timeout makes a
    # briefly locked database wait instead of failing the request at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 10,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Connections are kept between requests (SQLite too: opening the file and
# its PRAGMAs cost a page-cache miss more than its queries).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def resilient_redis(config):
    """
    A django-redis cache config that degrades instead of failing: the cache is
    an optimisation (and a rate-limit store), never the source of truth, so
    while Redis is down reads miss, writes are dropped, counters fail open and
    the failure is logged (to magazine.cache, see core/logs.py) instead of
    every page becoming a 500. Short socket timeouts keep a dead Redis from
    stalling every request.
    """
    config.setdefault("OPTIONS", {}).update(
        {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    )
    return config


CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://magazine")}
if env("REDIS_URL", default=""):
    CACHES["default"] = env.cache_url("REDIS_URL")
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    resilient_redis(CACHES["default"])
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # Room for the page cache's stamps (one small entry per key shown) beside
    # its pages: past MAX_ENTRIES local memory drops a third of everything.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 50_000)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Background tasks (Django's django.tasks): review and moderation mail, edge
# purges. TASKS_BACKEND picks where they run:
#   immediate  in the process that enqueued them, at once (after the commit
#              that enqueues them): the default on a laptop and in the tests,
#              the same code path with no worker to start;
#   database   rows in the project's database (django-tasks-db), run by
#              `manage.py tasks_worker`, which `make serve` starts; the queue
#              is in the admin (Tasks Database Backend › Task results).
#              Production always uses it (prod.py).
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_from_name(name):
    """The TASKS setting for TASKS_BACKEND=immediate or database."""
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}; got {name!r}.")
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_from_name(env("TASKS_BACKEND", default="immediate"))
# A task still marked running this many seconds after it started is taken to
# belong to a worker that died (killed, machine lost) and is queued again by
# the running workers (core/background.py). It must exceed the longest a task
# can run: EMAIL_TIMEOUT and PAGECACHE_EDGE_TIMEOUT bound each network call.
TASKS_LEASE_SECONDS = env.int("TASKS_LEASE_SECONDS", default=600)


def edge_from_url(url, *, token="", api=""):
    """
    The PAGECACHE_EDGE setting for an EDGE_URL (pagecache/edge.py reads it):

        varnish://127.0.0.1:6081[,10.0.0.2:6081 …]   every Varnish to purge
        fastly://SERVICE_ID                          with EDGE_TOKEN (a Fastly API token)
        cloudflare://ZONE_ID                         with EDGE_TOKEN (an API token with Cache Purge)
        (empty)                                      no edge: None

    EDGE_API replaces the CDN's API address (a proxy, a test double).
    """
    if not url:
        return None
    scheme, _, rest = url.partition("://")
    rest = rest.strip("/")
    if scheme == "varnish" and rest:
        return {"BACKEND": "varnish", "URLS": [f"http://{host}" for host in rest.split(",") if host]}
    if scheme in ("fastly", "cloudflare") and rest:
        if not token:
            raise ImproperlyConfigured(f"EDGE_TOKEN must be set in the environment for EDGE_URL={scheme}://….")
        id_name = "SERVICE_ID" if scheme == "fastly" else "ZONE_ID"
        default_api = "https://api.fastly.com" if scheme == "fastly" else "https://api.cloudflare.com/client/v4"
        return {"BACKEND": scheme, id_name: rest, "TOKEN": token, "API": (api or default_api).rstrip("/")}
    raise ImproperlyConfigured(
        f"EDGE_URL must look like varnish://host:port, fastly://SERVICE_ID or cloudflare://ZONE_ID; got {url!r}."
    )


PAGECACHE_EDGE = edge_from_url(
    env("EDGE_URL", default=""), token=env("EDGE_TOKEN", default=""), api=env("EDGE_API", default="")
)
# The edge (a CDN or Varnish in front of the site), told by pagecache.tasks.purge_edge
# which cache keys a change retired. Public responses carry their keys in
# the header its edge purges by (space-separated): xkey for Varnish,
# Surrogate-Key for Fastly, Cache-Tag for Cloudflare; none when there is no
# edge (a list page carries about a hundred keys: 1.5 KB a header).
EDGE_KEY_HEADERS = {"varnish": ["xkey"], "fastly": ["Surrogate-Key"], "cloudflare": ["Cache-Tag"]}
PAGECACHE_EDGE_HEADERS = tuple(
    env.list("PAGECACHE_EDGE_HEADERS", default=EDGE_KEY_HEADERS.get((PAGECACHE_EDGE or {}).get("BACKEND"), []))
)
# Seconds each purge request may take before it counts as failed (and is retried).
PAGECACHE_EDGE_TIMEOUT = env.int("PAGECACHE_EDGE_TIMEOUT", default=10)

# The readers' page cache (pagecache/) and the lifetimes it sends.
# Pages are never stale in it (a change retires exactly the pages that show
# what changed, and the next scheduled publish bounds them all);
# PAGE_CACHE_TIMEOUT only frees memory. max-age is what a browser may reuse
# without asking, s-maxage what a CDN may: hours when the edge is told of
# every change (EDGE_URL), five minutes when it is not;
# stale-while-revalidate lets a CDN answer at once while it fetches the new page.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=3600)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)
PAGE_CACHE_S_MAXAGE = env.int("PAGE_CACHE_S_MAXAGE", default=6 * 3600 if PAGECACHE_EDGE else 300)
# Query parameters that make a public page one reader's own (the signed token
# of a comment just posted): such a page is neither read from nor stored.
PAGE_CACHE_PERSONAL_PARAMETERS = ["comment"]
# Retire keys inside the transaction as well as on commit: only for the test
# suite, whose transaction is rolled back instead of committed.
PAGECACHE_RETIRE_IN_TRANSACTION = False
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.int("PAGE_CACHE_STALE_WHILE_REVALIDATE", default=60)
# Paths (regular expressions) that are never read from or stored in it: the
# admin, previews and share links, the comment form, the health check.
PAGE_CACHE_EXCLUDE = [r"^/admin/", r"/preview/", r"/comment/$", r"^/healthz$", r"^/media/", r"^/bench/"]
DJANGO_REDIS_LOGGER = "magazine.cache"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Django itself serves MEDIA_URL only for a development server (and the demo
# run by tools/demo_site.py for screenshots and audits); in production the
# proxy or the bucket does.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
# Largest poster decoded, in pixels (films/images.py). It bounds the memory
# one upload takes in a worker (bench/poster_memory.py: ~11 bytes a pixel at
# worst); 2000×3000 is already a large poster.
POSTER_MAX_PIXELS = env.int("POSTER_MAX_PIXELS", default=8_000_000)


def media_storage(env):
    """STORAGES["default"]: files under MEDIA_ROOT, or an S3-compatible bucket when MEDIA_BUCKET is set.

    On one machine the proxy serves MEDIA_ROOT at MEDIA_URL; with several,
    they share the bucket, whose address is on every <img>. Credentials come
    from the standard AWS variables or the machine's role, never from here.
    """
    bucket = env("MEDIA_BUCKET", default="")
    s3 = "storages.backends.s3.S3Storage"
    backend = env("MEDIA_STORAGE", default=s3 if bucket else "django.core.files.storage.FileSystemStorage")
    if "s3" not in backend.lower():
        return {"BACKEND": backend}
    if not bucket:
        raise ImproperlyConfigured(f"MEDIA_BUCKET must be set in the environment for MEDIA_STORAGE={backend}.")
    options = {
        "bucket_name": bucket,
        "region_name": env("MEDIA_REGION", default=""),
        "endpoint_url": env("MEDIA_ENDPOINT_URL", default=""),  # MinIO, Ceph, a local test server …
        "custom_domain": env("MEDIA_DOMAIN", default=""),  # a CDN in front of the bucket
        "querystring_auth": False,  # posters are public; signed URLs would defeat caching
        "file_overwrite": False,
    }
    return {"BACKEND": backend, "OPTIONS": {k: v for k, v in options.items() if v != ""}}


def media_origins(storage):
    """Where media images come from besides our own origin, for the CSP's img-src."""
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}"]
    if "bucket_name" in options:  # AWS itself: boto3 names the bucket in the host
        bucket, region = options["bucket_name"], options.get("region_name")
        return [f"https://{bucket}.s3.amazonaws.com"] + (
            [f"https://{bucket}.s3.{region}.amazonaws.com"] if region else []
        )
    return []


STORAGES = {
    "default": media_storage(env),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587 ; the
# console backend prints mail to the terminal by default.
def mailers_from_url(url, timeout=30):
    """
    The MAILERS setting for an EMAIL_URL such as smtp+tls://user:pw@host:587.

    `timeout` (seconds; EMAIL_TIMEOUT in the environment) bounds each socket
    operation with the SMTP server: without it a server that accepts and never
    answers holds the task worker forever, and every task queued behind the
    mail with it. It must stay well under TASKS_LEASE_SECONDS.
    """
    config = environ.Env.email_url_config(url)
    options = {}
    if config["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        options = {
            key: config.get(name)
            for key, name in [
                ("host", "EMAIL_HOST"),
                ("port", "EMAIL_PORT"),
                ("username", "EMAIL_HOST_USER"),
                ("password", "EMAIL_HOST_PASSWORD"),
                ("use_tls", "EMAIL_USE_TLS"),
                ("use_ssl", "EMAIL_USE_SSL"),
            ]
            if config.get(name)
        }
        options["timeout"] = timeout
    return {"default": {"BACKEND": config["EMAIL_BACKEND"], "OPTIONS": options}}


MAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # not EMAIL_TIMEOUT: Django refuses EMAIL_* settings beside MAILERS
MAILERS = mailers_from_url(env("EMAIL_URL", default="consolemail://"), timeout=MAIL_TIMEOUT)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="magazine@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Moods and hashtags are matched without regard to case: "Sad" and "sad" are one.
TAGGIT_CASE_INSENSITIVE = True
# Hashtags are typed as "#SadAnime #RomanceAnime" (commas work too).
TAGGIT_TAGS_FROM_STRING = "articles.tagging.parse_hashtags"
TAGGIT_STRING_FROM_TAGS = "articles.tagging.hashtags_to_string"

MAGAZINE_PAGE_SIZE = 12

# Reader comments (see comments/moderation.py and the README's comments section).
# "5/60": at most five comment posts per client address per 60 seconds, counted
# in the cache, so with Redis as the cache the limit holds across all workers.
COMMENTS_RATE_LIMIT = env("COMMENTS_RATE_LIMIT", default="5/60")
# django-ratelimit (comments/ratelimit.py): while the cache is down nothing is
# counted and posts go through; the library's default would refuse them all.
RATELIMIT_FAIL_OPEN = True
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=30)  # 0: never
COMMENTS_MIN_SECONDS = env.int("COMMENTS_MIN_SECONDS", default=3)
COMMENTS_MAX_LENGTH = env.int("COMMENTS_MAX_LENGTH", default=3000)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_MAX_DEPTH = env.int("COMMENTS_MAX_DEPTH", default=3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "filters": {"cache_outage": {"()": "core.logs.CacheOutageFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "magazine.cache": {"filters": ["cache_outage"]},
    },
}
URLIZE_ASSUME_HTTPS = True  # links readers type without a scheme become https://

# Request size limits. The proxy refuses bodies over 12 MB (64 KB on the
# comment URL) before they reach a worker (deploy/nginx.conf); gunicorn caps
# the request line and headers (gunicorn.conf.py). These are Django's own:
# form fields (files excluded) up to 2.5 MB, files over 2.5 MB spooled to a
# temporary file, and files accepted only by the admin (UploadsOnlyInAdminMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=10)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# --- Production hardening: headers, failure pages, login throttling --------
# Every response carries these, in every environment, so that a page that
# breaks the policy breaks in development and in the tests first.

# Content Security Policy (Django's built-in middleware). Our pages and the
# Django admin use no inline script or style, so 'self' suffices everywhere.
# Images may also come from the media storage's own origin (S3, a CDN):
# list it in CSP_IMG_ORIGINS, e.g. https://media.example.com
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *media_origins(STORAGES["default"]), *env.list("CSP_IMG_ORIGINS", default=[])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by django-permissions-policy (Django has no setting for it): a magazine
# needs no camera, microphone, location or payment API, so none is allowed,
# which also keeps any injected or embedded script from asking for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    ]
}
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (the admin reads the form field).
CSRF_COOKIE_HTTPONLY = True

# The load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Seconds a reader is asked to wait (Retry-After) when the database is down.
MAGAZINE_RETRY_AFTER_SECONDS = env.int("RETRY_AFTER_SECONDS", default=30)
# How many proxies in front of gunicorn append to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client). Comment rate limits and the admin login
# throttle both read the client's address this way (core/net.py).
MAGAZINE_TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)

# Admin login: failures allowed per (username, address) and per address
# within the window, counted on the shared cache.
ADMIN_LOGIN_MAX_FAILURES = env.int("ADMIN_LOGIN_MAX_FAILURES", default=5)
ADMIN_LOGIN_MAX_FAILURES_PER_IP = env.int("ADMIN_LOGIN_MAX_FAILURES_PER_IP", default=30)
ADMIN_LOGIN_WINDOW_SECONDS = env.int("ADMIN_LOGIN_WINDOW_SECONDS", default=15 * 60)
