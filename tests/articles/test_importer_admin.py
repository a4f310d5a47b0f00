"""The admin's "Import a list" page, end to end through the test client."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from films.models import Credit, Film

URL = "/admin/articles/article/import/"


def hidden(response):
    """The hidden fields a browser would send back from this page (the marks, the preview's fingerprint…)."""
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)"(?: value="([^"]*)")?', response.text):
        if name != "csrfmiddlewaretoken":
            fields.setdefault(name, []).append(html.unescape(value))
    return fields


TEXT = (
    "Two Sad Films\n\nAn intro.\n\n1. Hal\n\n“Hal,” directed by Ryotaro Makihara, is about grief.\n\n"
    "2. Colorful\n\n“Colorful,” directed by Keiichi Hara, is about a soul.\n\n#SadAnime\n\nJun 22, 2024"
)


def test_changelist_links_to_the_import_page(staff_client):
    response = staff_client.get("/admin/articles/article/")
    assert f'href="{URL}"' in response.text and "Import a list" in response.text


def test_readers_cannot_reach_it(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_preview_shows_everything_and_saves_nothing(staff_client):
    response = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    assert response.status_code == 200
    page = response.text
    assert "Preview: Two Sad Films" in page
    assert "A new draft will be created" in page and "dated 22 June 2024" in page
    assert "#1</td>" in page and "New film" in page
    assert 'name="credit" value="1:director:Ryotaro Makihara"' in page
    assert "The title promises" not in page  # "Two" is not "Top 2"
    assert "Create the draft" in page
    assert Article.objects.count() == 0 and Film.objects.count() == 0


def test_confirm_creates_the_draft_with_the_accepted_credits(staff_client):
    preview = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    response = staff_client.post(
        URL,
        {
            "text": TEXT,
            "confirm": "Create the draft",
            "credit": ["2:director:Keiichi Hara"],
            **hidden(preview),
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    assert article.status == Article.Status.DRAFT and article.author == staff_client.user
    assert [(e.rank, e.film.title) for e in article.entries.order_by("rank")] == [(1, "Hal"), (2, "Colorful")]
    assert list(Credit.objects.values_list("person__name", "film__title")) == [("Keiichi Hara", "Colorful")]

    page = staff_client.get(response["Location"]).text
    assert "Imported the draft “Two Sad Films” with 2 entries." in page
    assert "All checks pass." in page


def test_upload_a_file(staff_client):
    upload = SimpleUploadedFile("list.md", TEXT.encode("utf-8"), content_type="text/markdown")
    response = staff_client.post(URL, {"upload": upload, "preview": "Preview"})
    assert "Preview: Two Sad Films" in response.text
    # The uploaded text travels on in the box, so confirming needs no second upload.
    assert "An intro." in response.text


def test_errors_keep_what_the_editor_typed(staff_client):
    typed = "My half-written list\n\nNo entries yet."
    response = staff_client.post(URL, {"text": typed, "title": "Keep me", "preview": "Preview"})
    assert "Nothing was imported:" in response.text
    assert "No entries found" in response.text
    assert "My half-written list" in response.text and 'value="Keep me"' in response.text
    assert Article.objects.count() == 0


def test_a_legacy_encoded_upload_is_read(staff_client):
    upload = SimpleUploadedFile("list.txt", "T\n\n1. Café\n\nx".encode("cp1252"))
    response = staff_client.post(URL, {"upload": upload, "preview": "Preview"})
    assert "Café" in response.text
    assert Article.objects.count() == 0


def test_an_upload_no_encoding_reads_is_refused_by_line(staff_client):
    upload = SimpleUploadedFile("list.txt", b"T\n\n1. Caf\xe9\n\n\x01\x02x")
    response = staff_client.post(URL, {"upload": upload, "preview": "Preview"})
    assert "Line 3: the file is not UTF-8, and no other encoding reads it cleanly" in response.text
    assert Article.objects.count() == 0


def test_page_has_no_inline_script_or_style(staff_client):
    response = staff_client.post(URL, {"text": TEXT, "preview": "Preview"})
    body = response.text
    assert "<script>" not in body and "<style" not in body and " style=" not in body


def test_staff_without_the_import_right_cannot_import(db):
    """Importing is an editor's right of its own: article rights alone are not enough."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    from tests.factories import UserFactory

    writer = UserFactory(username="writer", is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles").exclude(codename="import_list")
    )
    client = Client()
    client.force_login(writer)
    assert client.get(URL).status_code == 403
    assert "Import a list" not in client.get("/admin/articles/article/").text
    writer.user_permissions.add(Permission.objects.get(codename="import_list"))
    client.force_login(writer)
    assert client.get(URL).status_code == 200


def test_an_editor_imports_new_films_unconfirmed_and_leaves_credits_to_cataloguers(db):
    """Before: the Editors group saw "Import a list" and got a 403 (the importer wanted film rights)."""
    from tests.articles.test_roles import member

    editor = member("Editors", "eddie")
    assert 'href="/admin/articles/article/import/"' in editor.get("/admin/articles/article/").text
    preview = editor.post(URL, {"text": TEXT, "preview": "Preview"})
    assert preview.status_code == 200
    assert 'name="credit"' not in preview.text  # credits are the catalogue's: shown, not offered
    assert "Director: Ryotaro Makihara" in preview.text and "Left for a cataloguer to add." in preview.text
    response = editor.post(
        URL,
        {
            "text": TEXT,
            "confirm": "Create the draft",
            "credit": ["2:director:Keiichi Hara"],
            **hidden(preview),
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Two Sad Films")
    assert article.author == editor.user
    films = Film.objects.filter(entries__article=article)
    assert sorted(films.values_list("title", "confirmed")) == [("Colorful", False), ("Hal", False)]
    assert not Credit.objects.exists()  # a credit ticked by hand in the request is still not theirs to add
