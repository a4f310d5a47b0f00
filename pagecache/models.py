from django.db import models


class PendingInvalidation(models.Model):
    """
    Keys a committed change could not retire because the cache was
    unreachable, kept until they land (pagecache.invalidation.drain).
    While any is kept, no process that met the outage serves a stored page.
    """

    keys = models.TextField(help_text="Space-separated page-cache keys.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "pending invalidation"

    def __str__(self):
        return f"{self.keys[:60]} (kept {self.created_at:%Y-%m-%d %H:%M:%S})"
