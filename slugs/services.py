"""Writes to the record of old addresses beyond the rename signal."""

from django.contrib.contenttypes.models import ContentType

from .models import OldSlug


def old_slug_forward(*, source, target):
    """
    `source` is going away in favour of `target` (a merge): its address, and
    every old address that led to it, lead to `target` from now on. Call it
    before `source` is deleted. Two queries whatever the history.
    """
    if type(source) is not type(target):
        raise ValueError("Old addresses can only be forwarded to an object of the same kind.")
    content_type = ContentType.objects.get_for_model(target)
    OldSlug.objects.filter(content_type=content_type, object_id=source.pk).update(object_id=target.pk)
    # An upsert: the slug may already be an old address of something else
    # (a mood merged away once, its name later reused and merged again).
    OldSlug.objects.bulk_create(
        [OldSlug(content_type=content_type, object_id=target.pk, slug=source.slug)],
        update_conflicts=True,
        unique_fields=["content_type", "slug"],
        update_fields=["object_id"],
    )
