from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.dispatch import Signal, receiver

from .images import delete_poster_files, prepare_poster, save_renditions
from .models import Film

# Sent by the services that tag many films at once: their bulk_create and
# update() send no model signals, so listeners (the search index) hear here
# that `mood` was added to the films with ids `film_ids`.
moods_added = Signal()


@receiver(post_init, sender=Film, dispatch_uid="films.poster_remember")
def poster_remember(sender, instance, **kwargs):
    """Note the stored poster's name, to remove its files once a save replaces it (no query)."""
    value = instance.__dict__.get("poster")  # absent when deferred: then nothing is removed
    instance._stored_poster = getattr(value, "name", value) or ""


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
    previous, instance._stored_poster = getattr(instance, "_stored_poster", ""), instance.poster.name or ""
    if previous and previous != instance._stored_poster:
        # After the commit: were the save rolled back, the old poster would still be in use.
        transaction.on_commit(partial(delete_poster_files, previous, storage=instance.poster.storage), robust=True)


@receiver(post_delete, sender=Film, dispatch_uid="films.poster_delete")
def poster_delete(sender, instance, **kwargs):
    if instance.poster:
        transaction.on_commit(
            partial(delete_poster_files, instance.poster.name, storage=instance.poster.storage), robust=True
        )
