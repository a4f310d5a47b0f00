import datetime

import pytest
from django.utils import timezone

from films.models import Film
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, HashtagFactory, MoodFactory, make_list


@pytest.fixture
def world(db):
    """Two live lists, a draft and a scheduled one, sharing a hashtag and a mood."""
    now = timezone.now()
    tag = HashtagFactory(name="SadAnime")
    mood = MoodFactory(name="bittersweet")
    older = make_list(4, title="Older List", dek="The older dek.", published_at=now - datetime.timedelta(days=10))
    newer = make_list(5, title="Newer List", dek="The newer dek.", published_at=now - datetime.timedelta(days=2))
    draft = ArticleFactory(title="Draft List", draft=True)
    scheduled = ArticleFactory(title="Scheduled List", scheduled=True)
    tv = FilmFactory(title="Clannad: After Story", format=Film.Format.TV, romanized_title="Clannad After Story")
    EntryFactory(article=newer, film=tv, rank=6)
    for article in (older, newer, draft, scheduled):
        article.hashtags.add(tag)
    for article in (draft, scheduled):
        EntryFactory(article=article, film=older.entries.get(rank=1).film, rank=1)
    older.entries.get(rank=1).film.moods.add(mood)
    return {"older": older, "newer": newer, "draft": draft, "scheduled": scheduled, "tag": tag, "mood": mood, "tv": tv}
