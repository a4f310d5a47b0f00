"""
Which models keep their old addresses. Each app registers its own models from
its AppConfig.ready(), so this app never imports the apps that use it.
"""

from django.db.models.signals import pre_save

from .signals import remember_old_slug

_tracked = []


def track(model):
    """Record `model`'s old slugs on rename, so OldSlugRedirectMixin can answer them."""
    pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"slugs.old_slug.{model._meta.label}")
    if model not in _tracked:
        _tracked.append(model)


def tracked_models():
    return list(_tracked)
