from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation, IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import truncatechars
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article

from .forms import StaffReplyForm
from .models import BlockedWord, Comment
from .services import ReplyRefused, comment_reply_as_staff, comments_moderate

# One click per decision, from the queue's rows and the comment's own page.
# (action, button label, message) by what the comment is now.
ROW_ACTIONS = {
    "approve": ("Approve", "Approved the comment by {}."),
    "spam": ("Spam", "Marked the comment by {} as spam."),
    "remove": ("Remove", "Removed the comment by {}."),
}
ACTIONS_BY_STATUS = {
    "held": ["approve", "spam", "remove"],
    "approved": ["spam", "remove"],
    "removed": ["approve", "spam"],
    "spam": ["approve"],
}
MODERATION_FORM_ID = "comment-moderation"
REPLY_FORM_ID = "comment-reply"


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


class ListFilter(admin.SimpleListFilter):
    """
    By list: the lists with the newest comments awaiting moderation (what a
    moderator works through), and the list chosen. Every list with a comment
    would be 10,000 links at magazine scale; any list's comments are a search
    for its title away.
    """

    title = "list"
    parameter_name = "article"
    shown = 12

    def lookups(self, request, model_admin):
        newest_held = Comment.objects.held().order_by("-submitted_at").values_list("article_id", flat=True)
        ids = list(dict.fromkeys(newest_held[: self.shown * 20]))[: self.shown]
        if self.value() and self.value().isdigit():
            ids.append(int(self.value()))
        return [
            (str(pk), title)
            for pk, title in Article.objects.filter(pk__in=ids).values_list("pk", "title").order_by("title")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdigit():
            raise IncorrectLookupParameters("No such list.")
        return queryset.filter(article_id=int(self.value()))


def can_reply(comment):
    return not comment.is_removed


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """
    The moderation queue. Held comments come first (is_public=False and
    is_removed=False sort before the rest), newest first within each state.
    Each row approves, marks as spam or removes in one click (a POST with
    CSRF, back to the same filtered page) and links to a staff reply.

    Nothing here edits a reader's words: the comment's page is read-only and
    offers the same decisions and the reply instead of Save buttons.
    """

    # Four columns and the buttons, so the queue fits a 1280 px screen beside
    # the admin's sidebar and filters: who, where and how reach in one cell.
    list_display = ["excerpt", "author", "sent", "status_label"]
    list_display_links = ["excerpt"]
    # No date hierarchy: its years are a DISTINCT over every comment (0.6 s at
    # 200,000); the submitted-at filter (today, past 7 days, this month, this year) costs none.
    list_filter = [StatusFilter, "held_reason", ListFilter, "submitted_at"]
    search_fields = ["name", "email", "body", "ip_address", "article__title"]
    ordering = ["is_public", "is_removed", "-submitted_at", "-pk"]
    list_select_related = ["article"]
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove"]
    readonly_fields = [
        "article",
        "parent",
        "name",
        "email",
        "body",
        "ip_address",
        "user_agent",
        "submitted_at",
        "status_label",
        "held_reason",
        "by_staff",
        "moderated_at",
        "moderated_by",
    ]
    fields = readonly_fields
    change_list_template = "admin/comments/comment/change_list.html"
    change_form_template = "admin/comments/comment/change_form.html"

    class Media:
        css = {"all": ["css/admin_comments.css"]}

    # Readers' text is isolated so a text-direction character in a name or
    # comment cannot reorder the columns after it on the moderator's screen.
    @admin.display(description="comment")
    def excerpt(self, obj):
        return format_html('<bdi dir="auto">{}</bdi>', truncatechars(obj.body, 80))

    @admin.display(description="from", ordering="name")
    def author(self, obj):
        staff = (
            format_html(' <span class="comment-status comment-status-staff">{}</span>', "staff") if obj.by_staff else ""
        )
        return format_html(
            '<bdi class="comment-from-name">{}</bdi>{}<span class="comment-from-detail">{}</span>'
            '<span class="comment-from-detail">on “{}”</span>',
            obj.name,
            staff,
            obj.email or "no email",
            obj.article.title,
        )

    @admin.display(description="sent", ordering="submitted_at")
    def sent(self, obj):
        when = timezone.localtime(obj.submitted_at)
        return format_html('<time datetime="{}">{}</time>', when.isoformat(), date_format(when, "j M Y H:i"))

    @admin.display(description="status", ordering="is_public")
    def status_label(self, obj):
        label = format_html('<span class="comment-status comment-status-{}">{}</span>', obj.status, obj.status)
        if obj.status == "held" and obj.held_reason:
            return format_html('{}<span class="comment-held-reason">{}</span>', label, obj.get_held_reason_display())
        return label

    @admin.display(description="moderate")
    def row_actions(self, obj):
        buttons = format_html_join(
            "",
            '<button type="submit" class="button comment-action comment-action-{}" form="{}" formaction="{}" '
            'name="action" value="{}" aria-label="{} the comment by {}">{}</button>',
            (
                (
                    action,
                    MODERATION_FORM_ID,
                    self.moderate_url(obj),
                    action,
                    ROW_ACTIONS[action][0],
                    obj.name,
                    ROW_ACTIONS[action][0],
                )
                for action in ACTIONS_BY_STATUS[obj.status]
            ),
        )
        reply = ""
        if can_reply(obj):
            reply = format_html(
                '<a class="button comment-action comment-action-reply" href="{}" aria-label="Reply to {}">Reply</a>',
                reverse("admin:comments_comment_reply", args=[obj.pk]),
                obj.name,
            )
        return format_html('<div class="comment-row-actions">{}{}</div>', buttons, reply)

    @staticmethod
    def moderate_url(obj):
        return reverse("admin:comments_comment_moderate", args=[obj.pk])

    def get_list_display(self, request):
        if self.has_moderate_permission(request):
            return [*self.list_display, "row_actions"]
        return self.list_display

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Nothing is deleted for real: removing keeps the row for review.
        actions.pop("delete_selected", None)
        return actions

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A reader's words are never edited: the page shows the comment with
        # the moderation buttons and the reply form, and no Save buttons.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/moderate/",
                self.admin_site.admin_view(require_POST(self.moderate_view)),
                name="comments_comment_moderate",
            ),
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(require_http_methods(["GET", "HEAD", "POST"])(self.reply_view)),
                name="comments_comment_reply",
            ),
        ]
        return own + super().get_urls()

    def _comment_or_404(self, request, object_id):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            raise Http404("No such comment.")
        return comment

    def _next_url(self, request, value, default):
        if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
            return value
        return default

    def queue_url(self):
        return reverse("admin:comments_comment_changelist")

    def moderate_view(self, request, object_id):
        comment = self._comment_or_404(request, object_id)
        action = request.POST.get("action")
        back = self._next_url(request, request.POST.get("next"), self.queue_url())
        if action not in ACTIONS_BY_STATUS.get(comment.status, ()):
            self.message_user(request, f"The comment by {comment.name} is already {comment.status}.", messages.WARNING)
            return HttpResponseRedirect(back)
        comments_moderate(comments=Comment.objects.filter(pk=comment.pk), action=action, moderator=request.user)
        self.message_user(request, ROW_ACTIONS[action][1].format(comment.name.rstrip(".")), messages.SUCCESS)
        return HttpResponseRedirect(back)

    def reply_view(self, request, object_id):
        comment = self._comment_or_404(request, object_id)
        back = self._next_url(
            request,
            request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER"),
            reverse("admin:comments_comment_change", args=[comment.pk]),
        )
        if request.method == "POST":
            form = StaffReplyForm(request.POST)
            if form.is_valid():
                try:
                    reply = comment_reply_as_staff(
                        parent=comment,
                        name=form.cleaned_data["name"],
                        body=form.cleaned_data["body"],
                        user=request.user,
                    )
                except ReplyRefused as refusal:
                    form.add_error(None, str(refusal))
                else:
                    self.message_user(
                        request,
                        format_html(
                            'Your reply to {} is published. <a href="{}">See it on the list</a>.',
                            comment.name,
                            reply.get_absolute_url(),
                        ),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(back)
        else:
            form = StaffReplyForm(initial={"name": StaffReplyForm.default_name(request.user)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reply to {comment.name}",
            "original": comment,
            "form": form,
            "next": back,
            "media": self.media + form.media,
        }
        return TemplateResponse(
            request, "admin/comments/comment/reply.html", context, status=400 if form.errors else 200
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, unquote(object_id))
        extra = {}
        if comment is not None and self.has_moderate_permission(request):
            extra = {
                "moderation_actions": [
                    (action, ROW_ACTIONS[action][0]) for action in ACTIONS_BY_STATUS[comment.status]
                ],
                "moderation_form_id": MODERATION_FORM_ID,
                "reply_form_id": REPLY_FORM_ID,
                "reply_form": StaffReplyForm(
                    form_id=REPLY_FORM_ID, initial={"name": StaffReplyForm.default_name(request.user)}
                )
                if can_reply(comment)
                else None,
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

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
