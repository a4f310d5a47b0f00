from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponsePermanentRedirect

from .models import OldSlug


class OldSlugRedirectMixin:
    """
    For a DetailView found by slug: when the slug is unknown but used to
    belong to an object, answer 301 with the object's current address.
    """

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Looked up in the view's own queryset: a draft's new address is
            # never revealed to readers.
            target = old_slug_target(self.get_queryset(), kwargs.get(self.slug_url_kwarg))
            if target is None:
                raise
            return self.old_slug_response(target)

    def old_slug_response(self, target):
        return HttpResponsePermanentRedirect(target.get_absolute_url())


class SlugMoved(Exception):
    """Raised by `get_by_slug` when the slug is an old address of `target`."""

    def __init__(self, target):
        super().__init__(target)
        self.target = target


def get_by_slug(queryset, slug):
    """
    The object of `queryset` with `slug`. When there is none but the slug used
    to lead to one (a rename, a merge), raise SlugMoved with it, so pages and
    feeds that are not DetailViews answer their own permanent redirect; else 404.
    """
    obj = queryset.filter(slug=slug).first()
    if obj is not None:
        return obj
    target = old_slug_target(queryset, slug)
    if target is None:
        raise Http404(f"No {queryset.model._meta.verbose_name} here.")
    raise SlugMoved(target)


def old_slug_target(queryset, slug):
    model = queryset.model
    old = (
        OldSlug.objects.filter(content_type=ContentType.objects.get_for_model(model), slug=slug)
        .values_list("object_id", flat=True)
        .first()
    )
    if old is None:
        return None
    return queryset.filter(pk=old).first()
