"""
What readers see of ranked lists, told to the page cache (pagecache.track).

Keys of this app's rows and collections:

- `list:<id>`: one list, wherever it shows (its page, its card, a pager);
- `entry:<id>`: one entry's markup on its list's page;
- `entries:<id>`: which entries a list's page lists, in which order;
- `top:<id>`: a list's first entries, whose posters its cards show;
- `ranked:<film id>`: where a film is ranked (its page's "Ranked in");
- `comments:<id>`: its approved comments and their count on cards;
- `hashtag:<id>`: a hashtag's name and which lists carry it;
- `pager:<id>`: the previous/next links on a list's page;
- collections: `home`, `archive`, `feeds`, `sitemap`, `search`,
  `newest` (the newest lists "More from" falls back on), `hashtags`
  (the home page's most-used hashtags).

A change no reader can see retires nothing: a draft's edits, a scheduled
list's (its publication is bounded by the clock, pagecache.schedule), a
held comment. A list that appears or disappears (published, unpublished,
taken down, deleted, moved in time) is a change of *membership*: it also
retires the collections, its neighbours' pagers and the pages of its
hashtags, films, moods, people and studios (`@members`, worked out once the
transaction has committed, in one query).
"""

from django.contrib.auth import get_user_model
from django.db.models import Value
from django.utils import timezone

import pagecache
from films.models import Credit, Film, TaggedFilm
from pagecache import schedule

from .models import Article, Entry, Hashtag, TaggedArticle

MEMBERSHIP = ("home", "archive", "feeds", "sitemap", "search", "newest", "hashtags")


def _live(status, published_at):
    return status == Article.Status.PUBLISHED and published_at is not None and published_at <= timezone.now()


def article_keys(article, change):
    before = None if change.created else getattr(article, "loaded_state", None)
    after = None if change.deleted else (article.status, article.published_at)
    was = before is not None and _live(*before)
    is_ = after is not None and _live(*after)
    if before != after:
        # The next scheduled publish may have moved: the bound every page keeps.
        schedule.changed(when=article.published_at if after and after[0] == Article.Status.PUBLISHED else None)
    article.loaded_state = after
    if not (was or is_):
        return []
    keys = [f"list:{article.pk}", "search", "sitemap"]
    if was != is_ or (was and before[1] != after[1]):
        keys.append(f"@members:{article.pk}")
        # Its neighbours where it was live, and where it is now.
        keys += pager_keys(article, *(state for state, live in ((before, was), (after, is_)) if live))
    return keys


def pager_keys(article, *states):
    """The lists whose previous/next links point across `article`'s place(s) in time."""
    keys = set()
    for state in states:
        if state is None or state[1] is None:
            continue
        at = Article(pk=article.pk, published_at=state[1])
        keys.update(f"pager:{n.pk}" for n in Article.objects.published().neighbours(at) if n is not None)
    return sorted(keys)


@pagecache.expansion("members")
def members(ids):
    """What a list appearing or disappearing retires besides itself, for every list of a transaction: one query."""
    ids = [int(i) for i in ids]
    film_ids = Entry.objects.filter(article_id__in=ids).order_by().values("film_id")
    related = (
        Entry.objects.filter(article_id__in=ids)
        .order_by()
        .values_list(Value("ranked"), "film_id")
        .union(
            TaggedArticle.objects.filter(content_object_id__in=ids).order_by().values_list(Value("hashtag"), "tag_id"),
            TaggedFilm.objects.filter(content_object_id__in=film_ids).order_by().values_list(Value("mood"), "tag_id"),
            Credit.objects.filter(film_id__in=film_ids).order_by().values_list(Value("person"), "person_id"),
            Film.studios.through.objects.filter(film_id__in=film_ids)
            .order_by()
            .values_list(Value("studio"), "studio_id"),
        )
        .order_by()
    )
    return [*MEMBERSHIP, *(f"list:{i}" for i in ids), *(f"{kind}:{pk}" for kind, pk in related)]


def entry_keys(entry, change):
    """
    Its own markup (`entry:<id>`: its list's page, on no page until the list
    is live). A new, removed, moved or re-filmed entry also changes its
    films' "Ranked in" and its list's cards (`@entry`, if the list is live).
    """
    loaded = getattr(entry, "film_id_loaded", None), getattr(entry, "rank_loaded", None)
    keys = [f"entry:{entry.pk}", f"@entry-text:{entry.article_id}"]
    if change.created or change.deleted or loaded != (entry.film_id, entry.rank):
        films = {entry.film_id, loaded[0]} - {None}
        keys.append(f"entries:{entry.article_id}")  # which entries its page lists, in which order
        keys += [f"@entry:{entry.article_id}:{film}" for film in sorted(films)]
        if min(rank for rank in (entry.rank, loaded[1]) if rank is not None) <= Article.CARD_POSTERS:
            keys.append(f"@top:{entry.article_id}")  # the posters on its cards
    entry.rank_loaded = entry.rank
    return keys


@pagecache.expansion("entry")
def entries_changed(arguments):
    """A new, moved or removed entry of a live list: its films' "Ranked in", search. One query."""
    pairs = [tuple(int(part) for part in argument.split(":")) for argument in arguments]
    live = set(Article.objects.published().filter(pk__in={a for a, _ in pairs}).values_list("pk", flat=True))
    keys = {f"ranked:{film}" for a, film in pairs if a in live}
    return [*keys, "search", "sitemap"] if keys else []


@pagecache.expansion("top")
def top_entries_changed(ids):
    """The first CARD_POSTERS entries of live lists changed: their cards and feed items (one query)."""
    return [
        f"top:{pk}"
        for pk in Article.objects.published().filter(pk__in=[int(i) for i in ids]).values_list("pk", flat=True)
    ]


@pagecache.expansion("entry-text")
def entry_text_changed(ids):
    """A write-up or heading edited: search and the sitemap's dates, if the list is live (one query)."""
    return ["search", "sitemap"] if Article.objects.published().filter(pk__in=[int(i) for i in ids]).exists() else []


def tagged_keys(row, change):
    return [f"@tagged:{row.content_object_id}:{row.tag_id}"]


def tagging_changed(article, reverse, tag_ids):
    if reverse:  # hashtag.tagged_articles…: `article` is the hashtag
        return [f"hashtag:{article.pk}", "hashtags"]
    return [f"@tagged:{article.pk}:{tag}" for tag in tag_ids or ()] or [f"list:{article.pk}"]


@pagecache.expansion("tagged")
def tagging(arguments):
    """A list given or relieved of a hashtag: its pages and the hashtag's, if the list is live. One query."""
    pairs = [tuple(int(part) for part in argument.split(":")) for argument in arguments]
    live = set(Article.objects.published().filter(pk__in={a for a, _ in pairs}).values_list("pk", flat=True))
    keys = {key for a, tag in pairs if a in live for key in (f"list:{a}", f"hashtag:{tag}")}
    return [*keys, "hashtags", "search", "feeds"] if keys else []


def hashtag_keys(hashtag, change):
    return [f"hashtag:{hashtag.pk}", "hashtags", "search"]


def author_keys(user, change):
    if change.update_fields and change.update_fields <= {"last_login", "password"}:
        return []  # logging in changes no byline
    return [f"@author:{user.pk}"]


@pagecache.expansion("author")
def authors(ids):
    """Bylines: the live lists of these accounts that show their name (one query)."""
    lists = Article.objects.published().filter(author_id__in=[int(i) for i in ids], byline_text="")
    return [f"list:{pk}" for pk in lists.values_list("pk", flat=True)]


def register():
    pagecache.track(Article, key="list", keys=article_keys, expand_on_delete=True)
    pagecache.track(Entry, key="entry", keys=entry_keys)
    pagecache.track(Hashtag, key="hashtag", keys=hashtag_keys)
    pagecache.track(TaggedArticle, keys=tagged_keys)
    pagecache.track_relation(TaggedArticle, tagging_changed)
    pagecache.track(get_user_model(), keys=author_keys)
    schedule.source(next_scheduled)


def next_scheduled():
    """The earliest publication time still to come, or None (one indexed query)."""
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
