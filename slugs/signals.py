from django.contrib.contenttypes.models import ContentType

from .models import OldSlug


def remember_old_slug(sender, instance, raw=False, **kwargs):
    """On a slug change, record the old one (loaddata's raw saves are left alone)."""
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and instance.slug and old != instance.slug:
        content_type = ContentType.objects.get_for_model(sender)
        OldSlug.objects.update_or_create(content_type=content_type, slug=old, defaults={"object_id": instance.pk})
