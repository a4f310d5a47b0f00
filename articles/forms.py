import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from .models import Article, Entry, State
from .ranking import RankRequest, film_listed_times, film_repeats, plan_ranks


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


class ArticleForm(forms.ModelForm):
    """
    The list's own fields, plus what the publishing buttons need: the time to
    schedule for and the note that sends a list back. Those are checked here,
    with the rest of the form, so a bad date is a message beside the date and
    nothing is saved.
    """

    schedule_date = forms.DateField(
        required=False, label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    schedule_time = forms.TimeField(
        required=False, label="Time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    review_note = forms.CharField(
        required=False, label="Note for the writer",
        help_text="What should change before the list can go out. The writer sees it on the list's page.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.state == State.SCHEDULED:
            at = timezone.localtime(instance.published_at)
        else:
            at = timezone.localtime() + datetime.timedelta(days=1)
            at = at.replace(hour=9, minute=0)
        self.fields["schedule_date"].initial = at.date()
        self.fields["schedule_time"].initial = at.time().replace(second=0, microsecond=0)
        self.schedule_at = None

    def clean(self):
        data = super().clean()
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
