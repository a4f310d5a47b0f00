from django.apps import AppConfig


class CoreConfig(AppConfig):
    """
    The ground floor: helpers every app shares (text, slugs, site addresses,
    tag models, admin filters). It imports no app of the project, so any app
    may import it.
    """

    name = "core"
    verbose_name = "Core"
