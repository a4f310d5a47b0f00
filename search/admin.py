from django.contrib import admin

from .models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are built from the models, never typed."""

    list_display = ["title", "kind", "object_id", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
