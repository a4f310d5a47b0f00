"""
Every public page answers in a fixed number of queries, however many entries,
films, hashtags or moods it shows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.revisions import article_revision_record
from articles.services import entry_move
from tests.factories import ArticleFactory, HashtagFactory, MoodFactory, make_list

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def build_site(n_entries, n_tags):
    """A list of `n_entries` films, each with moods; `n_tags` hashtags; a few other lists."""
    article = make_list(n_entries, title="The Big List")
    moods = [MoodFactory() for _ in range(3)]
    entries = list(article.entries.select_related("film"))
    for entry in entries:
        entry.film.moods.add(*moods)
    tags = [HashtagFactory() for _ in range(n_tags)]
    article.hashtags.add(*tags)
    for _ in range(n_entries // 10 + 1):
        other = ArticleFactory()
        other.hashtags.add(*tags)
    # A list whose readers are shown the rank moves since publication.
    updated = make_list(n_entries, title="The Updated List", show_rank_changes=True)
    article_revision_record(article=updated)
    entry_move(entry=updated.entries.get(rank=n_entries), rank=1)
    film = entries[0].film
    person = film.credits.first().person
    studio = film.studios.first()
    return {
        "home": reverse("home"),
        "archive": reverse("articles:list"),
        "article": article.get_absolute_url(),
        "article_rank_changes": updated.get_absolute_url(),
        "comment_form": reverse("comments:post", kwargs={"slug": article.slug}),
        "film": film.get_absolute_url(),
        "moods": reverse("films:mood_list"),
        "mood": moods[0].get_absolute_url(),
        "hashtag": tags[0].get_absolute_url(),
        "follow": reverse("feeds:latest"),
        "follow_hashtag": reverse("feeds:hashtag", args=[tags[0].slug]),
        "follow_mood": reverse("feeds:mood", args=[moods[0].slug]),
        "person": person.get_absolute_url(),
        "studio": studio.get_absolute_url(),
    }


# The pinned numbers: a change that adds a query to a page must say so here.
# Lists' cards show their top posters: one query per page for every card's (+1 on home, archive, hashtag, "More from").
PINNED = {
    "home": 5,
    "archive": 4,
    "article": 10,  # + approved comments, + the previous and next lists (one query for both)
    "article_rank_changes": 14,  # + the revision now, the one as published (two tries), their versions
    "comment_form": 1,
    "film": 5,
    "moods": 1,
    "mood": 6,
    "hashtag": 5,
    "follow": 1,  # the feed's lists
    "follow_hashtag": 2,  # + the hashtag
    "follow_mood": 2,  # + the mood
    "person": 2,
    "studio": 5,
}


@pytest.mark.parametrize("page", sorted(PINNED))
def test_query_count_is_pinned_and_flat(client, page):
    small = build_site(10, 2)
    small_count = count_queries(client, small[page])
    large = build_site(200, 12)
    large_count = count_queries(client, large[page])
    assert small_count == large_count == PINNED[page], (small_count, large_count)
