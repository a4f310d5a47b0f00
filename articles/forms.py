import datetime
import math
import re

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.forms import TagField

from core.text import match_key
from films.models import Film

from .models import Article, Entry, State
from .ranking import RankRequest, film_already_listed, film_listed_times, film_repeats, plan_ranks

WORDS = re.compile(r"\w+")
WORDS_PER_MINUTE = 230  # as Article.reading_minutes
EXCERPT_WORDS = 12


class KnownFilmsAutocomplete(AutocompleteSelect):
    """
    The film box of an entry. The formset looks up every entry's film in one
    query and hands them over in `known`, so the page does not ask the
    database once per entry for the one option each box shows.
    """

    known = None

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Select2 names its empty box by this text; without it the box has no name.
        attrs["data-placeholder"] = "Type a title to search the catalogue"
        return attrs

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.known is None or not all(v in self.known for v in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for v in chosen[:1]:
            film = self.known[v]
            options.append(
                self.create_option(
                    name, film.pk, self.choices.field.label_from_instance(film), set(chosen), len(options)
                )
            )
        return [(None, options, 0)]


class KnownChoiceField(forms.ModelChoiceField):
    """
    A choice of a row the formset has already read for every form at once
    (`known`: {str(pk): instance}): a known choice costs no query; any other
    value is looked up as ModelChoiceField does.
    """

    known = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = (self.known or {}).get(str(getattr(value, "pk", value)))
        return found if found is not None else super().to_python(value)


class ProseField(forms.CharField):
    """Text as typed, with a browser's line ends (CRLF) as the database keeps them (LF): the same text is no change."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

    def has_changed(self, initial, data):
        return super().has_changed(self.to_python(initial), data)


class EntryForm(forms.ModelForm):
    rank = forms.IntegerField(
        required=False,
        min_value=1,
        help_text=Entry._meta.get_field("rank").help_text,
        widget=forms.NumberInput(attrs={"class": "rank-input", "size": 4}),
    )

    # A film the catalogue lacks, created with the entry on save (unconfirmed)
    # when the film box is left empty: no pop-up window, nothing lost.
    new_film_title = forms.CharField(
        label="English title",
        required=False,
        max_length=Film._meta.get_field("title").max_length,
    )
    new_film_year = forms.IntegerField(label="Year", required=False, min_value=1880, max_value=2100)
    new_film_format = forms.ChoiceField(
        label="Format",
        choices=Film.Format.choices,
        initial=Film.Format.FEATURE,
        required=False,
    )

    class Meta:
        model = Entry
        fields = ["rank", "film", "heading", "write_up"]
        widgets = {"write_up": forms.Textarea(attrs={"rows": 6})}
        field_classes = {"film": KnownChoiceField, "write_up": ProseField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["film"].required = False
        self.new_film = None

    def has_changed(self):
        # The format has a default: choosing it alone is not filling in an entry.
        return any(name != "new_film_format" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        title = (cleaned.get("new_film_title") or "").strip()
        if cleaned.get("film") is None:
            if not title:
                if "film" not in self.errors:
                    self.add_error("film", "Choose a film, or add one the catalogue lacks under “New film”.")
                return cleaned
            known, _ = Film.objects.first_matching([title])
            if known is not None:
                self.add_error(
                    "new_film_title",
                    f"The catalogue already has “{known}”: choose it in the film box above.",
                )
                return cleaned
            self.new_film = Film(
                title=title,
                year=cleaned.get("new_film_year"),
                format=cleaned.get("new_film_format") or Film.Format.FEATURE,
                confirmed=False,
            )
        elif title:
            self.add_error("new_film_title", "Choose a film or add a new one, not both.")
        return cleaned

    @property
    def film_label(self):
        """The entry's film as the editor chose or typed it (no query: the formset looked it up)."""
        if self.new_film is not None:
            return self.new_film.title
        film = self.chosen_film
        if film is not None:
            return film.title
        return (self["new_film_title"].value() or "").strip()

    @property
    def chosen_film(self):
        value = self["film"].value()
        return getattr(self, "known_films", {}).get(str(value)) if value not in (None, "") else None

    @property
    def write_up_words(self):
        return len(WORDS.findall(self["write_up"].value() or ""))

    @property
    def excerpt(self):
        words = (self["write_up"].value() or "").split()
        return " ".join(words[:EXCERPT_WORDS]) + ("…" if len(words) > EXCERPT_WORDS else "")

    @property
    def saved_rank(self):
        """The rank stored in the database; a typed, unsaved rank is not shown as if it were."""
        return self.initial.get("rank") if self.instance.pk else None

    def _get_validation_exclusions(self):
        # The film box has read its film (KnownChoiceField): the model's own
        # check that it exists would read it again, once per entry.
        return {*super()._get_validation_exclusions(), "film"}

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

    @cached_property
    def forms(self):
        # Every form's film and saved entry read once for the whole list: the
        # films in one query, the entries with the formset's own queryset.
        forms_ = super().forms
        ids = {str(f["film"].value()) for f in forms_ if str(f["film"].value() or "").isdigit()}
        known = {str(pk): film for pk, film in Film.objects.in_bulk(ids).items()} if ids else {}
        entries = {str(pk): entry for pk, entry in getattr(self, "_object_dict", {}).items()}
        for form in forms_:
            form.known_films = known
            for name, rows in (("film", known), (self._pk_field.name, entries)):
                if isinstance(form.fields.get(name), KnownChoiceField):
                    form.fields[name].known = rows
            widget = getattr(form.fields["film"].widget, "widget", form.fields["film"].widget)
            if isinstance(widget, KnownFilmsAutocomplete):
                widget.known = known
        return forms_

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The hidden id of a saved entry: found among the entries the formset read.
        field = form.fields[self._pk_field.name]
        if type(field) is forms.ModelChoiceField:
            form.fields[self._pk_field.name] = KnownChoiceField(
                field.queryset, initial=field.initial, required=False, widget=field.widget
            )

    @property
    def word_count(self):
        return sum(f.write_up_words for f in self.forms)

    @property
    def reading_minutes(self):
        """Minutes to read the entries' write-ups (the list page adds intro and conclusion)."""
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def _live_forms(self):
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            yield form

    @property
    def error_entries(self):
        """{message: index of the entry form it is about}, for the error summary's links."""
        if not hasattr(self, "_error_entries"):
            self._error_entries = {}
        return self._error_entries

    @property
    def non_form_error_links(self):
        """[(message, anchor)]: each problem of the whole list, linked to its entry when it has one."""
        return [
            (
                message,
                f"{self.prefix}-{self.error_entries[message]}"
                if message in self.error_entries
                else f"{self.prefix}-group",
            )
            for message in self.non_form_errors()
        ]

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
            message = film_listed_times(group[0].film_label, ranks=ranks)
            errors.append(message)
            # The repeat is the entry at fault: the one the editor most likely just added.
            self.error_entries[message] = self.forms.index(group[-1])
        errors.extend(self._added_meanwhile(forms_))

        rows = []
        for index, form in enumerate(forms_):
            label = form.film_label or f"entry {index + 1}"
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

    def _added_meanwhile(self, forms_):
        """
        Films another editor added to this list since this form was opened:
        entries of the list, as the formset read them, that none of the forms
        is. The admin reads the list's row for update before the entries
        (ArticleAdmin.get_object), so no entry can be added between that
        read and the save; the other editor's entry is named here instead of
        failing as a database error.
        """
        if self.instance.pk is None:
            return []
        ours = {f.instance.pk for f in self.forms if f.instance.pk}
        chosen = {f.cleaned_data["film"].pk: f for f in forms_ if f.cleaned_data.get("film")}
        theirs = [
            entry
            for pk, entry in getattr(self, "_object_dict", {}).items()
            if pk not in ours and entry.film_id in chosen
        ]
        return [
            film_already_listed(chosen[entry.film_id].film_label, rank=entry.rank)
            + " Someone added it while you were editing; reload the page to see their changes."
            for entry in sorted(theirs, key=lambda e: e.rank)
        ]


def _film_keys(form):
    film = form.cleaned_data.get("film")
    if film is not None:
        return [film.pk]
    # A film not in the catalogue yet is known by its title.
    return [match_key(form.new_film.title)] if form.new_film is not None else []


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
    The list's own fields, plus:
    - what the publishing buttons need: the time to schedule for and the note
      that sends a list back, checked with the rest of the form, so a bad date
      is a message beside the date and nothing is saved;
    - the version of the list the page was opened at: a save based on an older
      version than the stored one is refused (ArticleAdmin.save_model), unless
      the editor, shown what changed, ticks "Overwrite their changes".
    """

    bookkeeping = ("version", "seen_version", "overwrite")
    refusal = None  # set by the admin to show the form again with why the save was refused
    refusal_is_conflict = False

    schedule_date = forms.DateField(
        required=False,
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    schedule_time = forms.TimeField(
        required=False,
        label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    review_note = forms.CharField(
        required=False,
        label="Note for the writer",
        help_text="What should change before the list can go out. The writer sees it on the list's page.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        label="Overwrite their changes",
        required=False,
        help_text="Save the list exactly as it is in this form, replacing what they changed. "
        "To keep some of their changes, bring them into the form first.",
    )

    class Meta:
        model = Article
        fields = "__all__"
        field_classes = {"hashtags": HashtagField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        # A browser cuts a pasted text at maxlength without a word: let it all in,
        # count it as it is typed (static/js/char-count.js) and refuse it with the count.
        for name in ("seo_title", "seo_description"):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["data-count-max"] = widget.attrs.pop("maxlength", self.fields[name].max_length)
        if instance.pk:
            self.fields["version"].initial = instance.version
        if instance.pk and instance.state == State.SCHEDULED:
            at = timezone.localtime(instance.published_at)
        else:
            at = timezone.localtime() + datetime.timedelta(days=1)
            at = at.replace(hour=9, minute=0)
        self.fields["schedule_date"].initial = at.date()
        self.fields["schedule_time"].initial = at.time().replace(second=0, microsecond=0)
        self.schedule_at = None

    def _get_validation_exclusions(self):
        # The author box has read its account: the model's check that it exists would read it again.
        return {*super()._get_validation_exclusions(), "author"}

    def clean(self):
        data = super().clean()
        if self.refusal and self.refusal_is_conflict:
            # The conflict has its own section and its line in the error summary: not a third time above the fields.
            self.add_error("overwrite", self.refusal)
        elif self.refusal:
            raise ValidationError(self.refusal)
        if self.instance.pk and data.get("version") is None:
            # Shown above the form: the field itself is hidden.
            raise ValidationError(
                "This page does not say which version of the list it was opened at. "
                "Copy what you typed, reload the page and save again."
            )
        if "_schedule" in self.data:
            self.schedule_at = _schedule_at(self, data)
        if "_send_back" in self.data and not data.get("review_note", "").strip():
            self.add_error("review_note", "Write a note for the writer: what should change?")
        return data


def _schedule_at(form, data):
    day, time = data.get("schedule_date"), data.get("schedule_time")
    if "schedule_date" in form.errors or "schedule_time" in form.errors:
        return None
    if day is None or time is None:
        form.add_error("schedule_date", "Choose the date and the time the list goes live.")
        return None
    at = timezone.make_aware(datetime.datetime.combine(day, time))
    if at <= timezone.now():
        form.add_error("schedule_date", "That time has passed: choose a time in the future, or publish now.")
        return None
    return at
