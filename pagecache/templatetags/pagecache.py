"""
`{% shows article %}`: the page shows this row (or key: `{% shows "archive" %}`,
`{% shows "comments" article.pk %}` for `comments:42`).

`{% fragment "article_body" article.pk article.version %}…{% endfragment %}`:
a part of the page kept for every reader with the keys it showed, reused by
later page-cache misses until one of them changes. The name and the values
after it tell fragments apart (the host is added); no hand-built key, no
generation. Options after the values:

- `until_next_publish`: the fragment lists lists, so it expires when the
  next scheduled one goes live;
- `compressed`: a large fragment whose compressed form the page cache keeps
  too (pagecache.gzip), so a page made around it compresses only the rest.

Anyone but a reader (an editor, a preview, a share link) renders it afresh.
"""

import hashlib

from django import template

from pagecache import reading, schedule, store

register = template.Library()

OPTIONS = {"until_next_publish", "compressed"}


@register.simple_tag
def shows(item, argument=None):
    if isinstance(item, (set, frozenset, list, tuple)):
        reading.shows(*item)
    else:
        reading.shows(f"{item}:{argument}" if argument is not None else item)
    return ""


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, values, options):
        self.nodelist, self.name, self.values, self.options = nodelist, name, values, options

    def render(self, context):
        current = reading.current()
        if current is None:
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        vary = "|".join(str(value.resolve(context)) for value in self.values)
        digest = hashlib.md5(f"{current.host}|{vary}".encode(), usedforsecurity=False).hexdigest()
        entry_name = f"pc:fragment:{name}:{digest}"
        found = store.get(entry_name, clock_now=current.start)
        if found is not None:
            _, keys, text = found
            current.stack[-1].update(keys)
        else:
            current.stack.append(set())
            try:
                text = self.nodelist.render(context)
            finally:
                keys = current.stack.pop()
            if "until_next_publish" in self.options:
                keys.add(schedule.SCHEDULE_KEY)
            current.stack[-1].update(keys)
            timeout, bound = reading.lifetime("until_next_publish" in self.options)
            if timeout >= 1:
                store.put(entry_name, current.start, keys, text, timeout, bound=bound)
        if "compressed" in self.options:
            current.fragments.append((entry_name, text))
        return text


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' needs a name.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    options = {bit for bit in bits[2:] if bit in OPTIONS}
    values = [parser.compile_filter(bit) for bit in bits[2:] if bit not in OPTIONS]
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), values, options)
