"""
Password-guessing protection for the admin login.

Failed logins are counted on the shared cache (Redis in production, so every
worker on every machine sees the same count) per (username, client address)
and per client address. Past the limit the login form answers 429 with a clear
message until the window has passed; a successful login clears the username's
count. When the cache is down the counters fail open (django-redis ignores
the errors, see settings.base): logins still need the right password.

Hand-written rather than django-axes: axes has one failure limit for every
lockout parameter (here 5 per username and address, 30 per address), locks
out on the Nth failure itself, clears the address's count too on a success,
and its cache handler raises when Redis is down instead of failing open.
"""

import hashlib

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError

from core.net import client_address


def client_ip(request):
    return client_address(request) or ""


def _keys(request, username):
    digest = hashlib.sha256(f"{username.casefold()}|{client_ip(request)}".encode()).hexdigest()
    return f"login-fail:user:{digest}", f"login-fail:ip:{client_ip(request)}"


def _count(key):
    return cache.get(key, 0) or 0


def _record_failure(key):
    """
    Count one failure; the count expires a window after the first failure.
    add() never overwrites a count and incr() is atomic on Redis, so two
    workers counting at once stay exact.
    """
    window = settings.ADMIN_LOGIN_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:
        # The count expired between add() and incr(): this is a new window.
        cache.add(key, 1, timeout=window)


class _LockedOutForm(AdminAuthenticationForm):
    def clean(self):
        minutes = max(1, settings.ADMIN_LOGIN_WINDOW_SECONDS // 60)
        raise ValidationError(
            f"Too many failed logins. For your account's safety, logging in is paused "
            f"for up to {minutes} minutes. Try again later or ask another editor to reset "
            f"your password.",
            code="locked",
        )


def admin_login(request, extra_context=None):
    """Wraps admin.site.login with the failure counters."""
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    username = request.POST.get("username", "")[:150]
    user_key, ip_key = _keys(request, username)
    if (
        _count(user_key) >= settings.ADMIN_LOGIN_MAX_FAILURES
        or _count(ip_key) >= settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP
    ):
        context = {
            **admin.site.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": "",
        }
        response = LoginView.as_view(
            authentication_form=_LockedOutForm,
            template_name="admin/login.html",
            extra_context=context,
        )(request)
        response.status_code = 429
        response["Retry-After"] = str(settings.ADMIN_LOGIN_WINDOW_SECONDS)
        return response
    response = admin.site.login(request, extra_context)
    if response.status_code == 302:
        cache.delete(user_key)
    else:
        _record_failure(user_key)
        _record_failure(ip_key)
    return response
