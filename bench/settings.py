"""`make bench`: production settings, plus the bench app and its URL."""

from magazine.settings.prod import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
