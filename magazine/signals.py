"""
Any change readers could see retires every cached page (core/pagecache.py).

One site-wide generation rather than per-page tags: a film's title shows on
its page, every list ranking it, the person and studio pages, moods, search
and the feeds, and a missed dependency would be a stale page. Changes are
rare next to reads, so retiring everything costs little.

Receivers are connected per model, not for all senders: a receiver for every
model would stop Django from fast-deleting sessions and search documents.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from articles.models import Article
from core import pagecache
from films.signals import moods_added

# The apps whose rows appear on public pages. Search documents are derived
# from them (and rebuilt on the same commits); auth users only by their name.
CONTENT_APPS = ("articles", "films", "comments", "slugs", "taggit")
# Rows no reader sees, or whose change comes with one that already retires
# the pages: film titles are written only inside Film.save (a listener would
# also cost their bulk delete an extra SELECT); review steps and revisions are
# written with the list's own save; share links and their openings concern
# drafts only, and an opening is logged on every visit to a shared preview.
NOT_ON_PUBLIC_PAGES = {
    "films.FilmTitle", "articles.Transition", "articles.ArticleRevision",
    "articles.ShareLink", "articles.ShareLinkOpening",
}


def next_scheduled():
    """The earliest publication time still to come, or None (one indexed query)."""
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at").values_list("published_at", flat=True).first()
    )


def content_saved(sender, instance=None, created=False, update_fields=None, **kwargs):
    if sender._meta.label == "comments.Comment" and created and not instance.is_public:
        return  # a held comment shows nowhere until a moderator approves it
    if sender._meta.label == "auth.User" and update_fields and set(update_fields) <= {"last_login", "password"}:
        return  # logging in changes no byline
    pagecache.content_changed()
    if sender is Article:
        pagecache.schedule_changed(next_scheduled)


def content_deleted(sender, **kwargs):
    pagecache.content_changed()
    if sender is Article:
        pagecache.schedule_changed(next_scheduled)


def relation_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        pagecache.content_changed()


def bulk_changed(sender, **kwargs):
    pagecache.content_changed()


def connect():
    models = [
        m for label in CONTENT_APPS for m in apps.get_app_config(label).get_models(include_auto_created=True)
        if m._meta.label not in NOT_ON_PUBLIC_PAGES
    ]
    models.append(apps.get_model("auth", "User"))
    for model in models:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(content_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(content_deleted, sender=model, dispatch_uid=uid)
        if model._meta.auto_created or model._meta.label in ("articles.TaggedArticle", "films.TaggedFilm"):
            m2m_changed.connect(relation_changed, sender=model, dispatch_uid=uid)
    # Writes that send no model signals (bulk_create, update()) say so here.
    moods_added.connect(bulk_changed, dispatch_uid="pagecache:moods_added")
