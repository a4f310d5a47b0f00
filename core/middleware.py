"""Failure pages that every request needs."""

import logging

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.template import loader

logger = logging.getLogger("magazine.availability")

DATABASE_ERRORS = (OperationalError, InterfaceError)


class RefuseTraceMiddleware:
    """
    TRACE (and its Microsoft twin TRACK) echo the request back, cookies and
    all; no page of the site needs them. Function views such as the feeds and
    the sitemap would otherwise answer them like a GET.
    """

    REFUSED = {"TRACE", "TRACK"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.REFUSED:
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        return self.get_response(request)


class FileNotAccepted(Exception):
    pass


class _RefuseFiles(FileUploadHandler):
    """Stops parsing at the first file, before a byte of it is kept."""

    def new_file(self, *args, **kwargs):
        raise FileNotAccepted

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadsOnlyInAdminMiddleware:
    """
    Files are expected only by the editors' admin (posters, list imports).
    Anywhere else a multipart form is read here, with an upload handler that
    refuses the first file, before the CSRF check or the view would parse it
    with Django's handlers, which keep files in memory or spill them to disk.
    Must come before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.content_type != "multipart/form-data":
            return None
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            return None
        request.upload_handlers = [_RefuseFiles(request)]
        try:
            request.POST  # noqa: B018  (parses the form now, with the handler above)
        except FileNotAccepted:
            return HttpResponseBadRequest(
                "This address takes no files. Send the form without attachments.",
                content_type="text/plain; charset=utf-8",
            )
        return None


def database_unavailable_response(request=None, exc=None):
    """
    The 503 page. Rendered without a RequestContext on purpose: context
    processors and messages may read the session, which lives in the database
    that just failed.
    """
    is_editor = bool(request is not None and request.path.startswith("/admin/"))
    html = loader.render_to_string(
        "503.html",
        {
            "SITE_NAME": settings.SITE_NAME,
            "is_editor": is_editor,
            "was_post": bool(request is not None and request.method == "POST"),
        },
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.MAGAZINE_RETRY_AFTER_SECONDS)
    # A failure page must never be cached by a CDN or the browser.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """
    Turns "the database is down or locked" (OperationalError, InterfaceError,
    including SQLite's "database is locked") raised by a view or while
    rendering its template into a 503 with Retry-After, instead of a 500.
    Admin saves run in one transaction, so a failed save has written nothing;
    the page tells the editor so. Failures outside views reach handler500,
    which makes the same choice (see magazine.views.server_error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response(request, exception)
        return None
