"""Writes to the film catalogue that touch more than one row."""

from django.db import transaction

from core.tag_uses import batched
from slugs.services import old_slug_forward

from .models import Credit, Film, Mood, Person, Studio, TaggedFilm
from .signals import moods_added


@transaction.atomic
def mood_merge(*, source, target):
    """
    Fold `source` into `target`: every film tagged with `source` ends up tagged
    with `target` (once), `source` is deleted and its address redirects to
    `target`'s. Returns the number of films that moved.
    """
    if source.pk == target.pk:
        raise ValueError("A mood cannot be merged into itself.")
    already = TaggedFilm.objects.filter(tag=target).values("content_object_id")
    moving = TaggedFilm.objects.filter(tag=source).exclude(content_object_id__in=already)
    moving_ids = list(moving.values_list("content_object_id", flat=True))
    moved = moving.update(tag=target)
    moods_added.send(sender=Mood, mood=target, film_ids=moving_ids)
    # Links and feed readers that know the old mood's address follow it to the target.
    old_slug_forward(source=source, target=target)
    with batched():  # the through rows of films that had both go with it: one recount, not one per row
        source.delete()
    return moved


@transaction.atomic
def films_add_mood(*, films, mood):
    """Tag every film in `films` with `mood`; films already tagged are left alone."""
    tagged = set(
        TaggedFilm.objects.filter(tag=mood, content_object__in=films).values_list("content_object_id", flat=True)
    )
    rows = [TaggedFilm(content_object=f, tag=mood) for f in films if f.pk not in tagged]
    TaggedFilm.objects.bulk_create(rows)
    moods_added.send(sender=Mood, mood=mood, film_ids=[row.content_object_id for row in rows])
    return len(rows)


@transaction.atomic
def films_remove_mood(*, films, mood):
    """Take `mood` off every film in `films`. Returns how many lost it."""
    with batched():  # one recount of the mood's uses, not one per film
        deleted, _ = TaggedFilm.objects.filter(tag=mood, content_object__in=films).delete()
    return deleted


def mood_get_or_create(*, name):
    """The mood called `name` in any case, created (case-folded) if new."""
    canonical = Mood.canonical(name)
    if not canonical:
        raise ValueError("A mood needs a name.")
    mood = Mood.objects.filter(name=canonical).first()
    if mood is None:
        mood = Mood.objects.create(name=canonical)
    return mood


def studio_get_or_create(*, name):
    """The studio called `name`, in any case, created if new."""
    return Studio.objects.filter(name__iexact=name).first() or Studio.objects.create(name=name)


def person_get_or_create(*, name):
    """The person called `name`, in any case, created if new."""
    return Person.objects.filter(name__iexact=name).first() or Person.objects.create(name=name)


ROLE_KEYS = {"directors": "director", "composers": "composer", "creators": "creator"}


@transaction.atomic
def film_upsert(*, data):
    """
    Create or update the film described by `data` (a dict as in
    films/data/demo_films.json), found by any of its titles. Studios, credits
    and moods are added, never duplicated; returns (film, created).
    """
    film, _ = Film.objects.first_matching([data["title"], data.get("romanized_title"), data.get("native_title")])
    created = film is None
    film = film or Film()
    for name in (
        "title",
        "romanized_title",
        "native_title",
        "other_titles",
        "year",
        "format",
        "runtime_minutes",
        "episodes",
        "source",
        "synopsis",
    ):
        if name in data:
            setattr(film, name, data[name])
    film.save()
    for name in data.get("studios", []):
        film.studios.add(studio_get_or_create(name=name))
    for key, role in ROLE_KEYS.items():
        for position, name in enumerate(data.get(key, [])):
            Credit.objects.get_or_create(
                film=film, person=person_get_or_create(name=name), role=role, defaults={"position": position}
            )
    for mood in data.get("moods", []):
        films_add_mood(films=[film], mood=mood_get_or_create(name=mood))
    return film, created


def film_create_unconfirmed(*, title, year=None, format=Film.Format.FEATURE):
    """
    A film an editor adds from a list's editor because the catalogue lacks
    it. It starts unconfirmed, so a typo never goes public by itself; a
    cataloguer fills in the rest later.
    """
    film = Film(title=title.strip(), year=year, format=format, confirmed=False)
    film.full_clean(exclude=["slug"])
    film.save()
    return film
