from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: backup and restore, deployment checks. No models of its own."""

    name = "operations"
    verbose_name = "operations"

    def ready(self):
        from . import checks  # noqa: F401  (registers them)
