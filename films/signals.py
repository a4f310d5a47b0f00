from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .images import prepare_poster, save_renditions
from .models import Film


@receiver(pre_save, sender=Film, dispatch_uid="films.poster_reencode")
def poster_reencode(sender, instance, raw=False, **kwargs):
    """Swap a new upload for its re-encoded pixels before the field writes it to storage."""
    poster = instance.poster
    if raw or not poster or poster._committed:
        return
    prepared = prepare_poster(poster)  # ValidationError for what the form did not vet
    instance.poster = prepared.content  # the descriptor recomputes width and height (orientation)
    instance._poster_renditions = prepared.renditions


@receiver(post_save, sender=Film, dispatch_uid="films.poster_renditions")
def poster_renditions(sender, instance, **kwargs):
    """Store the renditions in the same save, so the srcset never names a file still to come.

    Synchronous on purpose: a deferred job would leave a window (or, if it
    failed, a lasting state) where pages link to missing files, and checking
    the storage from the page would cost a round trip per film per page.
    """
    renditions = instance.__dict__.pop("_poster_renditions", None)
    if renditions:
        save_renditions(instance.poster.name, renditions, storage=instance.poster.storage)
