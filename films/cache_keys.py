"""
What readers see of the catalogue, told to the page cache (pagecache.track).

Keys: `film:<id>`, `person:<id>`, `studio:<id>`, `mood:<id>` (a mood's
name and which films carry it), and the collections `moods` (the mood
index and the home page's most-used moods), `search` and `sitemap`.

A film's page, its card and its facts in every list ranking it carry its
key, so a corrected title retires exactly those pages. Whether a film is
public at all moves with the lists that rank it; the lists' own keys
(articles/cache_keys.py, `@members`) retire the films' pages then.
"""

from django.db.models import Value

import pagecache

from .models import Credit, Film, Mood, Person, Studio, TaggedFilm
from .signals import moods_added


def film_keys(film, change):
    return [f"film:{film.pk}", "search", "sitemap"]


def person_keys(person, change):
    return [f"person:{person.pk}", "search", "sitemap"]


def studio_keys(studio, change):
    return [f"studio:{studio.pk}", "search", "sitemap"]


def credit_keys(credit, change):
    return [f"film:{credit.film_id}", f"person:{credit.person_id}", "search"]


def mood_keys(mood, change):
    return [f"mood:{mood.pk}", "moods", "search"]


def tagged_keys(row, change):
    return [f"film:{row.content_object_id}", f"mood:{row.tag_id}", "moods", "search"]


def tagging_changed(instance, reverse, pks):
    owners, others = ("mood", "film") if reverse else ("film", "mood")
    return [f"{owners}:{instance.pk}", *(f"{others}:{pk}" for pk in pks or ()), "moods", "search"]


def studios_changed(instance, reverse, pks):
    owners, others = ("studio", "film") if reverse else ("film", "studio")
    return [f"{owners}:{instance.pk}", *(f"{others}:{pk}" for pk in pks or ()), "search"]


def moods_added_in_bulk(sender, mood, film_ids, **kwargs):
    if film_ids:
        pagecache.changed(f"mood:{mood.pk}", "moods", "search", *(f"film:{pk}" for pk in film_ids))


def register():
    pagecache.track(Film, key="film", keys=film_keys)
    pagecache.track(Person, key="person", keys=person_keys)
    pagecache.track(Studio, key="studio", keys=studio_keys)
    pagecache.track(Mood, key="mood", keys=mood_keys)
    pagecache.track(Credit, keys=credit_keys)
    pagecache.track(TaggedFilm, keys=tagged_keys)
    pagecache.track_relation(TaggedFilm, tagging_changed)
    pagecache.track_relation(Film.studios.through, studios_changed)
    moods_added.connect(moods_added_in_bulk, dispatch_uid="pagecache:moods_added")


@pagecache.expansion("film-around")
def around_films(ids):
    """A film becoming public or private: its page and every page that lists it (one query)."""
    ids = [int(i) for i in ids]
    related = (
        TaggedFilm.objects.filter(content_object_id__in=ids)
        .order_by()
        .values_list(Value("mood"), "tag_id")
        .union(
            Credit.objects.filter(film_id__in=ids).order_by().values_list(Value("person"), "person_id"),
            Film.studios.through.objects.filter(film_id__in=ids).order_by().values_list(Value("studio"), "studio_id"),
        )
        .order_by()
    )
    return [*(f"film:{pk}" for pk in ids), *(f"{kind}:{pk}" for kind, pk in related), "search", "sitemap", "moods"]
