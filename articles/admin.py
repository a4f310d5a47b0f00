from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from core.admin_filters import InUseFilter

from .forms import EntryForm, EntryFormSet
from .models import Article, Entry, Hashtag
from .services import article_publish, article_unpublish, entries_renumber, entries_save_in_order


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
        ("Publishing", {"fields": ["status", "published_at", "hashtags", "comments_open"]}),
        ("Text", {"fields": ["intro", "conclusion", "sign_off"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_urls(self):
        from django.urls import path

        from .admin_import import import_view

        view = self.admin_site.admin_view(lambda request: import_view(self, request))
        return [path("import/", view, name="articles_article_import"), *super().get_urls()]

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

    # At magazine scale counting every match for "Show all" was a second full scan.
    show_full_result_count = False
    list_select_related = ["author"]

    def get_queryset(self, request):
        from django.db.models import Count, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        # A correlated count, worked out for the page's rows only; Count()
        # over the join grouped all 200,000 entries before the LIMIT.
        entries = Entry.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk")).values("n")
        return super().get_queryset(request).select_related("author").annotate(
            num_entries=Coalesce(Subquery(entries), 0)
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
