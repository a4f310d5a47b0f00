from django.apps import AppConfig


class SlugsConfig(AppConfig):
    """Old addresses: apps register their models with `slugs.registry.track()`."""

    name = "slugs"
    verbose_name = "Old addresses"
