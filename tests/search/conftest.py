import pytest

from films.models import Credit
from tests.factories import (
    ArticleFactory,
    EntryFactory,
    FilmFactory,
    HashtagFactory,
    MoodFactory,
    PersonFactory,
    StudioFactory,
)


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the index's on_commit work as a real commit would (tests run inside a transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def catalogue(db, indexed):
    """The sample article's world in miniature, indexed through the signals."""
    with indexed():
        shinkai = PersonFactory(name="Makoto Shinkai", native_name="新海誠")
        oima = PersonFactory(name="Yoshitoki Ōima")
        your_name = FilmFactory(
            title="Your Name",
            romanized_title="Kimi no Na wa",
            native_title="君の名は。",
            other_titles="Your Name.",
            year=2016,
            director=shinkai,
        )
        your_name.studios.add(StudioFactory(name="CoMix Wave Films"))
        your_name.moods.add(MoodFactory(name="bittersweet"))
        silent_voice = FilmFactory(title="A Silent Voice", romanized_title="Koe no Katachi", year=2016)
        Credit.objects.create(film=silent_voice, person=oima, role=Credit.Role.ORIGINAL_CREATOR)
        garden = FilmFactory(title="The Garden of Words", romanized_title="Kotonoha no Niwa", director=shinkai)
        article = ArticleFactory(
            title="Top 20 Sad Romance Anime Movies",
            dek="Films that break your heart and mend it.",
            intro="Grab the tissues.",
        )
        article.hashtags.add(HashtagFactory(name="SadAnime"))
        EntryFactory(
            article=article,
            film=your_name,
            rank=1,
            write_up="Directed by Makoto Shinkai, with a soundtrack by RADWIMPS.",
        )
        EntryFactory(article=article, film=silent_voice, rank=2, write_up="Based on the manga by Yoshitoki Ōima.")
        draft = ArticleFactory(title="Secret Draft Your Name Shinkai", draft=True)
        EntryFactory(article=draft, film=garden, rank=1, write_up="Shinkai again.")
        ArticleFactory(title="Scheduled Shinkai Retrospective", scheduled=True)
    return {
        "article": article,
        "draft": draft,
        "your_name": your_name,
        "silent_voice": silent_voice,
        "garden": garden,
        "shinkai": shinkai,
        "oima": oima,
    }
