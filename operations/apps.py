from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: backup and restore. No models of its own."""

    name = "operations"
    verbose_name = "operations"
