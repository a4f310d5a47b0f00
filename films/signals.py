from django.dispatch import Signal

from .images import POSTER, stored_images
from .models import Film

# Sent by the services that tag many films at once: their bulk_create and
# update() send no model signals, so listeners (the search index) hear here
# that `mood` was added to the films with ids `film_ids`.
moods_added = Signal()

stored_images(Film, field="poster", slot=POSTER)
