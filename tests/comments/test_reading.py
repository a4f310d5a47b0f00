"""Approved comments under the list and counts on cards, in a fixed number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

import pagecache
from tests.factories import ArticleFactory, CommentFactory, HashtagFactory

pytestmark = pytest.mark.django_db


def add_comments(article, n):
    """n approved comments, every third a reply, plus hidden ones that must not show."""
    previous = None
    for i in range(n):
        parent = previous if i % 3 == 2 else None
        previous = CommentFactory(article=article, parent=parent, depth=1 if parent else 0, body=f"Visible {i}")
    CommentFactory(article=article, held=True, body="Held text")
    CommentFactory(article=article, removed=True, body="Removed text")
    CommentFactory(article=article, spam=True, body="Spam text")


def lists_with_1_and_50_comments():
    """Two lists sharing a hashtag (so each is in the other's "More from"), and a client warmed on the first."""
    tag = HashtagFactory()
    one, fifty = ArticleFactory(), ArticleFactory()
    for article in (one, fifty):
        article.hashtags.add(tag)
    add_comments(one, 1)
    add_comments(fifty, 50)
    client = Client()
    client.get(one.get_absolute_url())  # warm up anything cached per process
    return one, fifty, client


def test_article_page_queries_do_not_grow_with_comments(django_assert_num_queries):
    one, fifty, client = lists_with_1_and_50_comments()
    pagecache.changed("everything")  # and measure renders, not the page cache's answers
    with django_assert_num_queries(8):  # + the "More from" cards' top posters, + the previous and next lists
        one_page = client.get(one.get_absolute_url())
    with django_assert_num_queries(8):  # + the "More from" cards' top posters, + the previous and next lists
        fifty_page = client.get(fifty.get_absolute_url())
    assert "1 comment<" in one_page.content.decode()
    html = fifty_page.content.decode()
    assert "50 comments" in html and "Visible 49" in html
    for hidden in ("Held text", "Removed text", "Spam text"):
        assert hidden not in html


def test_cards_show_comment_counts_in_constant_queries(django_assert_num_queries):
    few, many = ArticleFactory(title="Few"), ArticleFactory(title="Many")
    add_comments(few, 1)
    add_comments(many, 12)
    ArticleFactory(title="None yet")
    client = Client()
    client.get(reverse("articles:list"))
    pagecache.changed("everything")  # measure renders, not the page cache's answers
    with django_assert_num_queries(4):  # + the cards' top posters
        html = client.get(reverse("articles:list")).content.decode()
    assert "12 comments" in html and "1 comment<" in html
    for _ in range(10):
        add_comments(ArticleFactory(), 3)
    with django_assert_num_queries(4):  # + the cards' top posters
        client.get(reverse("articles:list"))


def test_comment_count_does_not_multiply_related_hashtag_counts():
    """The count is a subquery: joining comments and hashtags would inflate both."""
    from articles.models import Article

    a, b = HashtagFactory(), HashtagFactory()
    article = ArticleFactory()
    article.hashtags.add(a, b)
    add_comments(article, 4)
    from django.db.models import Count

    row = Article.objects.annotate(shared=Count("hashtags")).for_listing().get(pk=article.pk)
    assert (row.shared, row.num_comments) == (2, 4)


def test_reply_under_a_removed_parent_moves_to_the_top_level():
    article = ArticleFactory()
    parent = CommentFactory(article=article, removed=True, body="Gone")
    CommentFactory(article=article, parent=parent, depth=1, body="Still here")
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Still here" in html and "Gone" not in html


def test_preview_of_a_draft_offers_no_comment_form(staff_client):
    draft = ArticleFactory(draft=True)
    html = staff_client.get(draft.get_preview_url()).content.decode()
    assert "Write a comment" not in html and "/comment/" not in html


def test_page_after_posting_costs_one_query_more_whatever_the_comments(django_assert_num_queries):
    from comments.threads import posted_token

    one, fifty, client = lists_with_1_and_50_comments()
    for article, count in ((one, "1 comment<"), (fifty, "50 comments")):
        mine = CommentFactory(article=article, held=True, body=f"My held words on {article.pk}")
        with django_assert_num_queries(9):  # the plain page's 8, + the reader's own comment
            html = client.get(f"{article.get_absolute_url()}?comment={posted_token(mine)}").content.decode()
        assert count in html and f"My held words on {article.pk}" in html and "Held text" not in html


def test_a_lists_thread_is_read_through_its_own_index_not_the_moderation_queues(db):
    """SQLite plans without statistics: the queue's index (held first, newest
    first) once won over the thread's and read every comment of every list
    (0.26 s at 200,000 comments)."""
    from django.db import connection

    article = ArticleFactory()
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans with statistics; the choice tested is SQLite's")
    sql, params = article.comments.for_thread().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "comment_thread_idx" in plan, plan
