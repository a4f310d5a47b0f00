from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Film catalogue"

    def ready(self):
        from . import signals  # noqa: F401
