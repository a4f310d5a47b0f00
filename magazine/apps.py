from django.apps import AppConfig


class MagazineConfig(AppConfig):
    """The project itself, as an app: settings, root URLs, sitemaps, the health check and failure pages."""

    name = "magazine"
    verbose_name = "Magazine"
