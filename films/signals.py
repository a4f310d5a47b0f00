from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .images import make_renditions
from .models import Film


@receiver(post_save, sender=Film, dispatch_uid="films.poster_renditions")
def poster_renditions(sender, instance, update_fields=None, **kwargs):
    """Resize a newly uploaded poster once the film is safely saved."""
    poster = instance.poster
    if getattr(instance, "_poster_changed", False):
        # robust: the film is saved whatever happens to the resizing; a poster
        # without renditions still shows, at its original size.
        transaction.on_commit(lambda: make_renditions(poster.name, storage=poster.storage), robust=True)
