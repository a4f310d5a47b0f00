"""
Production: gunicorn behind a proxy, several workers on several machines.

Refuses to start, naming the variable, when a required setting is missing or
unsafe: a site that boots with the development key or DEBUG on is worse than a
site that does not boot.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, MAIL_TIMEOUT, env, mailers_from_url, tasks_from_name


def _require(name):
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production settings.")
    return value


SECRET_KEY = _require("SECRET_KEY")
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key or too weak; set a random value of at "
        "least 50 characters, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must not be on in production settings; unset DEBUG.")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names.")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must not be '*' in production; list the host names.")

SITE_URL = _require("SITE_URL").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname or _site.path or _site.query:
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's scheme and host, such as https://reelrankings.example; got {SITE_URL!r}."
    )

# TLS ends at the proxy, which says so in X-Forwarded-Proto. Only true when
# the proxy overwrites that header (every mainstream one does).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a hard-to-undo promise for the whole domain, made by its
    # owner (SECURE_HSTS_PRELOAD=true), not a default; so --deploy's reminder
    # about it is silenced while it is deliberately off.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"

# Workers are long-lived: the cached loader is on by default without DEBUG.
# Logs go to stdout/stderr for the process manager to collect.
LOGGING["loggers"]["gunicorn.error"] = {"level": "INFO"}  # noqa: F405

# Production sends real mail: the SMTP server named by EMAIL_URL, or a local
# mail transfer agent on port 25 when none is named (Django's own default).
MAILERS = mailers_from_url(env("EMAIL_URL", default="smtp://localhost:25"), timeout=MAIL_TIMEOUT)

# Mail and edge purges leave the request: they wait in the database for the
# worker `make serve` starts (`manage.py tasks_worker`). Run at once in the
# request, a mail server that hangs would hang the reader's comment with it.
if env("TASKS_BACKEND", default="database") != "database":
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' (or unset) in production settings.")
TASKS = tasks_from_name("database")
