from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from taggit.forms import TagField

from .models import Article, Entry
from .ranking import RankRequest, film_listed_times, film_repeats, plan_ranks


class HashtagField(TagField):
    """Hashtags as typed; changed only when the set of hashtags is (case and order aside)."""

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            typed = self.clean(data)
        except ValidationError:
            return True
        before = {getattr(tag, "name", tag).casefold() for tag in initial or []}
        return before != {name.casefold() for name in typed or []}


class ArticleForm(forms.ModelForm):
    """
    A list's own fields, plus the version of the list the page was opened
    at: a save based on an older version than the stored one is refused
    (see ArticleAdmin.save_model), unless the editor, shown what changed,
    ticks "Overwrite their changes".
    """

    bookkeeping = ("version", "seen_version", "overwrite")
    refusal = None  # set by the admin to show the form again with why the save was refused

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        label="Overwrite their changes", required=False,
        help_text="Save the list exactly as it is in this form, replacing what they changed. "
        "To keep some of their changes, bring them into the form first.",
    )

    class Meta:
        model = Article
        fields = "__all__"
        field_classes = {"hashtags": HashtagField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.refusal:
            raise ValidationError(self.refusal)
        if self.instance.pk and data.get("version") is None:
            # Shown above the form: the field itself is hidden.
            raise ValidationError(
                "This page does not say which version of the list it was opened at. "
                "Copy what you typed, reload the page and save again."
            )
        return data


class EntryForm(forms.ModelForm):
    rank = forms.IntegerField(
        required=False, min_value=1, help_text=Entry._meta.get_field("rank").help_text,
        widget=forms.NumberInput(attrs={"class": "rank-input", "size": 4}),
    )

    class Meta:
        model = Entry
        fields = ["rank", "film", "heading", "write_up"]
        widgets = {"write_up": forms.Textarea(attrs={"rows": 6})}

    def validate_unique(self):
        # Ranks and films are checked across the whole list by the formset,
        # which knows about inserts and moves; a row-by-row check against the
        # database would refuse every insert.
        pass

    def validate_constraints(self):
        pass


class EntryFormSet(BaseInlineFormSet):
    """
    The entries of one list, edited together. Works out the final ranks
    (insert, move, append), or refuses duplicates and gaps by name.
    """

    def _live_forms(self):
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            yield form

    def clean(self):
        if any(self.errors):
            return
        forms_ = list(self._live_forms())
        errors = []

        # One message per film, naming every rank it was given, in list order.
        groups = {}
        for first, repeat in film_repeats(forms_, films=_film_keys):
            groups.setdefault(first, [first]).append(repeat)
        for group in sorted(groups.values(), key=lambda g: forms_.index(g[0])):
            ranks = [str(f.cleaned_data.get("rank") or f.initial.get("rank") or "new") for f in group]
            errors.append(film_listed_times(group[0].cleaned_data["film"].title, ranks=ranks))

        rows = []
        for index, form in enumerate(forms_):
            film = form.cleaned_data.get("film")
            label = film.title if film else f"entry {index + 1}"
            # form.instance already carries the typed rank; the saved one is in initial.
            current = form.initial.get("rank") if form.instance.pk else None
            rows.append(RankRequest(index, label, current, form.cleaned_data.get("rank")))
        try:
            plan = plan_ranks(rows)
        except ValidationError as e:
            errors.extend(e.messages)
        if errors:
            raise ValidationError(errors)
        self.ordered_forms_by_rank = [forms_[i] for i in sorted(plan, key=plan.get)]
        # Tell the editor when entries they did not touch changed rank.
        self.renumbered = any(
            row.current is not None and row.requested in (None, row.current) and plan[row.key] != row.current
            for row in rows
        )


def _film_keys(form):
    film = form.cleaned_data.get("film")
    return [film.pk] if film is not None else []
