"""A list's share card: its title over its top posters, each with its rank."""

from django.conf import settings

from core.share_cards import draw_list_card, stored_card
from films.images import open_stored
from films.share import film_card_poster

POSTERS_SHOWN = 5


def article_share_card(article, entries):
    """The stored card of `article`; `entries`: its entries in rank order, films selected."""
    top = entries[:POSTERS_SHOWN]
    posters = [film_card_poster(entry.film, rank=entry.rank) for entry in top]
    kicker = f"A ranked list of {len(entries)}" if entries else "A ranked list"
    alt = article.title
    if top:
        alt += ": the top " + ", ".join(f"#{e.rank} {e.film.title}" for e in top)
    return stored_card(
        folder="lists",
        slug=article.slug,
        content={"kicker": kicker, "title": article.title, "posters": [p.__dict__ for p in posters]},
        alt=alt,
        draw=lambda: draw_list_card(
            site_name=settings.SITE_NAME, kicker=kicker, title=article.title, posters=posters, open_image=open_stored
        ),
    )
