from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from core.admin_filters import InUseFilter
from core.admin_search import SubquerySearch
from films.models import Film

from .admin_preview import PREVIEW_TARGET, is_unsaved_preview, preview_page, preview_refused, preview_view
from .forms import ArticleForm, EntryForm, EntryFormSet, KnownFilmsAutocomplete
from .models import Article, Entry, Hashtag, State, TaggedArticle
from .revisions import acting_user
from .services import (
    EditConflict,
    ListEdit,
    article_publish,
    article_save,
    article_schedule,
    article_send_back,
    article_submit,
    article_unpublish,
    entries_renumber,
    goes_live_words,
)
from .widgets import HashtagInput

# The change page's publishing buttons (their `name`s) and who may press them.
EDITOR_BUTTONS = {"_publish", "_schedule", "_unpublish", "_send_back"}
WRITER_BUTTONS = {"_submit"}


class SaveRefused(Exception):
    """Raised inside the admin's save transaction to undo it and show the form again, typing kept."""

    def __init__(self, message, conflict=None):
        super().__init__(message)
        self.message, self.conflict = message, conflict


class StateFilter(admin.SimpleListFilter):
    """Draft, in review, scheduled or published: status alone cannot tell scheduled from live."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        return {
            State.DRAFT: lambda: queryset.filter(status=Article.Status.DRAFT),
            State.REVIEW: lambda: queryset.filter(status=Article.Status.REVIEW),
            State.SCHEDULED: lambda: queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now),
            State.PUBLISHED: lambda: queryset.published(),
        }.get(self.value(), lambda: queryset)()


class EntryInline(admin.StackedInline):
    """
    The entries as a list to read and reorder: one line each, opened in place
    to edit (templates/admin/articles/article/entries_inline.html), dragged or
    moved from the keyboard by static/js/list-editor.js. The rank boxes stay
    the one way ranks reach the server, so the page works without JavaScript.
    """

    model = Entry
    form = EntryForm
    formset = EntryFormSet
    extra = 1
    autocomplete_fields = ["film"]
    # "New film" sits right under the film box: where the film box sends an
    # editor when the catalogue has no such film (static/js/film-box.js).
    fieldsets = [
        (None, {"fields": [("rank", "film")]}),
        (
            "New film",
            {
                "fields": [("new_film_title", "new_film_year", "new_film_format")],
                "classes": ["collapse", "new-film"],
                "description": "Not in the catalogue? Leave the film box empty and type the film here: it is "
                "created with the entry when you save, unconfirmed until a cataloguer checks it.",
            },
        ),
        (None, {"fields": ["heading", "write_up"]}),
    ]
    ordering = ["rank"]
    classes = ["entries"]
    template = "admin/articles/article/entries_inline.html"

    class Media:
        js = ["vendor/sortablejs/Sortable.min.js", "js/list-editor.js", "js/film-box.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "film")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "film":
            kwargs["widget"] = KnownFilmsAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _ranking_a_film_titled(term):
    films = Film.objects.filter(title__icontains=term).values("pk")
    return Q(pk__in=Entry.objects.filter(film__in=films).values("article_id"))


def _tagged_with_a_hashtag_named(term):
    hashtags = Hashtag.objects.filter(name__icontains=term).values("pk")
    return Q(pk__in=TaggedArticle.objects.filter(tag__in=hashtags).values("content_object_id"))


@admin.register(Article)
class ArticleAdmin(SubquerySearch, admin.ModelAdmin):
    list_display = ["title", "state_label", "published_at", "entry_count", "author", "site_link"]
    list_filter = [StateFilter, ("published_at", admin.DateFieldListFilter), "hashtags", "author"]
    # A list's words, the films it ranks and its hashtags (core/admin_search.py).
    search_fields = ["title", "dek", "intro"]
    related_search = [_ranking_a_film_titled, _tagged_with_a_hashtag_named]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "editorial_checks", "publication", "review_history"]
    form = ArticleForm
    inlines = [EntryInline]
    actions = ["publish_now", "unpublish", "renumber"]
    save_on_top = True
    # The writing in reading order, the entries between intro and conclusion;
    # the rest beside it (change_form.html places each by its desk-* class).
    fieldsets = [
        (None, {"fields": ["title", "dek", "intro"], "classes": ["desk-writing"]}),
        (None, {"fields": ["conclusion", "sign_off"], "classes": ["desk-after-entries"]}),
        # State and time change only through the publishing buttons, which stamp the moment they are pressed.
        (
            "Publishing",
            {"fields": ["publication", "hashtags", "comments_open", "show_rank_changes"], "classes": ["desk-side"]},
        ),
        # What an editor should fix before publishing.
        ("Editorial checks", {"fields": ["editorial_checks"], "classes": ["desk-side"]}),
        ("Review", {"fields": ["review_history"], "classes": ["desk-side"]}),
        ("Byline and address", {"fields": ["author", "byline_text", "slug"], "classes": ["desk-side"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"], "classes": ["collapse", "desk-side"]}),
        (
            "Search engines and sharing",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse", "desk-side"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse", "desk-side"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/schedule-words.js", "js/autosave.js", "js/char-count.js", "js/prose-tools.js", "js/presence.js"]

    def get_fieldsets(self, request, obj=None):
        # A section with something in it stays open: a folded box hides what
        # was typed there after every save.
        filled = {"Search engines and sharing": ("seo_title", "seo_description"), "Featured image": ("featured_image",)}
        return [
            (name, {**options, "classes": [c for c in options.get("classes", []) if c != "collapse"]})
            if obj is not None and any(getattr(obj, f, None) for f in filled.get(name, ()))
            else (name, options)
            for name, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "hashtags":
            kwargs["widget"] = HashtagInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        from .admin_autosave import autosave_view
        from .admin_calendar import calendar_view, reschedule_view
        from .admin_history import restore_view, share_view
        from .admin_import import import_view

        view = self.admin_site.admin_view(lambda request: import_view(self, request))
        calendar = self.admin_site.admin_view(lambda request: calendar_view(self, request))
        reschedule = self.admin_site.admin_view(lambda request, pk: reschedule_view(self, request, pk))
        preview = self.admin_site.admin_view(lambda request, object_id=None: preview_view(self, request, object_id))
        autosave = self.admin_site.admin_view(lambda request, object_id=None: autosave_view(self, request, object_id))
        from .admin_presence import presence_view

        presence = self.admin_site.admin_view(lambda request, object_id: presence_view(self, request, object_id))
        return [
            path("import/", view, name="articles_article_import"),
            path("add/autosave/", autosave, name="articles_article_autosave_add"),
            path("<path:object_id>/autosave/", autosave, name="articles_article_autosave"),
            path("<path:object_id>/presence/", presence, name="articles_article_presence"),
            path("add/preview/", preview, name="articles_article_preview_add"),
            path("<path:object_id>/preview/", preview, name="articles_article_preview"),
            path("calendar/", calendar, name="articles_article_calendar"),
            path("calendar/<int:pk>/schedule/", reschedule, name="articles_article_reschedule"),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                self.admin_site.admin_view(
                    lambda request, object_id, revision_id: restore_view(self, request, object_id, revision_id)
                ),
                name="articles_article_restore",
            ),
            path(
                "<path:object_id>/share/",
                self.admin_site.admin_view(lambda request, object_id: share_view(self, request, object_id)),
                name="articles_article_share",
            ),
            *super().get_urls(),
        ]

    # --- Roles: writers change their own unpublished lists; publishing is the editors' ---

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or self.has_publish_permission(request):
            return True
        return obj.author_id == request.user.pk and obj.status != Article.Status.PUBLISHED

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # A writer's lists are their own: the byline is not theirs to give away.
        return fields if self.has_publish_permission(request) else [*fields, "author", "byline_text"]

    def get_object(self, request, object_id, from_field=None):
        # A save (a POST inside the change form's transaction) reads the list's
        # row for update, before its entries: until the save ends nobody else
        # writes the list, so what the form is checked against (the entries,
        # EntryFormSet._added_meanwhile; the version) is what the save writes over.
        if request.method != "POST" or not transaction.get_connection().in_atomic_block:
            return super().get_object(request, object_id, from_field)
        field = Article._meta.pk if from_field is None else Article._meta.get_field(from_field)
        try:
            return Article.objects.select_for_update().get(**{field.name: field.to_python(object_id)})
        except (Article.DoesNotExist, ValidationError, ValueError):
            return None

    def save_model(self, request, obj, form, change):
        # Nothing is written yet: the list, its hashtags and entries are saved
        # in one pass with the button pressed (save_related).
        if not change and not self.has_publish_permission(request):
            obj.author = request.user

    # --- The publishing buttons -----------------------------------------------------

    def _button(self, request):
        return next((name for name in [*EDITOR_BUTTONS, *WRITER_BUTTONS] if name in request.POST), None)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and self._button(request) in EDITOR_BUTTONS:
            if not self.has_publish_permission(request):
                raise PermissionDenied
        with acting_user(request.user):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except SaveRefused as refused:
                # The save's transaction is undone; show the form again with
                # everything the editor typed and what stopped the save.
                request._save_refused = refused
                if refused.conflict is not None:
                    request.POST = request.POST.copy()
                    request.POST["seen_version"] = str(refused.conflict.current)
                context = {**(extra_context or {}), "edit_conflict": refused.conflict}
                return super().changeform_view(request, object_id, form_url, context)

    # --- Revisions and edit conflicts ---------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """The change page's "History" button: revisions with their differences, and restore."""
        from .admin_history import history_view

        return history_view(self, request, object_id)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "_save_refused", None)
        if refused is not None:
            form = type(
                form.__name__,
                (form,),
                {
                    "refusal": refused.message,
                    "refusal_is_conflict": refused.conflict is not None,
                },
            )
        return form

    # Django logs an addition or a change only once the form is saved: the
    # working copy autosave kept of it is then done with (admin_autosave.py).
    def log_addition(self, request, obj, message):
        from .admin_autosave import working_copy_discard

        working_copy_discard(user=request.user, article=None)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        from .admin_autosave import working_copy_discard

        working_copy_discard(user=request.user, article=obj)
        return super().log_change(request, obj, message)

    def construct_change_message(self, request, form, formsets, add=False):
        # The version fields change on every save; they are not the editor's change.
        form.changed_data[:] = [n for n in form.changed_data if n not in ArticleForm.bookkeeping]
        return super().construct_change_message(request, form, formsets, add)

    def changelist_view(self, request, extra_context=None):
        with acting_user(request.user):  # the actions' revisions are by whoever ran them
            return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        can_publish = self.has_publish_permission(request)
        state = obj.state if obj is not None and obj.pk else State.DRAFT
        context["publishing"] = {
            "state": state,
            "can_publish": can_publish,
            "can_submit": not can_publish and state == State.DRAFT,
            "words": goes_live_words(obj.published_at) if state == State.SCHEDULED else "",
            "time_zone": settings.TIME_ZONE,
            "preview_url": reverse("admin:articles_article_preview", args=[obj.pk])
            if obj is not None and obj.pk
            else reverse("admin:articles_article_preview_add"),
            "preview_target": PREVIEW_TARGET,
        }
        note = self._sent_back(obj) if obj is not None and obj.pk else None
        if note:
            context["publishing"]["sent_back"] = {
                "who": self._who(note.user),
                "when": self._when(note.at),
                "note": note.note,
            }
        if is_unsaved_preview(request):
            # The Preview button's form does not hold: say why in the preview's tab.
            return preview_refused(request, context)
        from .admin_autosave import autosave_context

        context["autosave"] = autosave_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        """
        One service call per button: the list saved once with its hashtags
        and the entries that changed, the step through review if a button
        took one, one revision; refused as a whole (the form shown again with
        everything typed) on an edit conflict or a rule of the list.
        """
        data, article, by = form.cleaned_data, form.instance, request.user
        base = data["seen_version"] if data.get("overwrite") and data.get("seen_version") else data.get("version")
        edit = ListEdit(
            base=base if change else None,
            hashtags=data.get("hashtags") if "hashtags" in form.changed_data else None,
        )
        entries = next((f for f in formsets if f.model is Entry), None)
        if entries is not None:
            entries.save(commit=False)  # what changed, for the change message; writes nothing
            edit.entries, edit.deleted = _entries_in_order(entries), list(entries.deleted_objects)
        button = self._button(request)
        if button == "_submit" and article.pk is None:
            # Submitted from the add page: the review mail needs the list's
            # address, so the new list is saved first, then submitted.
            _refused_as_form(article_save, article=article, by=by, edit=edit)
            edit = ListEdit(base=article.version)
        review_url = (
            request.build_absolute_uri(reverse("admin:articles_article_change", args=[article.pk]))
            if article.pk
            else ""
        )
        if button == "_publish":
            _refused_as_form(article_publish, article=article, by=by, edit=edit)
        elif button == "_schedule":
            _refused_as_form(article_schedule, article=article, at=form.schedule_at, by=by, edit=edit)
        elif button == "_unpublish":
            _refused_as_form(article_unpublish, article=article, by=by, edit=edit)
        elif button == "_send_back":
            _refused_as_form(
                article_send_back, article=article, by=by, note=data["review_note"], review_url=review_url, edit=edit
            )
        elif button == "_submit" and article.status == Article.Status.DRAFT:
            _refused_as_form(article_submit, article=article, by=by, review_url=review_url, edit=edit)
        else:
            _refused_as_form(article_save, article=article, by=by, edit=edit)
        for formset in formsets:
            if formset is not entries:
                self.save_formset(request, form, formset, change=change)
        if entries is not None and entries.renumbered:
            messages.info(request, f"Ranks were renumbered 1–{len(edit.entries)} to make room.")

    def _after_button(self, request, obj):
        said = {
            "_publish": "“{}” is published.",
            "_schedule": "“{}” is scheduled: it " + (goes_live_words(obj.published_at) if obj.pk else "") + ".",
            "_unpublish": "“{}” is off the site, back to draft.",
            "_send_back": "“{}” went back to its writer as a draft, with your note.",
            "_submit": "“{}” is in review: the editors have been told.",
        }[self._button(request)]
        self.message_user(request, said.format(obj.title), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def response_change(self, request, obj):
        if is_unsaved_preview(request):
            return preview_page(request, obj)
        if self._button(request):
            return self._after_button(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if is_unsaved_preview(request):
            return preview_page(request, obj)
        if self._button(request):
            return self._after_button(request, obj)
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description="state")
    def publication(self, obj):
        state = obj.state if obj.pk else State.DRAFT
        words = format_html("<strong>{}</strong>", state.label)
        if state == State.SCHEDULED:
            words = format_html("{}: it {}", words, goes_live_words(obj.published_at))
        elif state == State.PUBLISHED:
            words = format_html("{} since {}", words, self._when(obj.published_at))
        return words  # an editor's send-back note opens the form (change_form.html), where the writer sees it first

    @admin.display(description="steps")
    def review_history(self, obj):
        steps = self._steps(obj)
        if not steps:
            return "No steps yet: the list has not been submitted, scheduled or published."
        return format_html(
            '<ol class="review-history">{}</ol>',
            format_html_join(
                "",
                "<li>{}: {} → {} by {}{}</li>",
                (
                    (
                        self._when(s.at),
                        s.get_from_state_display(),
                        s.get_to_state_display(),
                        self._who(s.user),
                        format_html(" — “{}”", s.note) if s.note else "",
                    )
                    for s in steps
                ),
            ),
        )

    def _steps(self, obj):
        if obj is None or obj.pk is None:
            return []
        if not hasattr(obj, "_review_steps"):
            obj._review_steps = list(obj.transitions.select_related("user"))
        return obj._review_steps

    def _sent_back(self, obj):
        """The latest step, when it sent the list back to draft with a note the writer still has to act on."""
        steps = self._steps(obj)
        latest = steps[0] if steps else None
        if latest and latest.from_state == State.REVIEW and latest.to_state == State.DRAFT and latest.note:
            return latest if obj.status == Article.Status.DRAFT else None
        return None

    @staticmethod
    def _who(user):
        # Imports and the demo loader act as no one; a deleted user leaves no one too.
        return (user.get_full_name() or user.get_username()) if user else "a command or a removed account"

    @staticmethod
    def _when(at):
        return date_format(timezone.localtime(at), "D j M Y, H:i")

    @admin.display(description="state", ordering="status")
    def state_label(self, obj):
        state = obj.state
        if state == State.SCHEDULED:
            return "Scheduled for " + self._when(obj.published_at)
        return state.label

    @admin.display(description="checks")
    def editorial_checks(self, obj):
        from .checks import article_checks

        if obj is None or obj.pk is None:
            return "Checks run once the list is saved."
        found = article_checks(obj)
        if not found:
            return "All checks pass."
        return format_html_join("", '<p class="errornote">{}</p>', ((m,) for m in found))

    # At magazine scale counting every match for "Show all" was a second full scan.
    show_full_result_count = False
    list_select_related = ["author"]

    def get_queryset(self, request):
        # A correlated count, worked out for the page's rows only; Count()
        # over the join grouped all 200,000 entries before the LIMIT.
        entries = (
            Entry.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super().get_queryset(request).select_related("author").annotate(num_entries=Coalesce(Subquery(entries), 0))
        )

    @admin.display(description="entries", ordering="num_entries")
    def entry_count(self, obj):
        return obj.num_entries

    @admin.display(description="on the site")
    def site_link(self, obj):
        if obj.is_live:
            return format_html('<a href="{}">View</a>', obj.get_absolute_url())
        return format_html('<a href="{}">Preview</a>', obj.get_preview_url())

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else obj.get_preview_url()

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.action(description="Publish selected lists now", permissions=["publish"])
    @transaction.atomic  # every selected list, or none
    def publish_now(self, request, queryset):
        for article in queryset:
            article_publish(article=article, by=request.user)
        self.message_user(request, f"Published {len(queryset)} list(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected lists (back to draft)", permissions=["publish"])
    @transaction.atomic  # every selected list, or none
    def unpublish(self, request, queryset):
        for article in queryset:
            article_unpublish(article=article, by=request.user)
        self.message_user(request, f"Moved {len(queryset)} list(s) back to draft.", messages.SUCCESS)

    @admin.action(description="Renumber entries 1…N (closes gaps)", permissions=["change"])
    @transaction.atomic  # every selected list, or none
    def renumber(self, request, queryset):
        queryset = [a for a in queryset if self.has_change_permission(request, a)]  # a writer's own drafts only
        for article in queryset:
            entries_renumber(article=article)
        self.message_user(request, f"Renumbered {len(queryset)} list(s).", messages.SUCCESS)


def _refused_as_form(service, **kwargs):
    """Call `service`; an edit conflict or a broken rule undoes the save and shows the form again (SaveRefused)."""
    try:
        return service(**kwargs)
    except EditConflict as conflict:
        raise SaveRefused(_conflict_message(conflict), conflict=conflict) from None
    except ValidationError as e:
        raise SaveRefused(" ".join(e.messages)) from None


def _entries_in_order(formset):
    """The formset's entries, saved and new, in their new order (nothing written: the service writes them)."""
    ordered = []
    for form in formset.ordered_forms_by_rank:
        entry = form.save(commit=False)
        if form.new_film is not None:
            entry.film = form.new_film  # created with the entry, unconfirmed (articles.services)
        ordered.append(entry)
    return ordered


def _conflict_message(conflict):
    return (
        f"Someone else saved this list after you opened it (it is now at version {conflict.current}; "
        f"your page was based on version {conflict.base}). Nothing was saved, and everything you typed "
        "is still below. Compare with their changes, then tick “Overwrite their changes” and save."
    )


class HashtagInUseFilter(InUseFilter):
    relation = "tagged_articles"


@admin.register(Hashtag)
class HashtagAdmin(admin.ModelAdmin):
    list_filter = [HashtagInUseFilter]
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_articles=Count("tagged_articles"))

    @admin.display(description="lists", ordering="num_articles")
    def article_count(self, obj):
        url = reverse("admin:articles_article_changelist") + f"?hashtags__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.num_articles)
