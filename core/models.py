"""Abstract models the apps build on (a tag whose name is unique in any case, its through row, a slug filled on save) and the ledger of mail sent by tasks."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from taggit.models import TagBase, TaggedItemBase

from .slugs import tag_slugify, unique_slug
from .text import normalize_tag_name

# A name of only punctuation or emoji could never be typed back as a tag.
_HAS_LETTER_OR_DIGIT = re.compile(r"\w")


class CaseInsensitiveTag(TagBase):
    """
    A tag (a film's mood, an article's hashtag) that editors type by hand:
    spaces are tidied and a leading # dropped, a name needs a letter or a
    digit, and the database refuses a second name differing only in case.
    Subclasses declare their constraints with `tag_constraints()`.
    """

    uses = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many objects carry the tag, public or not (kept by core.tag_uses).",
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    @classmethod
    def canonical(cls, name):
        """The name as stored: " #Sad  anime " -> "Sad anime". Subclasses may fold case."""
        return normalize_tag_name(normalize_tag_name(name).lstrip("#"))

    def clean(self):
        self.name = self.canonical(self.name)
        if not _HAS_LETTER_OR_DIGIT.search(self.name):
            raise ValidationError({"name": f"A {self._meta.verbose_name} needs at least one letter or digit."})

    def save(self, *args, **kwargs):
        self.name = self.canonical(self.name)
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        return tag_slugify(super().slugify, tag, i)


def tag_constraints(noun):
    """
    The database rules of a `CaseInsensitiveTag`: one name in any case, and
    never an empty slug. A function rather than the abstract Meta, because the
    message names the kind of tag and Django interpolates only constraint names.
    """
    return [
        models.UniqueConstraint(
            Lower("name"),
            name=f"{noun}_name_case_insensitive_unique",
            violation_error_message=f"There is already a {noun} with this name.",
        ),
        models.CheckConstraint(condition=~models.Q(slug=""), name=f"{noun}_slug_not_empty"),
    ]


class TaggedOnce(TaggedItemBase):
    """
    The through row of a tagged model (a film's mood, an article's hashtag):
    an object carries a tag once. Subclasses add the two foreign keys.
    """

    label_prefix = ""

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="%(class)s_tag_once")]

    def __str__(self):
        return f"{self.content_object} — {self.label_prefix}{self.tag}"


class SlugFilledOnSave(models.Model):
    """
    A model whose empty `slug` is filled on save from its `slug_source` field,
    unique within the model and cut to the slug field's length.
    """

    slug_source = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            max_length = self._meta.get_field("slug").max_length
            source = getattr(self, self.slug_source)
            self.slug = unique_slug(type(self), source, instance_pk=self.pk, max_length=max_length)
        super().save(*args, **kwargs)


class SentMail(models.Model):
    """
    One row per mail a background task has handed to the mail server, written
    right after the server accepted it (core.background.send_mail_once). A task
    run again — queued again after its worker died, or retried — finds its key
    here and does not send a second time. A ledger, not a page: it has no
    address of its own.
    """

    key = models.CharField(
        max_length=100,
        unique=True,
        help_text="Which mail this is: the id of the task that first set out to send it.",
    )
    subject = models.CharField(max_length=255, help_text="The subject, for whoever reads the ledger.")
    sent_at = models.DateTimeField(auto_now_add=True, help_text="When the mail server accepted it.")

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "sent mail"

    def __str__(self):
        return f"{self.subject} ({self.key})"
