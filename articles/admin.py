from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from core.admin_filters import InUseFilter
from films.services import film_create_unconfirmed

from .forms import EntryForm, EntryFormSet, KnownFilmsAutocomplete
from .models import Article, Entry, Hashtag
from .services import article_publish, article_unpublish, entries_renumber, entries_save_in_order


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
    fieldsets = [
        (None, {"fields": [("rank", "film"), "heading", "write_up"]}),
        ("New film", {
            "fields": [("new_film_title", "new_film_year", "new_film_format")],
            "classes": ["collapse", "new-film"],
            "description": "Not in the catalogue? Leave the film box empty and type the film here: it is "
            "created with the entry when you save, unconfirmed until a cataloguer checks it.",
        }),
    ]
    ordering = ["rank"]
    classes = ["entries"]
    template = "admin/articles/article/entries_inline.html"

    class Media:
        js = ["vendor/sortablejs/Sortable.min.js", "js/list-editor.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "film")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "film":
            kwargs["widget"] = KnownFilmsAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
            ordered = []
            for f in formset.ordered_forms_by_rank:
                entry = f.save(commit=False)
                if f.new_film is not None:
                    new = f.new_film
                    entry.film = film_create_unconfirmed(title=new.title, year=new.year, format=new.format)
                ordered.append(entry)
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
