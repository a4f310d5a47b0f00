"""
Review mail leaves the request (issue 23): with tasks in the database and no
worker running, Submit for review answers and mails no one; the queue holds
the mail, and the worker sends it exactly once.
"""

import pytest
from django.core import mail
from django.tasks import TaskResultStatus

from articles.models import Article
from articles.services import article_send_back
from tests.articles.test_admin import article_form, change_url, existing
from tests.factories import ArticleFactory, EntryFactory, FilmFactory, UserFactory
from tests.workers import database_tasks, queued, run_worker  # noqa: F401

# Transactional: the submission must really commit for its mail to be queued, as on a site.
pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_for_review_answers_without_mail_and_the_worker_mails_the_editors_once(database_tasks, client):
    # Superusers, not the Writers and Editors groups: earlier transactional tests flush what migrations made.
    UserFactory(username="eddie", email="eddie@example.com", is_staff=True, is_superuser=True)
    writer = UserFactory(username="wren", email="", is_staff=True, is_superuser=True)
    article = ArticleFactory(author=writer, draft=True, title="Five Quiet Films")
    EntryFactory(article=article, rank=1, film=FilmFactory())
    client.force_login(writer)

    response = client.post(change_url(article), article_form(article, existing(article), _submit="1"), follow=True)

    assert "is in review: the editors have been told" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert mail.outbox == []  # nothing sent inside the request
    assert [t.status for t in queued("review_requested_mail")] == [TaskResultStatus.READY]

    run_worker()
    assert [m.to for m in mail.outbox] == [["eddie@example.com"]]
    assert "Five Quiet Films" in mail.outbox[0].subject
    assert f"http://testserver{change_url(article)}" in mail.outbox[0].body
    run_worker()
    assert len(mail.outbox) == 1


def test_the_sent_back_mail_carries_the_note_it_was_queued_with(database_tasks):
    editor = UserFactory(username="eddie", email="eddie@example.com", is_staff=True, is_superuser=True)
    writer = UserFactory(username="wren", email="wren@example.com", is_staff=True)
    article = ArticleFactory(author=writer, status=Article.Status.REVIEW)
    article_send_back(article=article, by=editor, note="Say why #1 is #1.")
    article.status = Article.Status.REVIEW
    article.save()
    article_send_back(article=article, by=editor, note="Now shorten the dek.")
    assert mail.outbox == []

    run_worker()
    assert sorted(m.body.split("\n\n")[1] for m in mail.outbox) == ["Now shorten the dek.", "Say why #1 is #1."]
    assert {m.to[0] for m in mail.outbox} == {"wren@example.com"}
