from django.dispatch import Signal, receiver

from core.tag_uses import recount

from .images import POSTER, stored_images
from .models import Film, TaggedFilm

# Sent by the services that tag many films at once: their bulk_create and
# update() send no model signals, so listeners (the search index) hear here
# that `mood` was added to the films with ids `film_ids`.
moods_added = Signal()


@receiver(moods_added, dispatch_uid="tag_uses:moods_added")
def recount_mood(sender, mood, **kwargs):
    recount(TaggedFilm, [mood.pk])


stored_images(Film, field="poster", slot=POSTER)
