"""A film's share card: its poster beside its title, who made it and the lists it is ranked in."""

from django.conf import settings

from core.share_cards import CardPoster, draw_film_card, stored_card

from .images import card_source, open_stored
from .templatetags.magazine import tone

RANKED_IN_SHOWN = 3


def film_card_poster(film, rank=None):
    """What a share card draws for `film`'s poster (its placeholder when it has none)."""
    return CardPoster(name=card_source(film), title=film.title, tone=tone(film), rank=rank)


def film_share_card(film, ranked_in):
    """The stored card of `film`; `ranked_in`: its published entries, newest list first (article selected)."""
    kicker = " · ".join(str(part) for part in (film.get_format_display(), film.year) if part)
    lines = []
    if directors := film.directors:
        lines.append("Directed by " + ", ".join(p.name for p in directors))
    if studios := [s.name for s in film.studios.all()]:
        lines.append(", ".join(studios))
    lines += [f"#{entry.rank} in {entry.article.title}" for entry in ranked_in[:RANKED_IN_SHOWN]]
    poster = film_card_poster(film)
    ranks = "; ".join(lines[-len(ranked_in[:RANKED_IN_SHOWN]) :]) if ranked_in else ""
    alt = f"{film.title}: {'its poster' if film.poster else 'a drawn title card'}" + (
        f", ranked {ranks}" if ranks else ""
    )
    return stored_card(
        folder="films",
        slug=film.slug,
        content={"kicker": kicker, "title": film.title, "lines": lines, "poster": poster.__dict__},
        alt=alt,
        draw=lambda: draw_film_card(
            site_name=settings.SITE_NAME,
            kicker=kicker,
            title=film.title,
            lines=lines,
            poster=poster,
            open_image=open_stored,
        ),
    )
