"""
A ranked article written out as text the importer reads back: Markdown (the
shapes a person would write) or JSON (for other tools). Importing either
gives the same ranks, films, paragraphs, hashtags and date.
"""

import json

from .checks import article_checks


def _heading(entry):
    film = entry.film
    title = entry.heading or film.title
    # The original title in brackets is how the importer finds the film again
    # when the heading was overridden with a title the catalogue does not know.
    original = film.romanized_title or (film.title if entry.heading else "")
    return f"{title} ({original})" if original and original != title else title


def article_as_data(article):
    entries = article.entries.select_related("film").order_by("rank")
    return {
        "title": article.title,
        "dek": article.dek,
        "byline": article.byline,
        "published_on": article.published_at.date().isoformat(),
        "intro": _paragraphs(article.intro),
        "entries": [
            {
                "rank": e.rank,
                "heading": _heading(e),
                "film": {
                    "title": e.film.title,
                    "romanized_title": e.film.romanized_title,
                    "year": e.film.year,
                    "slug": e.film.slug,
                },
                "paragraphs": _paragraphs(e.write_up),
            }
            for e in entries
        ],
        "conclusion": _paragraphs(article.conclusion),
        "sign_off": article.sign_off,
        "hashtags": [t.name for t in article.hashtags.all()],
        "checks": article_checks(article),
    }


def _paragraphs(text):
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def article_export(article, *, format="markdown"):
    data = article_as_data(article)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    parts = [f"# {data['title']}"]
    if data["dek"]:
        parts.append(f"> {data['dek']}")
    if data["byline"]:
        parts.append(f"By {data['byline']}")
    parts += data["intro"]
    for e in data["entries"]:
        parts.append(f"## {e['rank']}. {e['heading']}")
        parts += e["paragraphs"]
    if data["conclusion"]:
        parts.append("## Conclusion")
        parts += data["conclusion"]
    if data["sign_off"]:
        parts += ["## Sign-off", data["sign_off"]]
    if data["hashtags"]:
        parts.append(" ".join(f"#{t}" for t in data["hashtags"]))
    parts.append(data["published_on"])
    return "\n\n".join(parts) + "\n"
