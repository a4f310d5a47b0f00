"""Security headers on every response, pages that obey the CSP, login throttling."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import FilmFactory, make_list

pytestmark = pytest.mark.django_db

PATHS = ["/", "/articles/", "/moods/", "/admin/login/", "/no-such-page/", "/healthz"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_on_https(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.I)


def assert_no_inline_code(html):
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)


def test_reader_pages_have_no_inline_script_or_style(client):
    article = make_list(3)
    film = article.entries.first().film
    for url in ["/", "/articles/", article.get_absolute_url(), film.get_absolute_url(), "/moods/", "/nope/"]:
        assert_no_inline_code(client.get(url).content.decode())


def test_admin_pages_have_no_inline_script_or_style(staff_client):
    article = make_list(2)
    FilmFactory()
    urls = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:films_film_changelist"),
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response.content.decode())


def test_error_pages_look_like_the_magazine_and_leak_nothing(client, settings):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert settings.SITE_NAME in response.content.decode()

    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.views import defaults

    request = RequestFactory().get("/x/")

    request.user = AnonymousUser()
    for view, status, words in [
        (defaults.bad_request, 400, "couldn’t understand"),
        (defaults.permission_denied, 403, "can’t open"),
    ]:
        response = view(request, exception=Exception("secret detail"))
        body = response.content.decode()
        assert response.status_code == status
        assert words in body and settings.SITE_NAME in body
        assert "secret detail" not in body and "Traceback" not in body
        assert_no_inline_code(body)


def test_csrf_failure_page_is_ours(staff_client, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form has expired" in body and settings.SITE_NAME in body
    assert_no_inline_code(body)


def test_session_cookie_is_httponly(client):
    from tests.factories import StaffFactory

    StaffFactory(username="ed")
    response = client.post("/admin/login/", {"username": "ed", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]


class TestAdminLoginThrottle:
    def login(self, client, password, username="ed", ip="203.0.113.5"):
        return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)

    @override_settings(ADMIN_LOGIN_MAX_FAILURES=3)
    def test_locks_out_after_repeated_failures_even_with_the_right_password(self, client):
        from tests.factories import StaffFactory

        StaffFactory(username="ed")
        for _ in range(3):
            assert self.login(client, "wrong").status_code == 200
        response = self.login(client, "correct horse battery staple")
        assert response.status_code == 429
        assert "Too many failed logins" in response.content.decode()
        assert int(response["Retry-After"]) > 0
        # Another address, or another username, is not locked out.
        assert self.login(client, "correct horse battery staple", ip="198.51.100.7").status_code == 302

    @override_settings(ADMIN_LOGIN_MAX_FAILURES=3)
    def test_success_clears_the_count(self, client):
        from tests.factories import StaffFactory

        StaffFactory(username="ed")
        for _ in range(2):
            self.login(client, "wrong")
        assert self.login(client, "correct horse battery staple").status_code == 302
        client.logout()
        for _ in range(2):
            assert self.login(client, "wrong").status_code == 200

    @override_settings(ADMIN_LOGIN_MAX_FAILURES=100, ADMIN_LOGIN_MAX_FAILURES_PER_IP=4)
    def test_one_address_trying_many_usernames_is_stopped(self, client):
        for n in range(4):
            self.login(client, "wrong", username=f"user{n}")
        assert self.login(client, "wrong", username="someone-else").status_code == 429

    @override_settings(MAGAZINE_TRUSTED_PROXIES=1, ADMIN_LOGIN_MAX_FAILURES=2)
    def test_client_address_comes_from_the_trusted_proxy(self, client):
        def attempt(forwarded):
            return client.post(
                "/admin/login/",
                {"username": "ed", "password": "wrong"},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=forwarded,
            )

        attempt("1.1.1.1, 203.0.113.9")
        attempt("2.2.2.2, 203.0.113.9")  # a spoofed left part changes nothing
        assert attempt("3.3.3.3, 203.0.113.9").status_code == 429
        assert attempt("203.0.113.10").status_code == 200
