from django.contrib import admin

from .models import OldSlug


@admin.register(OldSlug)
class OldSlugAdmin(admin.ModelAdmin):
    list_display = ["slug", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["slug"]
