"""A reader posts a comment and lands back on the list, told whether it is live."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_article_page_links_to_the_comment_form():
    article = ArticleFactory()
    from django.test import Client

    response = Client().get(article.get_absolute_url())
    assert reverse("comments:post", kwargs={"slug": article.slug}) in response.content.decode()
    assert "Write a comment" in response.content.decode()


def test_form_page_has_labelled_fields_and_csrf_token(client):
    article = ArticleFactory()
    response = client.get(reverse("comments:post", kwargs={"slug": article.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Name", "Email (never shown)", "Comment"):
        assert f">{label}:</label>" in html
    assert "csrfmiddlewaretoken" in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_first_comment_is_held_and_its_writer_sees_it_marked_in_the_thread(client, post_comment):
    article = ArticleFactory()
    CommentFactory(article=article, name="Mei", body="An earlier comment.")
    response = post_comment(article)
    assert response.status_code == 302
    comment = Comment.objects.get(name="Haruka")
    assert not comment.is_public and comment.held_reason == Comment.HeldReason.FIRST_COMMENT
    assert response["Location"].startswith(article.get_absolute_url() + "?comment=")
    assert response["Location"].endswith(f"#comment-{comment.pk}")

    page = client.get(response["Location"])
    html = page.content.decode()
    pending = html[html.index(f'id="comment-{comment.pk}"') :]
    assert 'class="comment comment-pending"' in html
    assert "Waiting for a moderator." in pending and "This list made me cry again." in pending
    assert html.index("An earlier comment.") < html.index("This list made me cry again.")
    assert "No comments yet" not in html
    assert '<h2 id="comments-heading">1 comment</h2>' in html  # the held one is not counted
    assert f'aria-label="Reply to {comment.name}"' not in html  # no replies to a held comment
    assert not page.cookies and "Cookie" not in page.get("Vary", "")
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    # The canonical address stays the list's own, without the token.
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html

    # Everyone else, the shared page: nothing of the held comment.
    plain = client.get(article.get_absolute_url()).content.decode()
    assert "This list made me cry again." not in plain and "Waiting for a moderator" not in plain


def test_held_reply_is_shown_to_its_writer_under_its_parent(client, post_comment):
    article = ArticleFactory()
    parent = CommentFactory(article=article, body="Parent comment")
    later = CommentFactory(article=article, body="Later top-level comment")
    response = post_comment(article, reply_to=str(parent.pk), body="My held reply")
    html = client.get(response["Location"]).content.decode()
    assert html.index("Parent comment") < html.index('class="comment-replies"') < html.index("My held reply")
    assert html.index("My held reply") < html.index(later.body)


def test_known_author_is_live_at_once_and_shown(client, post_comment):
    article = ArticleFactory()
    CommentFactory(email="haruka@example.com")
    response = post_comment(article, email="Haruka@Example.com", body="Your Name is still my favourite.")
    comment = Comment.objects.latest("pk")
    assert comment.is_public
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "your comment is live" in html
    assert "Your Name is still my favourite." in html
    assert f'id="comment-{comment.pk}"' in html


def test_signed_confirmation_cannot_be_forged(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url() + "?comment=not-a-signed-value").content.decode()
    assert "your comment is" not in html


def test_japanese_and_emoji_survive(client, post_comment):
    article = ArticleFactory()
    CommentFactory(email="haruka@example.com")
    post_comment(article, name="春香", body="君の膵臓をたべたい 😭 泣きました")
    comment = Comment.objects.latest("pk")
    assert comment.name == "春香" and comment.body == "君の膵臓をたべたい 😭 泣きました"
    assert "君の膵臓をたべたい 😭 泣きました" in client.get(article.get_absolute_url()).content.decode()


def test_text_is_never_html_links_are_nofollow_ugc_line_breaks_kept(client):
    comment = CommentFactory(
        body='<script>alert(1)</script><b>bold</b>\nsecond line\n\nsee https://example.com/a?b=1&c=2 "x"'
    )
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;<br>second line</p>" in html
    assert '<a rel="nofollow ugc" href="https://example.com/a?b=1&amp;c=2">' in html


def test_email_is_never_shown(client):
    comment = CommentFactory(email="secret-address@example.com")
    assert "secret-address" not in client.get(comment.article.get_absolute_url()).content.decode()


def test_reply_is_threaded_under_its_parent(client, post_comment):
    article = ArticleFactory()
    parent = CommentFactory(article=article, email="haruka@example.com", body="Parent comment")
    CommentFactory(article=article, body="Later top-level comment")
    form = client.get(parent.get_reply_url())
    assert f"Reply to <bdi>{parent.name}</bdi>" in form.content.decode()
    post_comment(article, reply_to=str(parent.pk), body="A reply")
    reply = Comment.objects.get(body="A reply")
    assert reply.parent == parent and reply.depth == 1 and reply.is_public
    html = client.get(article.get_absolute_url()).content.decode()
    # thread order: the reply sits inside the parent's item, before the later comment
    assert html.index("Parent comment") < html.index("A reply") < html.index("Later top-level comment")
    assert html.index('class="comment-replies"') < html.index("A reply")


def test_replies_past_the_maximum_depth_join_the_deepest_thread(post_comment, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    article = ArticleFactory()
    top = CommentFactory(article=article, email="haruka@example.com")
    middle = CommentFactory(article=article, parent=top, depth=1)
    deepest = CommentFactory(article=article, parent=middle, depth=2)
    post_comment(article, reply_to=str(deepest.pk), body="Too deep")
    reply = Comment.objects.get(body="Too deep")
    assert reply.parent == middle and reply.depth == 2


def test_reply_link_to_unavailable_comment_is_404(client):
    removed = CommentFactory(removed=True)
    assert client.get(removed.get_reply_url()).status_code == 404


def test_redirect_token_names_the_comment():
    from comments.threads import posted_from_token, posted_token

    comment = CommentFactory(held=True)
    assert posted_from_token(posted_token(comment)) == comment.pk


def test_redirect_location_is_on_this_site(post_comment):
    response = post_comment(ArticleFactory())
    location = urlparse(response["Location"])
    assert not location.netloc and "comment" in parse_qs(location.query)


def test_browser_remembers_name_and_email_without_a_cookie_of_ours(client):
    article = ArticleFactory()
    response = client.get(reverse("comments:post", kwargs={"slug": article.slug}))
    html = response.content.decode()
    assert re.search(r'<input type="text" name="name"[^>]*autocomplete="name"', html)
    assert re.search(r'<input type="email" name="email"[^>]*autocomplete="email"', html)
    assert set(response.cookies) == {"csrftoken"}  # the form page's only cookie, as before
