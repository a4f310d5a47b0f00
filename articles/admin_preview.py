"""
The change form's Preview button: the list as the form stands, before it is
saved. The button sends the whole form (`formaction` here, `formtarget` a tab
of its own, so the editor's page neither reloads nor loses a keystroke). The
form goes through the admin's own save path — the same checks, rank rules and
new films as Save — inside a transaction that is always rolled back: the page
is rendered from the would-be rows, then nothing of them remains.

What the rollback cannot take back is kept out of the save: uploaded files
(they would be written to storage) and messages for the next page. Saving
bumps the page cache's generation at once, as every write does, so public
pages miss once after a preview; they are rendered again from the rows as
they were.
"""

from django.contrib.admin.utils import unquote
from django.db import router, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict

# The name of the browser tab previews open in: every preview reuses it.
PREVIEW_TARGET = "list-preview"


class _Unsent:
    """Messages a preview's save would leave for the editor's next page: there is no next page."""

    def add(self, *args, **kwargs):
        pass

    def __iter__(self):
        return iter(())


def is_unsaved_preview(request):
    return getattr(request, "unsaved_preview", False)


def preview_view(model_admin, request, object_id=None):
    """Render the posted form as the public page would show it, and keep nothing."""
    if request.method != "POST":
        # Opened by address: there is no form to show.
        if object_id is None:
            return redirect(reverse("admin:articles_article_add"))
        return redirect(reverse("admin:articles_article_change", args=[unquote(object_id)]))
    request.unsaved_preview = True
    request.preview_files_left_out = sorted({f.field_name for f in request.FILES.values()} if request.FILES else ())
    request._files = MultiValueDict()  # never written to storage by a save that is undone
    messages = getattr(request, "_messages", None)
    with transaction.atomic(using=router.db_for_write(model_admin.model)):
        request._messages = _Unsent()
        try:
            response = model_admin.changeform_view(request, object_id)
        finally:
            if messages is not None:
                request._messages = messages
        if hasattr(response, "render"):
            response.render()  # from the would-be rows, before they are undone
        transaction.set_rollback(True)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_page(request, article):
    """The public page of `article` as saved a moment ago (inside the preview's transaction)."""
    from .views import UnsavedPreviewView

    view = UnsavedPreviewView()
    view.setup(request, slug=article.slug, pk=article.pk)
    view.files_left_out = getattr(request, "preview_files_left_out", [])
    return view.get(request, slug=article.slug, pk=article.pk)


def preview_refused(request, context):
    """Why the form cannot be previewed (the errors Save would show); the editor's tab still has it all."""
    context = {**context, "is_nav_sidebar_enabled": False}  # a tab of its own, not a place to browse from
    return TemplateResponse(request, "admin/articles/article/preview_refused.html", context)
