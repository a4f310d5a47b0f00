"""
How many objects carry each tag, stored on the tag (`uses`), so that the home
page's most-used hashtags and moods and the sitemap's hashtag section read one
row per tag instead of counting every tagging (30,000 hashtags on 10,000 lists
and 100,000 moods on 50,000 films at magazine scale).

`uses` counts every tagging, public or not. Readers' counts subtract, at query
time, the taggings of the few objects they may not see (drafts, scheduled
lists, unconfirmed films): a scheduled list is counted the moment it goes live,
with no job to run.

Kept by the through model's signals: a tagging created adds one, a tagging
deleted takes one away (deleting a list, a film or a tag deletes its taggings
one by one, each sending post_delete). Writes that send no signal —
bulk_create, update(), loaddata's raw saves — call `recount()`. A service that
deletes many taggings at once runs inside `batched()`: one recount of the tags
touched at the end, however many rows went.
"""

import contextlib
import threading

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import post_delete, post_save

_KEPT = []  # the through models whose tags' uses are kept, in the order the apps registered them
_batch = threading.local()  # .touched: {through: {tag ids}} while a batched() block runs


def _tags(through):
    return through._meta.get_field("tag").related_model._default_manager


def _count_per_tag(taggings):
    """The number of `taggings` of the outer query's tag (0 when none), as an expression."""
    per_tag = taggings.filter(tag=OuterRef("pk")).order_by().values("tag").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_tag), 0)


def uses_less(through, hidden):
    """
    A tag's stored uses less its taggings of `hidden` (the pks of the few
    objects readers may not see), as an expression to annotate tags with.
    """
    return F("uses") - _count_per_tag(through._default_manager.filter(content_object__in=hidden))


def recount(through, tag_ids=None):
    """Count the taggings of `through` again, for the tags `tag_ids` (every tag when None)."""
    tags = _tags(through).all() if tag_ids is None else _tags(through).filter(pk__in=tag_ids)
    return tags.update(uses=_count_per_tag(through._default_manager.all()))


def recount_all():
    """Count every kept tag's uses again (after loaddata)."""
    for through in _KEPT:
        recount(through)


@contextlib.contextmanager
def batched():
    """Within the block, taggings saved or deleted are recounted once, when it ends."""
    if getattr(_batch, "touched", None) is not None:  # nested: the outer block recounts
        yield
        return
    _batch.touched = {}
    try:
        yield
        for through, tag_ids in _batch.touched.items():
            recount(through, tag_ids)
    finally:
        _batch.touched = None


def _add(through, tag_id, n):
    touched = getattr(_batch, "touched", None)
    if touched is not None:
        touched.setdefault(through, set()).add(tag_id)
        return
    # Greatest: a count that drifted (a raw SQL delete) stays a count, never an error.
    _tags(through).filter(pk=tag_id).update(uses=Greatest(F("uses") + n, 0))


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return  # loaddata: the tags' own rows carry their counts; restore recounts
    if created:
        _add(sender, instance.tag_id, 1)
    else:
        # A tagging moved to another tag: which tag it left is not known here. Rare (no form does it).
        recount(sender)


def _deleted(sender, instance, **kwargs):
    _add(sender, instance.tag_id, -1)


def keep_uses(through):
    """Keep the `uses` of the tags of the through model `through` (called from the app's ready())."""
    if through not in _KEPT:
        _KEPT.append(through)
    uid = f"tag_uses:{through._meta.label}"
    post_save.connect(_saved, sender=through, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=through, dispatch_uid=uid)
