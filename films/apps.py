from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "films"
    verbose_name = "Film catalogue"

    def ready(self):
        from core.tag_uses import keep_uses
        from slugs.registry import track

        from . import cache_keys, signals  # noqa: F401

        cache_keys.register()

        track(self.get_model("Film"))
        keep_uses(self.get_model("TaggedFilm"))
