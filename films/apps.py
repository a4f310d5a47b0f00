from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Film catalogue"

    def ready(self):
        from slugs.registry import track

        from . import signals  # noqa: F401

        track(self.get_model("Film"))
