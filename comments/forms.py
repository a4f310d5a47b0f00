import hashlib
import secrets
import time
import unicodedata

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.validators import MaxLengthValidator

from .models import Comment

TIMESTAMP_SALT = "comments.form-timestamp"
FORM_MAX_AGE = 24 * 60 * 60

# Characters that change how the text around them is laid out or split into
# lines: bidi embeddings, overrides, isolates and marks ("admin\u202e gnp.exe"
# shows as "admin exe.png"), and the line and paragraph separators that mail
# and terminals read as new lines. Control characters (Cc) are refused too.
# Zero-width joiners stay: Persian and Indic names and emoji sequences need them.
LAYOUT_CHARACTERS = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_plain_name(value):
    """Refuse a name that could break the line it is shown on: control and bidi characters."""
    if any(ch in LAYOUT_CHARACTERS or unicodedata.category(ch) == "Cc" for ch in value):
        raise forms.ValidationError(
            "Please use only letters, digits, spaces and punctuation in your name "
            "(it contains an invisible control or text-direction character).",
            code="control_character",
        )


class CommentForm(forms.Form):
    """
    The reader's comment, plus two traps for machines: a honeypot field people
    never see, and a signed timestamp that tells how long the form was open.
    Errors with code "honeypot" or "tampered" are machine-made (the view answers 400).

    The timestamp is single-use: it carries a nonce that a valid form claims in
    the shared cache (no cookie, so article pages stay cacheable). A form sent
    again with a claimed timestamp is told so and given a fresh one.
    """

    name = forms.CharField(
        label="Name",
        max_length=80,
        validators=[validate_plain_name],
        # The browser remembers name and email for next time: no cookie of ours.
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please give a name to sign your comment with."},
    )
    email = forms.EmailField(
        label="Email (never shown)",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Please give your email address; it is never shown."},
    )
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please write a comment."},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    timestamp = forms.CharField(widget=forms.HiddenInput)
    # Named like a field bots love to fill; hidden from people by CSS and from
    # screen readers by aria-hidden on its wrapper (see comment_form.html).
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.parent = None
        self.fields["body"].max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].validators.append(MaxLengthValidator(settings.COMMENTS_MAX_LENGTH))
        self.fields["body"].widget.attrs["maxlength"] = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].help_text = (
            f"Plain text, up to {settings.COMMENTS_MAX_LENGTH} characters. "
            "Links are allowed; comments with more than "
            f"{settings.COMMENTS_MAX_LINKS} wait for a moderator."
        )
        if self.is_bound:
            self.data = self.data.copy()  # so an expired timestamp can be renewed
        else:
            self.initial.setdefault("timestamp", self.fresh_timestamp())

    def fresh_timestamp(self, sent_at=None):
        # The nonce makes every form's token unique, so claiming one never claims another.
        sent_at = time.time() if sent_at is None else sent_at
        return signing.dumps({"a": self.article.pk, "t": sent_at, "n": secrets.token_urlsafe(12)}, salt=TIMESTAMP_SALT)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError("This form could not be accepted.", code="honeypot")
        return ""

    def clean_timestamp(self):
        try:
            data = signing.loads(self.cleaned_data["timestamp"], salt=TIMESTAMP_SALT)
            sent_at = float(data["t"])
            if data["a"] != self.article.pk:
                raise ValueError("form of another list")
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                "This form was changed on its way back; please reload the page.", code="tampered"
            ) from None
        age = time.time() - sent_at
        if age < settings.COMMENTS_MIN_SECONDS:
            raise forms.ValidationError(
                "That was faster than anyone can type. Please wait a few seconds and send it again.",
                code="too_fast",
            )
        if age > FORM_MAX_AGE:
            self.data["timestamp"] = self.fresh_timestamp()
            raise forms.ValidationError(
                "This form was open for more than a day. Please check your comment and send it again.",
                code="expired",
            )
        self._sent_at = sent_at
        return self.cleaned_data["timestamp"]

    def clean(self):
        cleaned = super().clean()
        # Claimed last, and only by a form that is otherwise valid, so a form
        # turned back for a missing name can be corrected and sent again.
        if not self.errors:
            self._claim_timestamp(cleaned["timestamp"])
        return cleaned

    def _claim_timestamp(self, token):
        key = "comments:form-used:" + hashlib.sha256(token.encode()).hexdigest()
        # The key outlives the token: a token older than FORM_MAX_AGE is refused as expired anyway.
        if not cache.add(key, 1, timeout=FORM_MAX_AGE) and cache.get(key) is not None:
            self.data["timestamp"] = self.fresh_timestamp()
            self.add_error(
                "timestamp",
                forms.ValidationError(
                    "This form has already been used to send a comment. Your text is still here: "
                    "check it, then send it again.",
                    code="replayed",
                ),
            )
            return
        # add() failing while get() finds nothing means the cache is down:
        # fail open, as the rate limits do. If the save is then refused (a
        # duplicate, a database error), the page shown again carries an unused
        # token with the same age, so the reader can simply send again.
        self.data["timestamp"] = self.fresh_timestamp(sent_at=self._sent_at)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Please write a comment.", code="required")
        return body

    def clean_reply_to(self):
        pk = self.cleaned_data.get("reply_to")
        if pk is None:
            return None
        # Only a visible comment of this list can be replied to; a removed,
        # held or foreign one is refused rather than silently re-threaded.
        self.parent = Comment.objects.approved().filter(article=self.article, pk=pk).select_related("parent").first()
        if self.parent is None:
            raise forms.ValidationError("The comment you are replying to is no longer available.", code="bad_parent")
        return pk

    @property
    def is_machine_made(self):
        return self.has_error("website", "honeypot") or self.has_error("timestamp", "tampered")

    def hidden_errors(self):
        return [e for name in ("reply_to", "timestamp", "website") for e in self.errors.get(name, [])]


class StaffReplyForm(forms.Form):
    """A staff member's reply from the admin, published at once as the magazine's."""

    name = forms.CharField(
        label="Signed as",
        max_length=80,
        validators=[validate_plain_name],
        help_text="Shown as the reply's author, with a “Staff” badge.",
        error_messages={"required": "Please give a name to sign the reply with."},
    )
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text, as readers write theirs: links are allowed, nothing is rendered as HTML.",
        error_messages={"required": "Please write the reply."},
    )

    def __init__(self, *args, form_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = settings.COMMENTS_MAX_LENGTH
        self.fields["body"].validators.append(MaxLengthValidator(settings.COMMENTS_MAX_LENGTH))
        self.fields["body"].widget.attrs["maxlength"] = settings.COMMENTS_MAX_LENGTH
        if form_id:
            # Shown inside the admin's own form on the comment's page, where a
            # nested <form> is not allowed: the fields belong to it by id.
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Please write the reply.", code="required")
        return body

    @staticmethod
    def default_name(user):
        return user.get_full_name() or settings.SITE_NAME
