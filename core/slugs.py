"""Slugs: unique per model, and a stable fallback for names that slugify to nothing."""

import hashlib

from django.utils.text import slugify


def tag_slugify(slugify_, tag, i=None):
    """
    A tag's slug, or a stable fallback for names that slugify to nothing
    (an emoji), so that every mood and hashtag has an address.
    """
    if slugify_(tag):
        return slugify_(tag, i)
    digest = hashlib.sha1(tag.encode()).hexdigest()[:8]
    return f"tag-{digest}" + (f"_{i}" if i is not None else "")


def unique_slug(model, value, *, instance_pk=None, max_length=80):
    """A slug for `value` that no other row of `model` uses (-2, -3 … appended)."""
    base = (slugify(value, allow_unicode=True) or "item")[:max_length].strip("-")
    slug, n = base, 2
    others = model._default_manager.exclude(pk=instance_pk)
    while others.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug
