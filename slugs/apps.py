from django.apps import AppConfig


class SlugsConfig(AppConfig):
    name = "slugs"
    verbose_name = "Old addresses"

    def ready(self):
        from . import signals  # noqa: F401
