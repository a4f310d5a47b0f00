"""Test data, in one place."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Entry, Hashtag
from films.models import Credit, Film, Mood, Person, Studio


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Writer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    name = factory.Sequence(lambda n: f"Studio {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Director {n}")


class MoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mood

    name = factory.Sequence(lambda n: f"mood {n}")


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Film {n}")
    romanized_title = factory.Sequence(lambda n: f"Eiga {n}")
    year = 2016
    format = Film.Format.FEATURE

    @factory.post_generation
    def director(self, create, extracted, **kwargs):
        if create and extracted:
            Credit.objects.create(film=self, person=extracted, role=Credit.Role.DIRECTOR)


class HashtagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hashtag

    name = factory.Sequence(lambda n: f"Hashtag{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published list, live since yesterday. Use .draft() / .scheduled() traits."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Top Films Number {n}")
    dek = "A list worth reading."
    intro = "First paragraph of the intro.\n\nSecond paragraph."
    conclusion = "That is the list."
    author = factory.SubFactory(UserFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    article = factory.SubFactory(ArticleFactory)
    film = factory.SubFactory(FilmFactory)
    rank = factory.Sequence(lambda n: n + 1)
    write_up = "Why it is here.\n\nAnd more."


def make_list(n_entries, **article_kwargs):
    """A published article with `n_entries` entries ranked 1…n, each with a director and studio."""
    article = ArticleFactory(**article_kwargs)
    studio = StudioFactory()
    for rank in range(1, n_entries + 1):
        film = FilmFactory(director=PersonFactory())
        film.studios.add(studio)
        EntryFactory(article=article, film=film, rank=rank)
    return article


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved reader comment. Use .held() / .removed() / .spam() traits."""

    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    body = factory.Sequence(lambda n: f"Comment number {n}.")
    is_public = True
    ip_address = "192.0.2.1"

    class Params:
        held = factory.Trait(is_public=False)
        removed = factory.Trait(is_public=False, is_removed=True)
        spam = factory.Trait(is_public=False, is_removed=True, is_spam=True)
