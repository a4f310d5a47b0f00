"""The public comment URL takes a small form, never a file, and refuses oversized bodies unread."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def comment_url(article):
    return reverse("comments:post", kwargs={"slug": article.slug})


def test_a_file_sent_to_the_comment_form_is_refused_unread(client):
    article = ArticleFactory()
    upload = SimpleUploadedFile("big.bin", b"\0" * (3 * 1024 * 1024), content_type="application/octet-stream")
    with (
        mock.patch.object(TemporaryFileUploadHandler, "receive_data_chunk") as to_disk,
        mock.patch.object(MemoryFileUploadHandler, "receive_data_chunk") as to_memory,
    ):
        response = client.post(comment_url(article), {**comment_data(article), "attachment": upload})
    assert response.status_code == 400
    assert "takes no files" in response.content.decode()
    assert not to_disk.called and not to_memory.called
    assert not Comment.objects.exists()


def test_an_oversized_form_is_refused(client, settings):
    article = ArticleFactory()
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(comment_url(article), comment_data(article, body=body))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_editors_still_upload_in_the_admin(staff_client):
    """The admin is where files are expected: its forms still reach the view."""
    staff_client.user.is_superuser = True
    staff_client.user.save()
    upload = SimpleUploadedFile("list.txt", b"Top 1 Films\n\n1. Your Name (2016)\n", content_type="text/plain")
    response = staff_client.post(reverse("admin:articles_article_import"), {"file": upload})
    assert response.status_code != 400
