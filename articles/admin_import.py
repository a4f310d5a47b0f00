"""
The admin's "Import a list" page: paste or upload, preview, confirm.

The preview is the real import run as a dry run (rolled back), so what the
editor sees is exactly what confirming will write. The text travels from
step to step in the form itself, so nothing is stored between requests and
the editor's typing survives every error.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .importer.repair import DecodeError, decode
from .services import AcceptedCredits, ListicleImportError, listicle_import

MAX_UPLOAD = 2 * 1024 * 1024


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the list", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100, "class": "vLargeTextField"}),
        help_text="Numbered entries (“1. Title (Original Title)”, “#1: Title”, “## 1. Title” …), "
        "an intro before them, a conclusion, hashtags and a date after them.",
    )
    upload = forms.FileField(label="…or upload a .txt or .md file", required=False)
    title = forms.CharField(
        max_length=200, required=False,
        help_text="Needed when the text has no title line; replaces it when it has one.",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    dek = forms.CharField(
        label="Standfirst", max_length=300, required=False,
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError("The file is larger than 2 MB; a list is never that long.")
            try:
                data["text"] = decode(upload.read())
            except DecodeError as e:
                raise forms.ValidationError(str(e)) from None
            # Show the uploaded text in the box, so the next step carries it.
            self.data = self.data.copy()
            self.data["text"] = data["text"]
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("The text is empty: paste a list or upload a .txt or .md file.")
        return data


# An import writes an article (or updates its earlier draft) and may add films,
# people, studios and credits to the catalogue: it needs the right to do each.
IMPORT_PERMISSIONS = [
    "articles.add_article", "articles.change_article", "articles.add_entry", "articles.change_entry",
    "films.add_film", "films.add_person", "films.add_studio", "films.add_credit",
]


def import_view(model_admin, request):
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report, errors = None, []
    if request.method == "POST" and form.is_valid():
        confirm = "confirm" in request.POST
        try:
            report = listicle_import(
                text=form.cleaned_data["text"], title=form.cleaned_data["title"] or None,
                dek=form.cleaned_data["dek"] or None, author=request.user,
                accept_credits=AcceptedCredits(request.POST.getlist("credit")), dry_run=not confirm,
            )
        except ListicleImportError as e:
            errors = e.messages
        else:
            if confirm:
                article = report.article
                verb = "Imported" if report.created else "Updated"
                messages.success(
                    request,
                    f"{verb} the draft “{article.title}” with {len(report.films)} entries. "
                    f"{len(report.warnings)} warning(s), {len(report.checks)} check(s) to look at.",
                )
                return redirect(reverse("admin:articles_article_change", args=[article.pk]))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import a list",
        "form": form,
        "report": report,
        "errors": errors,
    }
    return TemplateResponse(request, "admin/articles/article/import_listicle.html", context)
