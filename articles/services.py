"""Writes to ranked lists that touch more than one row; each is atomic."""

import datetime
import hashlib
import time
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.formats import date_format

from core.accounts import emails_with_permission
from core.text import match_key
from films.models import Credit, Film
from films.services import film_create_unconfirmed, person_get_or_create, studio_get_or_create

from .checks import article_checks
from .importer.parse import EntryPlan, Note, ParseError, Plan, parse
from .importer.repair import DecodeError, decode_report
from .importer.romaji import romanisation_variants
from .models import Article, Entry, State, Transition
from .ranking import ONE_FILM_ONCE, RankRequest, film_already_listed, film_repeats, film_same_as, plan_ranks
from .revisions import article_revision_record, live_state, state_at, states_of


def _lock_article(article_id):
    """
    Serialise rank writes per list: the article row is locked until the
    transaction ends, so two editors inserting at once queue up instead of
    both planning ranks from the same stale snapshot (PostgreSQL; SQLite's
    IMMEDIATE transactions already queue every writer).
    """
    Article.objects.select_for_update().filter(pk=article_id).values_list("pk").first()


@transaction.atomic
def entries_save_in_order(*, article, entries):
    """
    Save `entries` (saved or new Entry objects of `article`: the whole list)
    with ranks 1…N in the order given. Only what changed is written: a new
    entry is inserted; a saved one is updated only when its rank, film or
    text differs from what was read (Entry.from_db keeps it), and then only
    in those columns.
    """
    _lock_article(article.pk)
    _entries_save(article=article, entries=entries)
    return entries


ENTRY_TEXT = ("heading", "write_up")


def _entries_save(*, article, entries):
    """
    `entries_save_in_order` for a caller that holds the list's row lock.
    Entries whose rank changes are first moved out of the way in one UPDATE,
    past every rank in use, so that the one-entry-per-rank constraint holds
    after every statement on every database, without deferrable constraints;
    the entries that keep their rank are not touched.
    """
    writes, moved = [], []
    for position, entry in enumerate(entries, start=1):
        entry.article = article
        if entry.pk is None:
            writes.append((entry, position, None))
            continue
        fields = [name for name in ENTRY_TEXT if (getattr(entry, name),) != _loaded(entry, name)]
        if entry.film_id != getattr(entry, "film_id_loaded", None):
            fields.append("film")
        if getattr(entry, "rank_loaded", None) != position:
            fields.append("rank")
            moved.append(entry.pk)
        entry.rank = position
        if fields:
            writes.append((entry, position, fields))
    if not writes:
        return
    if not moved and all(fields and "film" not in fields for _, _, fields in writes):
        # Text only: no constraint can refuse it.
        for entry, _position, fields in writes:
            _entry_save(entry, fields)
        return
    try:
        with transaction.atomic():
            if moved:
                top = Entry.objects.filter(article=article).order_by().values("article").annotate(top=Max("rank"))
                Entry.objects.filter(pk__in=moved).update(
                    rank=F("rank") + Subquery(top.values("top")) + len(entries) + 1
                )
            for entry, position, fields in writes:
                if entry.film_id is None and Entry.film.is_cached(entry) and entry.film.pk is None:
                    new = entry.film  # a film the catalogue lacked, typed on the entry
                    entry.film = film_create_unconfirmed(title=new.title, year=new.year, format=new.format)
                entry.rank = position
                _entry_save(entry, fields)
    except IntegrityError:
        # Only a film added by someone else since these entries were read can
        # get here (ranks are moved out of the way first): say so, not a 500.
        raise ValidationError(_film_added_meanwhile(article, entries)) from None


def _loaded(entry, name):
    loaded = getattr(entry, "text_loaded", None)
    return (loaded[ENTRY_TEXT.index(name)],) if loaded is not None else None


def _entry_save(entry, fields):
    entry.save(update_fields=fields)
    entry.text_loaded = (entry.heading, entry.write_up)


def _film_added_meanwhile(article, entries):
    new = {e.film_id: e for e in entries if e.pk is None}
    taken = Entry.objects.filter(article=article, film_id__in=new).select_related("film").first()
    if taken is None:
        return "Someone else changed this list's entries a moment ago. Nothing was saved; please try again."
    return (
        f"“{taken.film.title}” was added to this list by someone else a moment ago (at #{taken.rank}). "
        f"{ONE_FILM_ONCE} Nothing was saved; remove it from your entries or choose another film."
    )


@transaction.atomic
def entry_insert_at(*, article, film, rank=None, heading="", write_up=""):
    """
    Add `film` to `article` at `rank` (the entries at and below it move down),
    or at the end when `rank` is None.
    """
    _lock_article(article.pk)
    current = list(Entry.objects.filter(article=article).select_related("film"))
    new = Entry(article=article, film=film, heading=heading, write_up=write_up)
    repeats = film_repeats([*current, new], films=lambda e: [e.film_id])
    if repeats:
        raise ValidationError(film_already_listed(film.title, rank=repeats[0][0].rank))
    rows = [RankRequest(e.pk, e.film.title, e.rank, None) for e in current]
    rows.append(RankRequest("new", film.title, None, rank))
    plan = plan_ranks(rows)
    everything = {e.pk: e for e in current} | {"new": new}
    entries_save_in_order(article=article, entries=sorted(everything.values(), key=lambda e: plan[e.pk or "new"]))
    article_revision_record(article=article)
    return new


@transaction.atomic
def entry_move(*, entry, rank):
    """Move `entry` to `rank`; the entries between close up around it."""
    _lock_article(entry.article_id)
    current = list(Entry.objects.filter(article=entry.article_id).select_related("film"))
    rows = [RankRequest(e.pk, e.film.title, e.rank, rank if e.pk == entry.pk else None) for e in current]
    plan = plan_ranks(rows)
    ordered = sorted(current, key=lambda e: plan[e.pk])
    entries_save_in_order(article=entry.article, entries=ordered)
    entry.rank = plan[entry.pk]
    article_revision_record(article=entry.article)
    return entry


@transaction.atomic
def entry_remove(*, entry):
    """Delete `entry`; the entries below it move up, leaving no gap."""
    _lock_article(entry.article_id)
    article = entry.article
    entry.delete()
    return entries_renumber(article=article)


@transaction.atomic
def entries_renumber(*, article):
    """Renumber `article`'s entries 1…N in their current order, closing gaps."""
    _lock_article(article.pk)
    ordered = list(Entry.objects.filter(article=article).order_by("rank"))
    if [e.rank for e in ordered] != list(range(1, len(ordered) + 1)):
        entries_save_in_order(article=article, entries=ordered)
    article_revision_record(article=article)
    return ordered


# --- Publishing and review ----------------------------------------------------------
#
# One path for every way a list changes state (the change page's buttons, the
# bulk actions, the calendar, the importer): each function locks the list's
# row, reads the state it is really in, writes the new one with the time of
# the call (never a time carried in from a form opened earlier) and records a
# Transition. From the change page, the editor's edits (`ListEdit`) go in the
# same pass: one save of the list, the entries that changed, one revision.


@dataclass
class ListEdit:
    """
    What an editor changed on a list's page, saved by the call of the button
    they pressed (`article_save`, or a publishing button's `edit=`): the
    version of the list their page was opened at (`base`; None for a new
    list), the hashtags (None: unchanged), every entry in its new order,
    saved or new (None: the entries were not on the page), and the entries
    they deleted.
    """

    base: int | None = None
    hashtags: list | None = None
    entries: list | None = None
    deleted: list = field(default_factory=list)


# Only the publishing buttons write a list's state and publication time.
STATE_FIELDS = ("status", "published_at")


def _state_change(article, *, by, to=None, note="", edit=None, comment="", **fields):
    """
    One pass over `article`: lock its row and read the state it is stored in
    (refusing an `edit` based on an older version: EditConflict), set
    `fields`, save it once with the `edit`'s hashtags and entries, record the
    step from the stored state to `to` (a Transition; none when `to` is None)
    and one revision (with `comment`). Returns the ArticleRevision recorded,
    or None when nothing changed.
    """
    stored = None
    if article.pk is not None:
        stored = Article.objects.select_for_update().only("version", *STATE_FIELDS).get(pk=article.pk)
        if edit is not None and edit.base is not None and stored.version != edit.base:
            raise EditConflict(
                article=article,
                base=edit.base,
                current=stored.version,
                changes=changes_since(article=article, version=edit.base),
            )
    for name, value in fields.items():
        setattr(article, name, value)
    if edit is None:
        article.save(update_fields=[*fields, "updated_at"])
    else:
        if stored is not None:
            article.version = stored.version
            article.save(
                update_fields=[
                    f.name
                    for f in article._meta.concrete_fields
                    if not f.primary_key and f.name != "version" and (f.name not in STATE_FIELDS or f.name in fields)
                ]
            )
        else:
            article.save()
        if edit.hashtags is not None:
            article.hashtags.set(edit.hashtags)
        for entry in edit.deleted:
            entry.delete()
        if edit.entries is not None:
            _entries_save(article=article, entries=edit.entries)
    if to is not None:
        before = stored.state if stored is not None else State.DRAFT
        Transition.objects.create(article=article, user=by, from_state=before, to_state=to, note=note)
    # After a save of every field the list is as stored; after a save of the
    # state alone (the bulk actions, the calendar), its other fields are read.
    return article_revision_record(article=article, user=by, comment=comment, as_saved=edit is not None)


@transaction.atomic
def article_save(*, article, by=None, edit):
    """
    Save an editor's `edit` (ListEdit) of `article` as it stands, its state
    untouched (the change page's Save buttons): one save, the entries that
    changed, one revision.
    """
    _state_change(article, by=by, edit=edit)
    return article


def goes_live_words(at):
    """'goes live Tue 2 Dec at 09:00', in the site's time zone."""
    return "goes live " + date_format(timezone.localtime(at), r"D j M \a\t H:i")


@transaction.atomic
def article_publish(*, article, by=None, at=None, edit=None):
    """
    Put `article` on the site now: it is stamped with the moment of this call.
    A list already live keeps its date (publishing it again must not move it
    to the top of the feeds). `at` is for an import that brings its own date.
    `edit` (ListEdit): the editor's changes, saved in the same pass.
    """
    if article.is_live and at is None:
        return _edit_only(article, by=by, edit=edit)
    at = at or timezone.now()
    _state_change(
        article,
        by=by,
        to=State.SCHEDULED if at > timezone.now() else State.PUBLISHED,
        edit=edit,
        status=Article.Status.PUBLISHED,
        published_at=at,
    )
    return article


def _edit_only(article, *, by, edit):
    """A button that has nothing to do to the list's state still saves what the editor typed."""
    if edit is not None:
        _state_change(article, by=by, edit=edit)
    return article


@transaction.atomic
def article_schedule(*, article, at, by=None, edit=None):
    """Schedule `article` to appear by itself at `at`, which must be in the future (`edit`: as article_publish)."""
    if at <= timezone.now():
        raise ValidationError("Choose a time in the future to schedule the list, or publish it now.", code="past")
    _state_change(
        article,
        by=by,
        to=State.SCHEDULED,
        note=goes_live_words(at),
        edit=edit,
        status=Article.Status.PUBLISHED,
        published_at=at,
    )
    return article


@transaction.atomic
def article_unpublish(*, article, by=None, edit=None):
    """Take `article` off the site (or out of the schedule) back to draft; it keeps its entries (`edit`: as article_publish)."""
    if article.status == Article.Status.DRAFT:
        return _edit_only(article, by=by, edit=edit)
    _state_change(article, by=by, to=State.DRAFT, edit=edit, status=Article.Status.DRAFT)
    return article


@transaction.atomic
def article_submit(*, article, by, review_url, edit=None):
    """
    A writer hands a draft to the editors: it goes into review and everyone
    who may publish is mailed, after commit, with `review_url` (the list's
    full admin address). `edit`: as article_publish.
    """
    if article.status != Article.Status.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.", code="not_draft")
    _state_change(article, by=by, to=State.REVIEW, edit=edit, status=Article.Status.REVIEW)
    # robust: a mail server that is down must not undo the submission.
    transaction.on_commit(
        partial(editors_notify, article_pk=article.pk, by_pk=getattr(by, "pk", None), review_url=review_url),
        robust=True,
    )
    return article


@transaction.atomic
def article_send_back(*, article, by, note, review_url=None, edit=None):
    """
    An editor returns a list in review to its writer as a draft, with `note`
    saying what to change; the writer sees it on the list's page (and by
    mail, when they have an address). `edit`: as article_publish.
    """
    note = note.strip()
    if not note:
        raise ValidationError("Write a note for the writer: what should change?", code="no_note")
    if article.status != Article.Status.REVIEW:
        raise ValidationError("Only a list in review can be sent back.", code="not_in_review")
    _state_change(article, by=by, to=State.DRAFT, note=note, edit=edit, status=Article.Status.DRAFT)
    transaction.on_commit(partial(writer_notify, article_pk=article.pk, review_url=review_url), robust=True)
    return article


def editor_emails():
    """Everyone active who may publish (the Editors group and superusers), with an address."""
    return emails_with_permission("articles", "publish_article")


def editors_notify(*, article_pk, by_pk, review_url):
    """Queue the mail telling the editors a list waits for review (articles/tasks.py sends it)."""
    from .tasks import review_requested_mail

    review_requested_mail.enqueue(article_pk=article_pk, by_pk=by_pk, review_url=review_url)


def writer_notify(*, article_pk, review_url=None):
    """
    Queue the mail giving the writer the note of the send-back just committed
    (articles/tasks.py sends it): the step is fixed now, so a later step
    cannot change which note the mail carries.
    """
    from .tasks import sent_back_mail

    step = Transition.objects.filter(article_id=article_pk).values_list("pk", flat=True).first()
    if step is not None:
        sent_back_mail.enqueue(transition_pk=step, review_url=review_url)


# --- Importing a plain-text listicle -------------------------------------------------


class ListicleImportError(ValidationError):
    """The text cannot be imported; nothing was written. `.messages` name the problem and line."""


class AcceptedCredits:
    """
    Which of the credits a text names are added to the new films it brings:
    `AcceptedCredits.ALL`, `AcceptedCredits.NONE`, or `AcceptedCredits(keys)`
    for the ones an editor ticked (keys from `FilmOutcome.proposals`).
    """

    ALL: "AcceptedCredits"
    NONE: "AcceptedCredits"

    def __init__(self, keys=(), *, every=False):
        self.keys = frozenset(keys)
        self.every = every

    def __contains__(self, key):
        return self.every or key in self.keys

    def __repr__(self):
        return "AcceptedCredits.ALL" if self.every else f"AcceptedCredits({sorted(self.keys)!r})"


AcceptedCredits.ALL = AcceptedCredits(every=True)
AcceptedCredits.NONE = AcceptedCredits()


@dataclass
class FilmOutcome:
    entry: EntryPlan
    film: Film
    is_new: bool
    matched_by: str = ""  # which title found the existing film

    @property
    def proposals(self):
        """(key, credit) pairs an editor can accept; only new films get credits from the text."""
        return [(self.entry.credit_key(c), c) for c in self.entry.credits] if self.is_new else []


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): the data; the command and the admin page word it."""

    plan: Plan
    article: Article
    films: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    created: bool = False
    dry_run: bool = False
    credits_added: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self):
        """What stops the import: with any, nothing is written and nothing can be confirmed."""
        return self.plan.errors

    @property
    def warnings(self):
        return [n for n in self.plan.notes if n.level == "warning"]

    @property
    def infos(self):
        return [n for n in self.plan.notes if n.level == "info"]


def import_key_for(text):
    """The fingerprint of a pasted text: same words, same key, however it was line-ended."""
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()


def listicle_import(
    *,
    text,
    title=None,
    dek=None,
    publish=False,
    accept_credits=AcceptedCredits.NONE,
    author=None,
    dry_run=False,
    overrides=None,
):
    """
    Import a plain-text listicle as a ranked article, all or nothing, and
    return an ImportReport.

    Films are matched by any of their titles or created; credits the text
    names are added to new films as `accept_credits` (AcceptedCredits) says.
    The same text imported again updates the draft it made before; if that
    list is published, the import is refused. With `dry_run` everything runs
    and is then rolled back, so the report (and the admin preview) shows
    exactly what a real import would do. `overrides` are the editor's
    corrections to the reading (see `parse`). Raises ListicleImportError.
    """
    started = time.perf_counter()
    text, plan = _listicle_read(text, title=title, overrides=overrides)
    if plan.errors and not dry_run:  # a dry run (the preview) shows them; a real import writes nothing
        raise ListicleImportError([n.message for n in plan.errors])
    key = import_key_for(text)
    with transaction.atomic():
        article = _imported_draft(key)
        report = ImportReport(plan=plan, article=article, created=article is None, dry_run=dry_run)
        report.films = _films_match(plan=plan)
        report.article = _article_write(article=article, import_key=key, plan=plan, dek=dek, author=author)
        report.credits_added = _entries_write(
            article=report.article, plan=plan, outcomes=report.films, accept_credits=accept_credits
        )
        if publish:
            article_publish(article=report.article, at=report.article.published_at)
        report.checks = article_checks(report.article)
        if dry_run:
            transaction.set_rollback(True)
        else:
            article_revision_record(article=report.article, user=author, comment="Imported from text")
    report.seconds = time.perf_counter() - started
    return report


def _listicle_read(text, *, title, overrides=None):
    try:
        text, decoding = decode_report(text)
        plan = parse(text, title=title, overrides=overrides)
    except (ParseError, DecodeError) as e:
        raise ListicleImportError(getattr(e, "messages", None) or [str(e)]) from None
    plan.repairs[:0] = [Note("info", r.line, r.message) for r in decoding]
    for placement in plan.trace:
        placement.repairs[:0] = [r.message for r in decoding if placement.line <= r.line <= placement.end_line]
    return text, plan


def _imported_draft(import_key):
    """The draft this text was imported as before (locked), or None; a published one is refused."""
    article = Article.objects.select_for_update().filter(import_key=import_key).first()
    if article is not None and article.status == Article.Status.PUBLISHED:
        raise ListicleImportError(
            f"This text was already imported as “{article.title}”, which is published. "
            "Edit that list, or unpublish it to import the text over it."
        )
    return article


def _films_match(*, plan):
    """A FilmOutcome per entry of `plan`: the catalogue's film, or None for a new one. One film, one entry."""
    outcomes = []
    for entry in plan.entries:
        film, matched_by = Film.objects.first_matching(_titles_to_try(entry))
        outcomes.append(FilmOutcome(entry=entry, film=film, is_new=film is None, matched_by=matched_by))
    repeats = film_repeats(outcomes, films=_film_keys)
    if repeats:
        raise ListicleImportError(
            [
                film_same_as(
                    line=o.entry.line,
                    title=o.entry.title,
                    rank=o.entry.rank,
                    first_title=first.entry.title,
                    first_rank=first.entry.rank,
                )
                for first, o in repeats
            ]
        )
    return outcomes


def _titles_to_try(entry):
    """Every title the heading gives, then the other spellings of its romanisation ("Shoujo" for "Shōjo", "o" for "wo")."""
    titles = [t for t in (entry.title, entry.original_title, entry.native_title) if t]
    return titles + [v for t in titles[:2] for v in romanisation_variants(t)[1:]]


def _film_keys(outcome):
    # A film not in the catalogue yet is known by the titles the text gives it.
    if outcome.film is not None:
        return [outcome.film.pk]
    return [match_key(t) for t in (outcome.entry.title, outcome.entry.original_title) if t]


def _article_write(*, article, import_key, plan, dek, author):
    """Save the article the import writes into (new, or the earlier draft) from `plan`."""
    if article is None:
        article = Article(import_key=import_key, author=author)
    article.title = plan.title
    if plan.byline:
        _byline_set(article, plan.byline)
    if dek is not None or plan.dek:
        article.dek = dek if dek is not None else plan.dek
    article.intro = "\n\n".join(plan.intro)
    article.conclusion = "\n\n".join(plan.conclusion)
    article.sign_off = plan.sign_off[:300]
    if plan.published_on:
        article.published_at = datetime.datetime.combine(
            plan.published_on, datetime.time(12, 0), tzinfo=timezone.get_current_timezone()
        )
    article.save()
    return article


def _byline_set(article, name):
    """The text's byline: the account of that name when there is exactly one, else the name as written."""
    users = (
        get_user_model()
        .objects.annotate(full=Concat("first_name", Value(" "), "last_name"))
        .filter(Q(full__iexact=name) | Q(username__iexact=name))[:2]
    )
    if len(users) == 1:
        article.author, article.byline_text = users[0], ""
    else:
        article.byline_text = name[:100]


def _entries_write(*, article, plan, outcomes, accept_credits):
    """
    Replace `article`'s entries with `outcomes`, creating the new films with
    the credits `accept_credits` allows, and set the hashtags. Returns the
    keys of the credits added.
    """
    Entry.objects.filter(article=article).delete()
    credits_added, rows = [], []
    for outcome in outcomes:
        entry = outcome.entry
        if outcome.is_new:
            # Unconfirmed: public only once this list is published or a cataloguer confirms it.
            outcome.film = Film.objects.create(
                title=entry.title,
                romanized_title=entry.original_title,
                native_title=entry.native_title,
                year=entry.year,
                confirmed=False,
                **({"format": entry.format} if entry.format else {}),
            )
            credits_added += _credits_add(outcome, accept_credits)
        heading = "" if outcome.film.is_known_as(entry.title) else entry.title
        rows.append(
            Entry(article=article, film=outcome.film, rank=entry.rank, heading=heading[:200], write_up=entry.write_up)
        )
    Entry.objects.bulk_create(rows)
    # bulk_create sends no signal: the films' public_from is brought up to date here.
    Film.objects.filter(pk__in=[row.film_id for row in rows]).public_from_refresh()
    article.hashtags.set(plan.hashtags)
    return credits_added


def _credits_add(outcome, accepted):
    added = []
    for key, credit in outcome.proposals:
        if key in accepted:
            if credit.role == "studio":
                outcome.film.studios.add(studio_get_or_create(name=credit.name))
            else:
                Credit.objects.get_or_create(
                    film=outcome.film, person=person_get_or_create(name=credit.name), role=credit.role
                )
            added.append(key)
    return added


# --- Versions and revisions ----------------------------------------------------------


class EditConflict(Exception):
    """
    A save based on `base` (a version of the list) when `current` is stored:
    someone else saved in between. `changes` say what they changed
    (revisions.Change), or None when no revision of `base` was recorded.
    """

    def __init__(self, *, article, base, current, changes):
        super().__init__(f"List {article.pk} is at version {current}, not {base}.")
        self.article, self.base, self.current, self.changes = article, base, current, changes


def article_version_check(*, article, base):
    """
    Refuse a save based on version `base` of `article` when a newer one is
    stored (raises EditConflict). Locks the list's row until the transaction
    ends, so of two saves based on the same version only the first wins: the
    second waits for the lock, then reads the version the first recorded.
    """
    current = Article.objects.select_for_update().values_list("version", flat=True).get(pk=article.pk)
    if current == base:
        return
    raise EditConflict(
        article=article, base=base, current=current, changes=changes_since(article=article, version=base)
    )


def changes_since(*, article, version):
    """What changed in `article` since its `version` (the changelog), or None if that version was never recorded."""
    from .revisions import changelog

    _meta, old = state_at(article, version)
    if old is None:
        return None
    return changelog(old, live_state(article))


@dataclass
class RestoreReport:
    article: Article
    revision: object  # ArticleRevision restored from
    recorded: object  # the new ArticleRevision, or None when the list already was that way
    missing: list = field(default_factory=list)  # EntryState of films deleted since


@transaction.atomic
def revision_restore(*, article, revision, user=None):
    """
    Bring back `revision` (an ArticleRevision of `article`) as a new revision:
    its text, hashtags and entries, in its order with ranks 1…N. Entries
    whose film has since been deleted are left out and reported; the list's
    address, state and publication date stay as they are (publishing is a
    decision of its own). Nothing is overwritten: the restore is recorded.
    One pass, as a button: one save, the entries that differ, one revision.
    """
    state = states_of([revision])[revision.pk]
    article = Article.objects.select_for_update().get(pk=article.pk)
    fields = {
        name: state.fields[name]
        for name in ["title", "dek", "intro", "conclusion", "sign_off", "comments_open", "show_rank_changes"]
        if name in state.fields
    }
    author = state.fields.get("author")
    if author is not None and author != article.author_id and get_user_model().objects.filter(pk=author).exists():
        fields["author_id"] = author
    hashtags = None
    if sorted(state.hashtags, key=str.casefold) != sorted(article.hashtags.names(), key=str.casefold):
        hashtags = list(state.hashtags)

    films = Film.objects.in_bulk([e.film_id for e in state.entries])
    missing = [e for e in state.entries if e.film_id not in films]
    wanted = [e for e in state.entries if e.film_id in films]
    current = {e.film_id: e for e in Entry.objects.filter(article=article)}
    kept = {e.film_id for e in wanted}
    # The revision's order, closed up where films are missing: the rank rules
    # (1…N, one film once) hold by construction; plan_ranks confirms them.
    rows = [RankRequest(e.film_id, e.title, None, None) for e in wanted]
    plan = plan_ranks(rows)
    entries = []
    for saved in sorted(wanted, key=lambda e: plan[e.film_id]):
        entry = current.get(saved.film_id) or Entry(article=article, film_id=saved.film_id)
        entry.heading, entry.write_up = saved.heading, saved.write_up
        entries.append(entry)
    edit = ListEdit(
        base=article.version,
        hashtags=hashtags,
        entries=entries,
        deleted=[e for film_id, e in current.items() if film_id not in kept],
    )
    comment = f"Restored version {revision.version} of {revision.revision.date_created:%Y-%m-%d %H:%M}"
    recorded = _state_change(article, by=user, edit=edit, comment=comment, **fields)
    return RestoreReport(article=article, revision=revision, recorded=recorded, missing=missing)
