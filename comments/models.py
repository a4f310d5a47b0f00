import re

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class CommentQuerySet(models.QuerySet):
    """
    The moderation states, one definition each. A comment is in exactly one:
    held (waiting for a moderator), approved (public), or removed (spam is a
    kind of removed). Removed comments keep their row: nothing is deleted.
    """

    def approved(self):
        return self.filter(is_public=True, is_removed=False)

    def held(self):
        return self.filter(is_public=False, is_removed=False)

    def spam(self):
        return self.filter(is_spam=True)

    def removed(self):
        return self.filter(is_removed=True)

    def for_thread(self):
        """
        Approved comments oldest first, ready to nest into threads. Call it on
        `article.comments` so each comment knows its article without a query.
        """
        return self.approved().order_by("submitted_at", "pk")


class Comment(models.Model):
    class HeldReason(models.TextChoices):
        NONE = "", "—"
        FIRST_COMMENT = "first", "First comment from this email"
        TOO_MANY_LINKS = "links", "Too many links"
        BLOCKED_WORD = "blocked", "Contains a blocked word"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one replies to.",
    )
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(max_length=80)
    email = models.EmailField(
        blank=True,
        help_text="Never shown to readers. A staff reply carries its writer's address, or none.",
    )
    body = models.TextField("comment", help_text="Plain text, as the reader typed it.")
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True, unpack_ipv4=True)
    user_agent = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)

    is_public = models.BooleanField(
        "approved",
        default=False,
        help_text="Shown under the list. Use the actions in the comment list to approve.",
    )
    is_removed = models.BooleanField(
        "removed",
        default=False,
        help_text="Hidden from readers; the row is kept so the decision can be reviewed.",
    )
    is_spam = models.BooleanField("spam", default=False)
    # A flag rather than only a link to the writer's account: the badge is a
    # public fact about the comment and must not vanish if the account is
    # deleted. Who wrote it is `moderated_by` (a staff reply is published by
    # its writer, so the two are the same person).
    by_staff = models.BooleanField(
        "by staff",
        default=False,
        editable=False,
        help_text="Written by the magazine's staff from the admin; marked as such on the list.",
    )
    held_reason = models.CharField(
        max_length=10,
        choices=HeldReason.choices,
        blank=True,
        editable=False,
        help_text="Why the rules held this comment for a moderator.",
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        permissions = [("moderate_comment", "Can approve, mark as spam and remove comments")]
        indexes = [
            # A list's thread, in order; ahead of the queue's index for it on SQLite, which has no statistics.
            models.Index(fields=["article", "is_public", "is_removed", "submitted_at"], name="comment_thread_idx"),
            models.Index(fields=["email", "is_public"], name="comment_email_state_idx"),
            # The moderation queue's order: held first, newest first.
            models.Index(fields=["is_public", "is_removed", "-submitted_at"], name="comment_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_public=True, is_removed=True),
                name="comment_not_public_and_removed",
                violation_error_message="A removed comment cannot be public.",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_spam=True, is_removed=False),
                name="comment_spam_is_removed",
                violation_error_message="Spam is always removed.",
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.article}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    @property
    def status(self):
        if self.is_spam:
            return "spam"
        if self.is_removed:
            return "removed"
        return "approved" if self.is_public else "held"

    def get_reply_url(self):
        return reverse("comments:post", kwargs={"slug": self.article.slug}) + f"?reply_to={self.pk}"


class BlockedWord(models.Model):
    """A word or phrase that holds a comment for a moderator (WordPress's "moderation keys")."""

    word = models.CharField(
        max_length=100,
        help_text="Matched without regard to case in the name, email, address and text. "
        "Words in Latin letters match whole words only ('ass' does not hold 'class'); "
        "other scripts, e.g. Japanese, match anywhere in the text.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("word")]
        constraints = [
            models.UniqueConstraint(
                Lower("word"),
                name="blocked_word_case_insensitive_unique",
                violation_error_message="This word is already blocked.",
            )
        ]

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.word = self.word.strip()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:comments_blockedword_change", args=[self.pk])

    def pattern(self):
        word = re.escape(self.word.casefold())
        if self.word.isascii():
            return rf"(?<!\w){word}(?!\w)"
        return word
