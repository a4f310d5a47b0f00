"""
What each kind of object contributes to its search document. Each builder
takes many primary keys and answers {pk: fields} in a fixed number of
queries, so a rebuild costs a few queries per batch, not per object; an
object that no longer exists is simply absent from the answer.
"""

from django.db.models import Prefetch

from articles.models import Article
from films.models import Credit, Film, Person, Studio

from .models import SearchDocument
from .text import split_camel

Kind = SearchDocument.Kind


def _join(parts):
    return "\n".join(p.strip() for p in parts if p and p.strip())


def article_fields(pks):
    articles = Article.objects.filter(pk__in=pks).prefetch_related("hashtags", "entries__film")
    documents = {}
    for article in articles:
        entries = list(article.entries.all())
        documents[article.pk] = {
            "title": article.title,
            "keywords": _join(
                [split_camel(t.name) for t in article.hashtags.all()]
                + [" · ".join(e.film.all_titles) for e in entries]
                + [e.heading for e in entries]
            ),
            "body": _join([article.dek, article.intro, *(e.write_up for e in entries), article.conclusion]),
        }
    return documents


def film_fields(pks):
    documents = {}
    for film in Film.objects.filter(pk__in=pks).for_cards():
        people = [c.person for c in film.credits.all()]
        documents[film.pk] = {
            "title": " · ".join(film.all_titles),
            "keywords": _join(
                [f"{p.name} {p.native_name}" for p in people]
                + [s.name for s in film.studios.all()]
                + [m.name for m in film.moods.all()]
            ),
            "body": film.synopsis,
        }
    return documents


def person_fields(pks):
    people = Person.objects.filter(pk__in=pks).prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("film"))
    )
    return {
        person.pk: {
            "title": _join([person.name, person.native_name]).replace("\n", " · "),
            "keywords": _join(
                f"{c.get_role_display()} of {' · '.join(c.film.all_titles)}" for c in person.credits.all()
            ),
            "body": "",
        }
        for person in people
    }


def studio_fields(pks):
    # The name alone: with its films' titles, searching for a film would list its studio too.
    return {
        pk: {"title": name, "keywords": "", "body": ""}
        for pk, name in Studio.objects.filter(pk__in=pks).values_list("pk", "name")
    }


BUILDERS = {
    Kind.ARTICLE: article_fields,
    Kind.FILM: film_fields,
    Kind.PERSON: person_fields,
    Kind.STUDIO: studio_fields,
}
MODELS = {Kind.ARTICLE: Article, Kind.FILM: Film, Kind.PERSON: Person, Kind.STUDIO: Studio}
