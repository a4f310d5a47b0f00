"""
Films' `public_from` kept in step with the lists that rank them
(films.models.FilmQuerySet.public_from_refresh): a film becomes public when
a list ranking it is published or scheduled, and stops when the last such
list is unpublished, deleted or drops it. One UPDATE for the films concerned.

Model signals rather than calls in each service, so that the admin, the
publishing buttons, the calendar, the importer, revision restores and
deletes (entries go with their list) are all covered. Writes that send no
signal (bulk_create, update()) call public_from_refresh themselves.
"""

from django.db.models.signals import post_delete, post_save

from films.models import Film

from .models import Article, Entry


def entry_saved(sender, instance, created, **kwargs):
    films = {instance.film_id, getattr(instance, "film_id_loaded", None)}
    if created or len(films) > 1:
        Film.objects.filter(pk__in=films - {None}).public_from_refresh()
    instance.film_id_loaded = instance.film_id


def entry_deleted(sender, instance, **kwargs):
    Film.objects.filter(pk=instance.film_id).public_from_refresh()


def article_saved(sender, instance, created, update_fields=None, **kwargs):
    # Only the list's status and publication time decide; a new list has no entries yet.
    if created or (update_fields is not None and not {"status", "published_at"} & set(update_fields)):
        return
    Film.objects.filter(entries__article=instance).public_from_refresh()


def connect():
    uid = "films.public_from"
    post_save.connect(entry_saved, sender=Entry, dispatch_uid=uid)
    post_delete.connect(entry_deleted, sender=Entry, dispatch_uid=uid)
    post_save.connect(article_saved, sender=Article, dispatch_uid=uid)
