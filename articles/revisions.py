"""
Revisions of a ranked list, and what changed between two of them in the words
an editor reads: "Your Name moved #3 → #1", "Wolf Children added at #4".

Storage is django-reversion: a revision holds a version of the list and of
each of its entries; ArticleRevision (the revision's meta row) adds the list's
version number, its state and its hashtags. A revision is recorded only when
something an editor could see changed: reversion's own duplicate check looks
at the list's fields alone and would miss a reordered entry.
"""

import contextlib
import contextvars
import difflib
import re
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.db.models import F, Prefetch, Subquery, prefetch_related_objects
from django.utils.html import format_html, format_html_join
from reversion.models import Version
from reversion.signals import post_revision_commit

from .models import Article, ArticleRevision, Entry

# The list's own fields a revision keeps and a restore brings back; the slug,
# state and date are left out of a restore (see `revision_restore`).
ARTICLE_FIELDS = [
    "title",
    "slug",
    "dek",
    "intro",
    "conclusion",
    "sign_off",
    "author",
    "status",
    "published_at",
    "comments_open",
    "show_rank_changes",
]
ENTRY_FIELDS = ["article", "rank", "film", "heading", "write_up"]
TEXT_FIELDS = ["title", "dek", "intro", "conclusion", "sign_off"]

_acting_user = contextvars.ContextVar("revision_user", default=None)


def register():
    """Called once from the app's ready(): what a revision of a list holds."""
    if not reversion.is_registered(Article):
        reversion.register(Article, fields=ARTICLE_FIELDS, follow=["entries"])
        reversion.register(Entry, fields=ENTRY_FIELDS)
    post_revision_commit.connect(_remember_revision, dispatch_uid="articles.revisions.remember")


@contextlib.contextmanager
def acting_user(user):
    """Revisions recorded inside are by `user`: services need not pass the request's user along."""
    token = _acting_user.set(user if user is not None and user.is_authenticated else None)
    try:
        yield
    finally:
        _acting_user.reset(token)


# --- The state of a list ----------------------------------------------------------


@dataclass(frozen=True)
class EntryState:
    film_id: int
    title: str  # what readers saw as the entry's title then; kept when the film is deleted
    rank: int
    heading: str
    write_up: str

    def key(self):
        return (self.film_id, self.rank, self.heading, self.write_up)


@dataclass(frozen=True)
class ListState:
    fields: dict
    hashtags: tuple
    entries: tuple = field(default=())

    def key(self):
        """What counts as a change: titles of films renamed in the catalogue do not."""
        tags = tuple(sorted(t.casefold() for t in self.hashtags))
        return (tuple(sorted(self.fields.items())), tags, tuple(e.key() for e in self.entries))

    def by_film(self):
        return {e.film_id: e for e in self.entries}


def live_state(article):
    """The list as stored now (reads it, its entries and hashtags: three queries)."""
    return _state_of(_stored(Article.objects.get(pk=article.pk)))


def _stored(article):
    """`article` with its entries (and their films) and hashtags read as stored now, in two queries."""
    article._prefetched_objects_cache = {}
    prefetch_related_objects(
        [article], Prefetch("entries", queryset=Entry.objects.select_related("film").order_by("rank")), "hashtags"
    )
    return article


def _state_of(article):
    """The ListState of `article` as read by `_stored`."""
    return ListState(
        fields={name: _value(article, name) for name in ARTICLE_FIELDS},
        hashtags=tuple(sorted(t.name for t in article.hashtags.all())),
        entries=tuple(
            EntryState(e.film_id, e.display_title, e.rank, _serial(e.heading), _serial(e.write_up))
            for e in article.entries.all()
        ),
    )


def _value(article, name):
    return _serial(getattr(article, article._meta.get_field(name).attname))


def states_of(revisions):
    """{ArticleRevision.pk: ListState} for `revisions`, in one query."""
    by_revision = {r.revision_id: r for r in revisions}
    versions = Version.objects.filter(revision_id__in=by_revision).select_related("content_type")
    return _states_from(by_revision, versions)


def latest_state(article):
    """(the latest ArticleRevision of `article`, the ListState it holds), or (None, None): one query."""
    latest = ArticleRevision.objects.filter(article=article).order_by("-version", "-pk").values("revision_id")[:1]
    versions = list(
        Version.objects.filter(revision_id=Subquery(latest)).select_related(
            "content_type", "revision__article_revision"
        )
    )
    if not versions:
        return None, None
    meta = versions[0].revision.article_revision
    return meta, _states_from({meta.revision_id: meta}, versions)[meta.pk]


def _states_from(by_revision, versions):
    fields, entries = {}, {}
    for version in versions:
        model = version.content_type.model_class()
        data = version.field_dict
        if model is Article:
            fields[version.revision_id] = {
                name: _serial(data[Article._meta.get_field(name).attname]) for name in ARTICLE_FIELDS
            }
        elif model is Entry:
            title = re.sub(r"^#\d+ ", "", version.object_repr)
            entries.setdefault(version.revision_id, []).append(
                EntryState(data["film_id"], title, data["rank"], _serial(data["heading"]), _serial(data["write_up"]))
            )
    return {
        meta.pk: ListState(
            fields=fields.get(rid, {}),
            hashtags=tuple(meta.hashtags.split()) if meta.hashtags else (),
            entries=tuple(sorted(entries.get(rid, []), key=lambda e: e.rank)),
        )
        for rid, meta in by_revision.items()
    }


def _serial(value):
    # Seconds are what the admin's date fields hold, and what an editor sees;
    # a browser sends line ends as CRLF, which is no change to the text.
    if hasattr(value, "isoformat"):
        return value.replace(microsecond=0).isoformat()
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def state_at(article, version):
    """The list as it was at `version` (its latest revision up to it), or None when none was recorded."""
    meta = ArticleRevision.objects.filter(article=article, version__lte=version).first()
    return (meta, states_of([meta])[meta.pk]) if meta else (None, None)


# --- Recording ------------------------------------------------------------------------


@transaction.atomic(savepoint=False)  # inside a write's transaction it adds no savepoint of its own
def article_revision_record(*, article, user=None, comment="", as_saved=False):
    """
    Record a revision of `article` (fields, hashtags, entries) if it differs
    from the latest one, and raise the list's version. Call it at the end of
    a write, inside its transaction. Returns the ArticleRevision, or None
    when nothing changed. `as_saved`: the caller saved `article` a moment ago
    in this transaction (so its fields are the stored ones and are not read
    again); its entries and hashtags are read either way.
    """
    stored = _stored(article if as_saved else Article.objects.get(pk=article.pk))
    state = _state_of(stored)
    _latest, latest = latest_state(article)
    if latest is not None and latest.key() == state.key():
        return None
    # The version as read, raised in one statement; when someone else raised
    # it meanwhile (a caller that holds no lock on the row), counted again.
    version = stored.version + 1
    if not Article.objects.filter(pk=article.pk, version=stored.version).update(version=version):
        Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
        version = Article.objects.values_list("version", flat=True).get(pk=article.pk)
    article.version = stored.version = version
    user = user or _acting_user.get()
    token = _committed.set(None)
    try:
        with reversion.create_revision(manage_manually=True, atomic=False):
            reversion.add_to_revision(stored)  # with its entries as read above (`follow`), films and all
            reversion.set_user(user)
            reversion.set_comment(comment)
        revision = _committed.get()
    finally:
        _committed.reset(token)
    return ArticleRevision.objects.create(
        revision=revision,
        article=article,
        version=version,
        status=state.fields["status"],
        hashtags=" ".join(state.hashtags),
    )


# The revision reversion has just saved, handed to the ArticleRevision that
# describes it without reading it back (a context variable: per thread).
_committed = contextvars.ContextVar("committed_revision", default=None)


def _remember_revision(sender, revision, **kwargs):
    _committed.set(revision)


# --- What changed ------------------------------------------------------------------


@dataclass
class Change:
    """One line of the changelog; `diff` is the word-level difference of a text, when there is one."""

    text: str
    kind: str  # "rank", "entry" or "list"
    label: str = ""
    diff: str = ""


def rank_changes(old, new):
    """
    The rank changelog from `old` to `new` (ListState): entries added, removed
    and moved. An entry that only shifted because others were added, removed
    or moved around it is not called moved: the moved ones are those outside
    the longest run of entries that kept their order.
    """
    before, after = old.by_film(), new.by_film()
    changes = []
    kept = [e for e in new.entries if e.film_id in before]
    steady = _longest_in_order([before[e.film_id].rank for e in kept])
    for index, entry in enumerate(kept):
        was = before[entry.film_id].rank
        if index not in steady and was != entry.rank:
            changes.append((entry.rank, Change(f"{entry.title} moved #{was} → #{entry.rank}", "rank")))
    for entry in new.entries:
        if entry.film_id not in before:
            changes.append((entry.rank, Change(f"{entry.title} added at #{entry.rank}", "rank")))
    for entry in old.entries:
        if entry.film_id not in after:
            changes.append((entry.rank, Change(f"{entry.title} removed (was #{entry.rank})", "rank")))
    return [c for _, c in sorted(changes, key=lambda pair: pair[0])]


def _longest_in_order(ranks):
    """Indexes of a longest increasing run (not necessarily contiguous) of `ranks`."""
    best = []  # best[i]: indexes of the longest increasing run ending at i
    for i, rank in enumerate(ranks):
        run = max((best[j] for j in range(i) if ranks[j] < rank), key=len, default=[])
        best.append([*run, i])
    return set(max(best, key=len, default=[]))


def changelog(old, new):
    """
    Everything that changed from `old` to `new`: the rank changelog first,
    then each entry's heading and write-up, then the list's own fields, each
    text change with its word-level diff.
    """
    changes = rank_changes(old, new)
    before = old.by_film()
    for entry in new.entries:
        was = before.get(entry.film_id)
        if was is None:
            continue
        if was.heading != entry.heading:
            changes.append(_text_change(f"#{entry.rank} heading", was.heading, entry.heading, "entry"))
        if was.write_up != entry.write_up:
            changes.append(_text_change(f"#{entry.rank} write-up", was.write_up, entry.write_up, "entry"))
    for name in TEXT_FIELDS:
        a, b = old.fields.get(name, ""), new.fields.get(name, "")
        if a != b:
            changes.append(_text_change(_label(name), a or "", b or "", "list"))
    added = sorted(set(new.hashtags) - set(old.hashtags), key=str.casefold)
    removed = sorted(set(old.hashtags) - set(new.hashtags), key=str.casefold)
    if added or removed:
        said = [*(f"added #{t}" for t in added), *(f"removed #{t}" for t in removed)]
        changes.append(Change("Hashtags: " + ", ".join(said), "list"))
    for name in ["status", "published_at", "slug", "author", "comments_open", "show_rank_changes"]:
        if old.fields.get(name) != new.fields.get(name) and name in old.fields:
            changes.append(Change(_setting_change(name, old.fields[name], new.fields[name]), "list"))
    return changes


def _label(name):
    return str(Article._meta.get_field(name).verbose_name).capitalize()


def _setting_change(name, was, now):
    if name == "status":
        statuses = dict(Article.Status.choices)
        return f"State: {statuses.get(was, was)} → {statuses.get(now, now)}"
    if name in ("comments_open", "show_rank_changes"):
        return f"{_label(name)}: {'on' if now else 'off'}"
    if name == "published_at":
        return "Publication date changed"
    return f"{_label(name)} changed"


def _text_change(label, old, new, kind):
    if "\n" in old + new or kind == "entry" and label.endswith("write-up"):
        n = max(1, _paragraphs_changed(old, new))  # a change of spacing alone is one paragraph
        text = f"{label}: {n} paragraph{'s' if n != 1 else ''} changed"
    else:
        text = f"{label} changed"
    return Change(text, kind, label=label, diff=word_diff(old, new))


def _paragraphs(text):
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _paragraphs_changed(old, new):
    split = _paragraphs
    matcher = difflib.SequenceMatcher(a=split(old), b=split(new), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")


def word_diff(old, new):
    """`old` → `new` word by word, as escaped HTML with <del> and <ins>."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(format_html("{}", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((p,) for p in parts))


def rank_changes_since_publication(article):
    """
    For readers: {"updated_at", "changes"} with the rank moves (added, removed,
    moved) from the list as published to the list now, or None when the
    ranks are as published. At most four queries, however long the list.
    """
    latest = ArticleRevision.objects.filter(article=article).select_related("revision").first()
    if latest is None:
        return None
    published = (
        ArticleRevision.objects.filter(article=article, revision__date_created__lte=article.published_at).first()
        or ArticleRevision.objects.filter(article=article, status=Article.Status.PUBLISHED).order_by("version").first()
    )
    if published is None or published.pk == latest.pk:
        return None
    states = states_of([published, latest])
    changes = rank_changes(states[published.pk], states[latest.pk])
    return {"updated_at": latest.revision.date_created, "changes": changes} if changes else None
