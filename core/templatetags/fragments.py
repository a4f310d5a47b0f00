"""
`{% cache_compressed %}`: Django's `{% cache %}`, whose fragment the page
cache also keeps compressed (magazine/pagecache.py, `spliced_gzip`). A page
made around a warm fragment then compresses only what surrounds it. For the
large fragments of a page; same arguments as `{% cache %}`, no `using=`.
"""

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.templatetags.cache import CacheNode

register = template.Library()


class CompressedCacheNode(CacheNode):
    def render(self, context):
        value = super().render(context)
        request = context.get("request")
        noted = getattr(request, "compressible_fragments", None)  # set for readers' requests only
        if noted is not None and self.expire_time_var.resolve(context):  # shared with every reader
            key = make_template_fragment_key(self.fragment_name, [var.resolve(context) for var in self.vary_on])
            noted.append((key, value))
        return value


@register.tag("cache_compressed")
def do_cache_compressed(parser, token):
    nodelist = parser.parse(("endcache_compressed",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a timeout and a fragment name.")
    return CompressedCacheNode(
        nodelist, parser.compile_filter(bits[1]), bits[2], [parser.compile_filter(bit) for bit in bits[3:]], None
    )
