from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag

import pagecache
from core.admin_filters import InUseFilter
from core.text import match_key

from .models import (
    CONFIRMED_PUBLIC_FROM,
    Credit,
    Film,
    FilmTitle,
    Mood,
    Person,
    Studio,
    TaggedFilm,
)
from .services import films_add_mood, films_remove_mood, mood_merge


def _is_autocomplete(request):
    return request.resolver_match is not None and request.resolver_match.url_name == "autocomplete"


def _action_field(model_admin, request, name):
    """The value of an extra field of the changelist's action form (or None)."""
    field = model_admin.action_form.base_fields[name]
    try:
        return field.clean(request.POST.get(name) or None)
    except forms.ValidationError:
        return None


# Moods and hashtags have their own tag models; taggit's generic Tag is unused.
admin.site.unregister(Tag)


class MoodInUseFilter(InUseFilter):
    relation = "tagged_films"


class ConfirmedFilter(admin.SimpleListFilter):
    """Films waiting for a cataloguer: those an import or a list's editor created."""

    title = "catalogue state"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", "Unconfirmed"), ("yes", "Confirmed")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed=self.value() == "yes")
        return queryset


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["role", "person", "position"]


class FilmAdminForm(forms.ModelForm):
    """Moods are picked from the vocabulary with autocomplete, not typed as a string."""

    moods = forms.ModelMultipleChoiceField(
        queryset=Mood.objects.all(),
        required=False,
        help_text="Choose from the mood vocabulary. New moods are added under Moods.",
    )

    class Meta:
        model = Film
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["moods"]
        field.widget = AutocompleteSelectMultiple(Film._meta.get_field("moods"), admin.site)
        field.widget.choices = field.choices
        if self.instance.pk:
            self.initial["moods"] = list(self.instance.moods.all())


class MoodActionForm(ActionForm):
    mood = forms.ModelChoiceField(
        queryset=Mood.objects.all(),
        required=False,
        empty_label="— choose a mood —",
        help_text="The mood to add to or remove from the selected films.",
    )


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
    form = FilmAdminForm
    action_form = MoodActionForm
    list_display = [
        "poster_thumbnail",
        "title",
        "state",
        "romanized_title",
        "year",
        "format",
        "mood_list",
        "list_count",
    ]
    list_display_links = ["poster_thumbnail", "title"]
    list_filter = [ConfirmedFilter, "format", "source", "moods", "year", "studios"]
    search_fields = [
        "title",
        "romanized_title",
        "native_title",
        "other_titles",
        "credits__person__name",
        "studios__name",
    ]
    autocomplete_fields = ["studios"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CreditInline]
    actions = ["confirm", "add_mood", "remove_mood"]
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin.css"]}

    fieldsets = [
        (None, {"fields": ["title", "romanized_title", "native_title", "other_titles", "slug", "confirmed"]}),
        ("Facts", {"fields": [("format", "year"), ("runtime_minutes", "episodes"), "source", "studios", "synopsis"]}),
        ("Moods and poster", {"fields": ["moods", "poster"]}),
    ]

    # At magazine scale (50,000 films) counting every match for "Show all" cost a
    # second full scan per changelist page.
    show_full_result_count = False
    # What the list editor's film box searches: the film's own titles, one table,
    # no join (people and studios stay searchable in the changelist).
    autocomplete_search_fields = ["title", "romanized_title", "native_title", "other_titles"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _is_autocomplete(request):
            # The autocomplete shows str(film) only: no moods, no counts.
            return queryset.order_by("title", "pk")
        # A correlated count, worked out for the page's 50 rows only; a
        # Count() over the join grouped every film before the LIMIT.
        # Explicit order: the film autocomplete paginates this queryset.
        entries = Film._meta.get_field("entries").related_model  # the articles app builds on this one
        in_lists = (
            entries.objects.filter(film=OuterRef("pk")).order_by().values("film").annotate(n=Count("pk")).values("n")
        )
        return (
            queryset.with_is_public()
            .prefetch_related("moods")
            .annotate(num_lists=Coalesce(Subquery(in_lists), 0))
            .order_by("title", "pk")
        )

    def get_search_results(self, request, queryset, search_term):
        if not _is_autocomplete(request) or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # Any title containing the words, or starting like one of the film's
        # titles once case and punctuation are set aside (the indexed FilmTitle keys).
        words = Q()
        for word in search_term.split():
            words &= Q(
                *(Q(**{f"{field}__icontains": word}) for field in self.autocomplete_search_fields), _connector=Q.OR
            )
        key = match_key(search_term)
        by_key = FilmTitle.objects.filter(key__gte=key, key__lt=key + "\U0010ffff").values("film_id") if key else None
        return queryset.filter(words | Q(pk__in=by_key) if by_key is not None else words), False

    @admin.display(description="poster")
    def poster_thumbnail(self, obj):
        picture = obj.poster_picture
        return picture.thumbnail_html(f"Poster of {obj.title}") if picture else "—"

    @admin.display(description="moods")
    def mood_list(self, obj):
        return ", ".join(m.name for m in obj.moods.all())

    @admin.display(description="in lists", ordering="num_lists")
    def list_count(self, obj):
        return obj.num_lists

    @admin.display(description="state", ordering="confirmed")
    def state(self, obj):
        if obj.confirmed:
            return "Confirmed"
        # Why an unconfirmed film is or is not on the site already.
        return "Unconfirmed, public through a published list" if obj.is_public else "Unconfirmed, not public"

    @admin.action(description="Confirm selected films (show them on the site)", permissions=["change"])
    def confirm(self, request, queryset):
        pks = list(queryset.filter(confirmed=False).values_list("pk", flat=True))
        # No save() needed: search filters films with public() when it is
        # asked, so nothing is reindexed. updated_at moves so the sitemap
        # tells crawlers the page is new. update() sends no signal, so it
        # sets public_from itself, and the page cache is told here that
        # readers' pages have changed.
        Film.objects.filter(pk__in=pks).update(
            confirmed=True, public_from=CONFIRMED_PUBLIC_FROM, updated_at=timezone.now()
        )
        if pks:
            pagecache.changed(*(f"@film-around:{pk}" for pk in pks))
        message = f"Confirmed {len(pks)} film(s)."
        if already := queryset.count() - len(pks):
            message += f" {already} already confirmed."
        self.message_user(request, message, messages.SUCCESS)

    def _chosen_mood(self, request):
        mood = _action_field(self, request, "mood")
        if mood is None:
            self.message_user(request, "Choose a mood in the box beside the action first.", messages.ERROR)
        return mood

    @admin.action(description="Add the chosen mood to selected films", permissions=["change"])
    def add_mood(self, request, queryset):
        if mood := self._chosen_mood(request):
            added = films_add_mood(films=list(queryset), mood=mood)
            self.message_user(request, f"Added “{mood}” to {added} film(s).", messages.SUCCESS)

    @admin.action(description="Remove the chosen mood from selected films", permissions=["change"])
    def remove_mood(self, request, queryset):
        if mood := self._chosen_mood(request):
            removed = films_remove_mood(films=list(queryset), mood=mood)
            self.message_user(request, f"Removed “{mood}” from {removed} film(s).", messages.SUCCESS)


class MergeActionForm(ActionForm):
    target = forms.ModelChoiceField(
        queryset=Mood.objects.all(),
        required=False,
        empty_label="— merge into —",
        help_text="The mood that the selected moods are folded into.",
    )


@admin.register(Mood)
class MoodAdmin(admin.ModelAdmin):
    action_form = MergeActionForm
    ordering = ["name"]
    list_filter = [MoodInUseFilter]
    list_display = ["name", "slug", "film_count"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    fields = ["name", "slug", "description"]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_film_counts()

    @admin.display(description="films", ordering="num_films")
    def film_count(self, obj):
        url = reverse("admin:films_film_changelist") + f"?moods__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.num_films)

    @admin.action(description="Merge selected moods into the chosen mood", permissions=["delete"])
    def merge(self, request, queryset):
        target = _action_field(self, request, "target")
        if target is None:
            self.message_user(request, "Choose the mood to merge into in the box beside the action.", messages.ERROR)
            return None
        sources = queryset.exclude(pk=target.pk)
        if not sources.exists():
            self.message_user(request, "Select at least one mood other than the one to merge into.", messages.WARNING)
            return None
        if request.POST.get("post") != "yes":
            # Like a delete: a merge deletes moods, so it says what it will do first.
            return self._merge_confirmation(request, queryset, sources, target)
        with transaction.atomic():  # all the selected moods merge, or none does
            names = []
            for mood in sources:
                names.append(mood.name)
                mood_merge(source=mood, target=target)
        self.message_user(request, f"Merged {', '.join(names)} into “{target}”.", messages.SUCCESS)
        return None

    def _merge_confirmation(self, request, queryset, sources, target):
        has_target = TaggedFilm.objects.filter(tag=target).values("content_object_id")
        source_ids = list(sources.values_list("pk", flat=True))
        moving = (
            TaggedFilm.objects.filter(tag__in=source_ids)
            .exclude(content_object__in=has_target)
            .values("content_object")
            .distinct()
            .count()
        )
        # Counted afresh: the changelist's queryset carries its own film count.
        sources = (
            Mood.objects.filter(pk__in=source_ids)
            .annotate(
                num_films=Count("tagged_films"),
                num_moving=Count("tagged_films", filter=~Q(tagged_films__content_object__in=has_target)),
                num_already=Count("tagged_films", filter=Q(tagged_films__content_object__in=has_target)),
            )
            .order_by("name")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge moods into “{target}”?",
            "opts": self.opts,
            "sources": sources,
            "target": target,
            "target_films": has_target.count(),
            "moving": moving,
            "selected": queryset.values_list("pk", flat=True),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/films/mood/merge_confirmation.html", context)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "native_name", "slug"]
    list_filter = ["credits__role"]
    search_fields = ["name", "native_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = ["films__format"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["film", "role", "person"]
    list_filter = ["role"]
    search_fields = ["film__title", "person__name"]
    autocomplete_fields = ["film", "person"]
