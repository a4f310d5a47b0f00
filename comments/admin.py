from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html

from .models import BlockedWord, Comment
from .services import comments_moderate


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("held", "Awaiting moderation"), ("approved", "Approved"), ("spam", "Spam"), ("removed", "Removed")]

    def queryset(self, request, queryset):
        if self.value() == "removed":
            return queryset.removed().filter(is_spam=False)
        if self.value() in ("held", "approved", "spam"):
            return getattr(queryset, self.value())()
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """
    The moderation queue. Held comments come first (is_public=False and
    is_removed=False sort before the rest), newest first within each state.
    """

    list_display = ["excerpt", "author", "email", "article", "submitted_at", "status_label", "held_reason"]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, "held_reason", ("article", admin.RelatedOnlyFieldListFilter), "submitted_at"]
    search_fields = ["name", "email", "body", "ip_address", "article__title"]
    date_hierarchy = "submitted_at"
    ordering = ["is_public", "is_removed", "-submitted_at", "-pk"]
    list_select_related = ["article"]
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove"]
    readonly_fields = [
        "article", "parent", "name", "email", "body", "ip_address", "user_agent", "submitted_at",
        "status_label", "held_reason", "moderated_at", "moderated_by",
    ]
    fields = readonly_fields

    # Readers' text is isolated so a text-direction character in a name or
    # comment cannot reorder the columns after it on the moderator's screen.
    @admin.display(description="comment")
    def excerpt(self, obj):
        return format_html('<bdi dir="auto">{}</bdi>', truncatechars(obj.body, 80))

    @admin.display(description="name", ordering="name")
    def author(self, obj):
        return format_html("<bdi>{}</bdi>", obj.name)

    @admin.display(description="status", ordering="is_public")
    def status_label(self, obj):
        return format_html('<span class="comment-status comment-status-{}">{}</span>', obj.status, obj.status)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Nothing is deleted for real: removing keeps the row for review.
        actions.pop("delete_selected", None)
        return actions

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _moderate(self, request, queryset, action, done):
        count = comments_moderate(comments=queryset, action=action, moderator=request.user)
        self.message_user(request, f"{count} comment{'s' if count != 1 else ''} {done}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, "approve", "approved")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, "spam", "marked as spam")

    @admin.action(description="Remove selected comments", permissions=["moderate"])
    def remove(self, request, queryset):
        self._moderate(request, queryset, "remove", "removed")


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    search_fields = ["word"]
