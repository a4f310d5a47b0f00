"""What each kind of object contributes to its search document."""

from articles.models import Article
from films.models import Credit, Film, Person

from .models import SearchDocument
from .text import split_camel

Kind = SearchDocument.Kind


def _join(parts):
    return "\n".join(p.strip() for p in parts if p and p.strip())


def article_fields(pk):
    article = (
        Article.objects.filter(pk=pk)
        .prefetch_related("hashtags", "entries__film")
        .first()
    )
    if article is None:
        return None
    entries = list(article.entries.all())
    return {
        "title": article.title,
        "keywords": _join(
            [split_camel(t.name) for t in article.hashtags.all()]
            + [" · ".join(e.film.all_titles) for e in entries]
            + [e.heading for e in entries]
        ),
        "body": _join([article.dek, article.intro, *(e.write_up for e in entries), article.conclusion]),
    }


def film_fields(pk):
    film = Film.objects.filter(pk=pk).for_cards().first()
    if film is None:
        return None
    people = [c.person for c in film.credits.all()]
    return {
        "title": " · ".join(film.all_titles),
        "keywords": _join(
            [f"{p.name} {p.native_name}" for p in people]
            + [s.name for s in film.studios.all()]
            + [m.name for m in film.moods.all()]
        ),
        "body": film.synopsis,
    }


def person_fields(pk):
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        return None
    credits = Credit.objects.filter(person=person).select_related("film")
    return {
        "title": _join([person.name, person.native_name]).replace("\n", " · "),
        "keywords": _join(
            f"{c.get_role_display()} of {' · '.join(c.film.all_titles)}" for c in credits
        ),
        "body": "",
    }


BUILDERS = {Kind.ARTICLE: article_fields, Kind.FILM: film_fields, Kind.PERSON: person_fields}
MODELS = {Kind.ARTICLE: Article, Kind.FILM: Film, Kind.PERSON: Person}
