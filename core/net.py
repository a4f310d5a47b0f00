"""The client's address, the same way for every feature that counts by it."""

from django.conf import settings
from ipware import get_client_ip


def client_address(request):
    """
    REMOTE_ADDR, or behind MAGAZINE_TRUSTED_PROXIES proxies the address the
    outermost trusted proxy saw: the Nth entry from the right in
    X-Forwarded-For. Entries further left are whatever the client chose to
    send; an unusable header falls back to REMOTE_ADDR. None when neither is an
    address.
    """
    proxies = settings.MAGAZINE_TRUSTED_PROXIES
    if proxies:
        # ipware counts the proxies listed in the header; the last one is
        # REMOTE_ADDR and never listed, hence N - 1. Not strict: a client may
        # prepend anything.
        address, _ = get_client_ip(
            request, proxy_count=proxies - 1, request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False
        )
        if address:
            return address
    address, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address
