from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Ranked lists"

    def ready(self):
        from core.tag_uses import keep_uses
        from films.images import FEATURED_IMAGE, stored_images
        from slugs.registry import track

        track(self.get_model("Article"))
        keep_uses(self.get_model("TaggedArticle"))
        stored_images(self.get_model("Article"), field="featured_image", slot=FEATURED_IMAGE)

        from . import cache_keys
        from .revisions import register
        from .signals import connect

        cache_keys.register()  # before connect(): it reads an entry's loaded film before public_from moves it
        register()
        connect()

        from . import notify

        notify.connect()
