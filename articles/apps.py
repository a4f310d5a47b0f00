from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Ranked lists"

    def ready(self):
        from slugs.registry import track

        track(self.get_model("Article"))

        from .revisions import register

        register()
