"""
The light formatting editors may use in write-ups, intros and conclusions:
*italics* (film titles), **bold**, [links](https://…) and "> " block quotes,
paragraphs on blank lines and a line break on a single newline — a small
Markdown subset. Anything else an editor or an import types (raw HTML,
headings, lists, images, code) stays the literal text it was, so plain text
written before this existed renders as it did under Django's |linebreaks.

Two layers: markdown-it-py, configured down to the subset, never emits raw
HTML; nh3 then keeps only the tags and link schemes below, so a bug or a
future option in the first layer still cannot let markup through.
"""

from functools import lru_cache
from html import unescape
from urllib.parse import urlsplit

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

HELP_TEXT = (
    "Leave a blank line between paragraphs. *Italics* (for film titles), **bold**, "
    "[a link](https://…) and a line starting with > for a quotation are shown as such; "
    "HTML is shown as typed, not run."
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote"}
LINK_SCHEMES = {"http", "https", "mailto"}

# "zero" starts with paragraphs and text only; the rest of Markdown (headings,
# lists, code, tables, entities, raw HTML…) stays off, so that a line such as
# "1. Your Name" or "# SadAnime" in an old write-up keeps reading as typed.
_markdown = MarkdownIt("zero", {"breaks": True, "html": False}).enable(
    ["emphasis", "link", "blockquote", "newline", "escape"]
)


def _link_allowed(url):
    """A link goes to the web, to a mail address or to a page of this site; nothing else becomes a link."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in LINK_SCHEMES if scheme else not url.strip().startswith("//")


_markdown.validateLink = _link_allowed

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={"*": set(), "a": {"href"}},  # "*": not even ammonia's default title and lang
    url_schemes=LINK_SCHEMES,
    # Editors' links are editorial and open in the same tab: no "ugc" or
    # "nofollow" (those are for readers' comments), no "noopener" (no target).
    link_rel=None,
)


@lru_cache(maxsize=4096)
def render_prose(text):
    """
    Safe HTML of a write-up, intro or conclusion. Pure in `text`, so it is
    cached: the same list page served again renders nothing anew.
    """
    if not text:
        return mark_safe("")
    return mark_safe(_cleaner.clean(_markdown.render(text)))  # sanitised by nh3 above


def prose_to_text(text):
    """The words of a formatted text without its marks, for descriptions, feeds and search."""
    return " ".join(unescape(strip_tags(render_prose(text))).split())
