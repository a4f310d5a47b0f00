"""
Plain share addresses: the page's address handed to a service in its own
public "share" URL. No script, button or pixel of theirs is loaded; a reader
who never clicks tells nobody anything.
"""

from urllib.parse import quote, urlencode


def _query(**params):
    return urlencode(params, quote_via=quote)


def share_links(url, title):
    """(name, href) for each service, the address and title encoded for its share URL."""
    text = f"{title} {url}"
    return [
        ("Bluesky", f"https://bsky.app/intent/compose?{_query(text=text)}"),
        ("X", f"https://x.com/intent/post?{_query(text=title, url=url)}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?{_query(u=url)}"),
        ("WhatsApp", f"https://wa.me/?{_query(text=text)}"),
        ("Email", f"mailto:?{_query(subject=title, body=url)}"),
    ]
