from django.apps import AppConfig


class MagazineConfig(AppConfig):
    """
    The project itself, as an app: it wires the page cache to every model
    readers see (magazine/signals.py) and holds the commands that span apps
    (seed_scale).
    """

    name = "magazine"
    verbose_name = "Magazine"

    def ready(self):
        from . import signals

        signals.connect()
