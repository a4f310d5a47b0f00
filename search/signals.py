"""
Keep search documents in step with edits. Every handler only schedules work;
the documents are rebuilt once, on commit (see search_index_schedule).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from articles.models import Article, Entry, Hashtag, TaggedArticle
from films.models import Credit, Film, Mood, Person, Studio, TaggedFilm
from films.signals import moods_added

from .models import SearchDocument
from .services import search_index_schedule

Kind = SearchDocument.Kind


def _article(pk):
    search_index_schedule(kind=Kind.ARTICLE, pk=pk)


def _film(pk):
    search_index_schedule(kind=Kind.FILM, pk=pk)


def _person(pk):
    search_index_schedule(kind=Kind.PERSON, pk=pk)


def _studio(pk):
    search_index_schedule(kind=Kind.STUDIO, pk=pk)


@receiver([post_save, post_delete], sender=Article)
def article_changed(sender, instance, **kwargs):
    _article(instance.pk)


@receiver([post_save, post_delete], sender=Entry)
def entry_changed(sender, instance, **kwargs):
    _article(instance.article_id)


@receiver([post_save, post_delete], sender=Film)
def film_changed(sender, instance, **kwargs):
    _film(instance.pk)
    # A film just created is in no list and credits no one yet.
    if kwargs.get("signal") is post_save and not kwargs.get("created"):
        # Lists and people carry the film's titles in their documents.
        for pk in Entry.objects.filter(film=instance).values_list("article_id", flat=True):
            _article(pk)
        for pk in Credit.objects.filter(film=instance).values_list("person_id", flat=True):
            _person(pk)


@receiver([post_save, post_delete], sender=Person)
def person_changed(sender, instance, **kwargs):
    _person(instance.pk)
    if kwargs.get("signal") is post_save:
        for pk in Credit.objects.filter(person=instance).values_list("film_id", flat=True):
            _film(pk)


@receiver([post_save, post_delete], sender=Credit)
def credit_changed(sender, instance, **kwargs):
    _film(instance.film_id)
    _person(instance.person_id)


# pre_delete too: the links to reindex are gone once it is deleted.
@receiver([post_save, pre_delete], sender=Studio)
def studio_changed(sender, instance, **kwargs):
    _studio(instance.pk)
    for pk in instance.films.values_list("pk", flat=True):
        _film(pk)


@receiver(post_delete, sender=Studio)
def studio_deleted(sender, instance, **kwargs):
    _studio(instance.pk)


# pre_delete too: the links to reindex are gone once it is deleted.
@receiver([post_save, pre_delete], sender=Mood)
def mood_changed(sender, instance, **kwargs):
    for pk in TaggedFilm.objects.filter(tag=instance).values_list("content_object_id", flat=True):
        _film(pk)


@receiver(moods_added, sender=Mood)
def moods_added_in_bulk(sender, film_ids, **kwargs):
    for pk in film_ids:
        _film(pk)


# pre_delete too: the links to reindex are gone once it is deleted.
@receiver([post_save, pre_delete], sender=Hashtag)
def hashtag_changed(sender, instance, **kwargs):
    for pk in TaggedArticle.objects.filter(tag=instance).values_list("content_object_id", flat=True):
        _article(pk)


def _m2m(schedule):
    def handler(sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if not reverse:
            schedule(instance.pk)
        elif action == "post_clear":
            pass  # clearing from the tag's side: the tag's own delete reaches the rows
        else:
            for pk in pk_set or ():
                schedule(pk)

    return handler


m2m_changed.connect(_m2m(_article), sender=TaggedArticle, dispatch_uid="search_article_hashtags", weak=False)
m2m_changed.connect(_m2m(_film), sender=TaggedFilm, dispatch_uid="search_film_moods", weak=False)
m2m_changed.connect(_m2m(_film), sender=Film.studios.through, dispatch_uid="search_film_studios", weak=False)


@receiver(post_delete, sender=TaggedArticle)
def article_tag_deleted(sender, instance, **kwargs):
    _article(instance.content_object_id)


@receiver(post_delete, sender=TaggedFilm)
def film_mood_deleted(sender, instance, **kwargs):
    _film(instance.content_object_id)
