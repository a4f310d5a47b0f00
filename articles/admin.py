from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from core.admin_filters import InUseFilter

from .forms import ArticleForm, EntryForm, EntryFormSet
from .models import Article, Entry, Hashtag
from .revisions import acting_user, article_revision_record
from .services import (
    EditConflict, article_publish, article_unpublish, article_version_check, entries_renumber,
    entries_save_in_order,
)


class SaveRefused(Exception):
    """Raised inside the admin's save transaction to undo it and show the form again, typing kept."""

    def __init__(self, message, conflict=None):
        super().__init__(message)
        self.message, self.conflict = message, conflict


class EntryInline(admin.StackedInline):
    model = Entry
    form = EntryForm
    formset = EntryFormSet
    extra = 1
    autocomplete_fields = ["film"]
    fields = [("rank", "film"), "heading", "write_up"]
    ordering = ["rank"]
    classes = ["entries"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "status", "published_at", "entry_count", "author", "site_link"]
    list_filter = ["status", ("published_at", admin.DateFieldListFilter), "hashtags", "author"]
    search_fields = ["title", "dek", "intro", "entries__film__title", "hashtags__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "editorial_checks"]
    inlines = [EntryInline]
    actions = ["publish_now", "unpublish", "renumber"]
    save_on_top = True
    fieldsets = [
        # The checks come first: what an editor should fix before publishing.
        ("Editorial checks", {"fields": ["editorial_checks"]}),
        (None, {"fields": ["title", "slug", "dek", "author"]}),
        ("Publishing", {"fields": ["status", "published_at", "hashtags", "comments_open", "show_rank_changes"]}),
        ("Text", {"fields": ["intro", "conclusion", "sign_off"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_urls(self):
        from django.urls import path

        from .admin_history import restore_view, share_view
        from .admin_import import import_view

        wrap = self.admin_site.admin_view
        view = wrap(lambda request: import_view(self, request))
        return [
            path("import/", view, name="articles_article_import"),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                wrap(lambda request, object_id, revision_id: restore_view(self, request, object_id, revision_id)),
                name="articles_article_restore",
            ),
            path(
                "<path:object_id>/share/",
                wrap(lambda request, object_id: share_view(self, request, object_id)),
                name="articles_article_share",
            ),
            *super().get_urls(),
        ]

    # --- Revisions and edit conflicts ---------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """The change page's "History" button: revisions with their differences, and restore."""
        from .admin_history import history_view

        return history_view(self, request, object_id)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "_save_refused", None)
        if refused is not None:
            form = type(form.__name__, (form,), {"refusal": refused.message})
        return form

    def save_model(self, request, obj, form, change):
        if change:
            data = form.cleaned_data
            base = data["seen_version"] if data.get("overwrite") and data.get("seen_version") else data.get("version")
            try:
                article_version_check(article=obj, base=base)
            except EditConflict as conflict:
                raise SaveRefused(_conflict_message(conflict), conflict=conflict) from None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        from django.core.exceptions import ValidationError

        try:
            super().save_related(request, form, formsets, change)
        except ValidationError as e:
            raise SaveRefused(" ".join(e.messages)) from None
        article_revision_record(article=form.instance, user=request.user)

    def construct_change_message(self, request, form, formsets, add=False):
        # The version fields change on every save; they are not the editor's change.
        form.changed_data[:] = [n for n in form.changed_data if n not in ArticleForm.bookkeeping]
        return super().construct_change_message(request, form, formsets, add)

    def changelist_view(self, request, extra_context=None):
        with acting_user(request.user):  # the actions' revisions are by whoever ran them
            return super().changelist_view(request, extra_context)

    @admin.display(description="checks")
    def editorial_checks(self, obj):
        from django.utils.html import format_html_join

        from .checks import article_checks

        if obj is None or obj.pk is None:
            return "Checks run once the list is saved."
        found = article_checks(obj)
        if not found:
            return "All checks pass."
        return format_html_join("", '<p class="errornote">{}</p>', ((m,) for m in found))

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).select_related("author").annotate(
            num_entries=Count("entries", distinct=True)
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

    def save_formset(self, request, form, formset, change):
        if formset.model is not Entry:
            return super().save_formset(request, form, formset, change)
        with transaction.atomic():
            formset.save(commit=False)
            for entry in formset.deleted_objects:
                entry.delete()
            ordered = [f.save(commit=False) for f in formset.ordered_forms_by_rank]
            entries_save_in_order(article=form.instance, entries=ordered)
        if formset.renumbered:
            messages.info(request, "Ranks were renumbered 1–%d to make room." % len(ordered))

    @admin.action(description="Publish selected lists now", permissions=["change"])
    @transaction.atomic  # every selected list, or none
    def publish_now(self, request, queryset):
        for article in queryset:
            article_publish(article=article)
        self.message_user(request, f"Published {len(queryset)} list(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected lists (back to draft)", permissions=["change"])
    @transaction.atomic  # every selected list, or none
    def unpublish(self, request, queryset):
        for article in queryset:
            article_unpublish(article=article)
        self.message_user(request, f"Moved {len(queryset)} list(s) back to draft.", messages.SUCCESS)

    @admin.action(description="Renumber entries 1…N (closes gaps)", permissions=["change"])
    @transaction.atomic  # every selected list, or none
    def renumber(self, request, queryset):
        for article in queryset:
            entries_renumber(article=article)
        self.message_user(request, f"Renumbered {len(queryset)} list(s).", messages.SUCCESS)


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
        from django.db.models import Count

        return super().get_queryset(request).annotate(num_articles=Count("tagged_articles"))

    @admin.display(description="lists", ordering="num_articles")
    def article_count(self, obj):
        url = reverse("admin:articles_article_changelist") + f"?hashtags__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.num_articles)
