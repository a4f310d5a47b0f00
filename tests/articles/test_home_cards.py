"""The home page's cards: one featured list, the rest as plain cards under it."""

import pytest

from tests.factories import make_list

pytestmark = pytest.mark.django_db


def test_only_the_latest_list_is_featured(client):
    make_list(1, title="Older List")
    make_list(1, title="Newer List")
    html = client.get("/").content.decode()
    assert html.count("card-featured") == 1
    assert html.count("<h1") == 1
    assert '<h2 class="card-title"><a href="/articles/newer-list/">' in html
    assert '<h3 class="card-title"><a href="/articles/older-list/">' in html
