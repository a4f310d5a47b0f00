from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """
    The readers' page cache, on the ground floor: the middleware, keys and
    their stamps, invalidation wiring, the fragment tag. Apps above tell it
    what readers see (`pagecache.track`) from their own `ready()`; it imports
    none of them.
    """

    name = "pagecache"
    verbose_name = "Page cache"
