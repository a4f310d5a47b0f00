from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search and discovery"

    def ready(self):
        from . import signals  # noqa: F401  (connects the index to the models)
