from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class OldSlug(models.Model):
    """
    A slug a list or film used to have. Its old address answers with a
    permanent redirect to wherever the object lives now, so links in the wild
    and search engines follow a rename. Pointing at the object (not at the
    new slug) means a chain of renames still lands in one hop.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    slug = models.CharField(max_length=100, help_text="The slug as it was before the rename.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [models.UniqueConstraint(fields=["content_type", "slug"], name="one_old_slug_per_model")]

    def __str__(self):
        return f"{self.content_type.model} {self.slug} → {self.object_id}"
