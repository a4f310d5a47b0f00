"""Production settings: safe, or they refuse to start, naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 10 + "3x9Qv0bZ-r7sLw2mYtN5pC8hJd4Fg6Ke1Ua0Vo_XiRqSnWzTy"


def run(args, **env_overrides):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' process (Playwright),
    # never in production, where --deploy rightly refuses it.
    dropped = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="magazine.settings.prod",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="magazine.example.com",
        SITE_URL="https://magazine.example.com",
    )
    for name, value in env_overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_check_deploy_reports_nothing():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], REDIS_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_limits_count_per_worker():
    """Without a shared cache every worker keeps its own login-failure and comment counts."""
    result = run(["manage.py", "check", "--deploy"], REDIS_URL=None, CACHE_URL=None)
    assert result.returncode == 0  # a warning: management commands and one-worker sites still run
    assert "magazine.W001" in result.stderr
    assert "count per worker" in result.stderr and "REDIS_URL" in result.stderr
    assert "page cache is one per worker" in result.stderr  # a change would not reach the other workers' pages
    strict = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], REDIS_URL=None, CACHE_URL=None)
    assert strict.returncode != 0


@pytest.mark.parametrize(
    "overrides, named",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-only-insecure-key-never-use-in-production"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"SITE_URL": None}, "SITE_URL"),
        ({"SITE_URL": "magazine.example.com"}, "SITE_URL"),
        ({"SITE_URL": "https://magazine.example.com/blog/"}, "SITE_URL"),
        ({"MEDIA_STORAGE": "storages.backends.s3.S3Storage"}, "MEDIA_BUCKET"),
    ],
)
def test_production_refuses_to_start_on_unsafe_configuration(overrides, named):
    result = run(["manage.py", "check"], **overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_production_values():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'DEBUG', 'SECURE_PROXY_SSL_HEADER']}))"
    )
    values = json.loads(run(["-c", code]).stdout)
    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "DEBUG": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    shorter = json.loads(run(["-c", code], SECURE_HSTS_SECONDS="3600").stdout)
    assert shorter["SECURE_HSTS_SECONDS"] == 3600


def test_redis_url_selects_the_resilient_cache():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps(s.CACHES['default']))"
    )
    cache = json.loads(run(["-c", code], REDIS_URL="redis://127.0.0.1:6379/1").stdout)
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True  # Redis down: no cache, never a 500


def test_media_on_object_storage():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.STORAGES['default'], s.SECURE_CSP['img-src']]))"
    )
    result = run(
        ["-c", code],
        MEDIA_STORAGE="storages.backends.s3.S3Storage",
        MEDIA_BUCKET="magazine-media",
        MEDIA_DOMAIN="media.example.com",
    )
    storage, img_src = json.loads(result.stdout)
    assert storage["OPTIONS"]["bucket_name"] == "magazine-media"
    assert storage["OPTIONS"]["custom_domain"] == "media.example.com"
    assert "https://media.example.com" in img_src
