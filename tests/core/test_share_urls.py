"""The plain share addresses carry the page's address and title, encoded for each service."""

from urllib.parse import parse_qs, urlsplit

from core.share_urls import share_links

URL = "https://reel.example/articles/top-20-sad/"
TITLE = "Top 20 Sad & Romantic: 君の名は。 #1?"


def query(href):
    return parse_qs(urlsplit(href).query)


def test_every_service_gets_the_address_and_title_back_intact():
    links = dict(share_links(URL, TITLE))
    assert list(links) == ["Bluesky", "X", "Facebook", "WhatsApp", "Email"]
    assert query(links["Bluesky"]) == {"text": [f"{TITLE} {URL}"]}
    assert query(links["X"]) == {"text": [TITLE], "url": [URL]}
    assert query(links["Facebook"]) == {"u": [URL]}
    assert query(links["WhatsApp"]) == {"text": [f"{TITLE} {URL}"]}
    assert query(links["Email"]) == {"subject": [TITLE], "body": [URL]}


def test_the_title_cannot_break_out_of_its_parameter():
    links = dict(share_links(URL, TITLE))
    for name, href in links.items():
        # &, #, ? and spaces are percent-encoded; a "+" would read as a space in a mail client.
        tail = href.split("?", 1)[1]
        assert "#" not in tail and "?" not in tail and " " not in tail and "+" not in tail
        if name != "Facebook":  # the only one given the address alone
            assert "%26" in tail
    assert links["Bluesky"].startswith("https://bsky.app/intent/compose?text=Top%2020%20Sad%20%26%20Romantic")
    assert links["Email"].startswith("mailto:?subject=")
