"""The client's address, the same way for every feature that counts by it."""

import ipaddress

from django.conf import settings


def client_address(request):
    """
    REMOTE_ADDR, or behind TRUSTED_PROXIES proxies (MAGAZINE_TRUSTED_PROXIES) the address the
    outermost trusted proxy saw: the Nth from the right in X-Forwarded-For.
    Entries further left are whatever the client chose to send.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.MAGAZINE_TRUSTED_PROXIES
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return None
