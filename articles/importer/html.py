"""
HTML in (a saved page, a paste of its source, WordPress block markup), the
reader's blocks out: the same blocks the plain-text reader makes, so one
entry finder reads both.

lxml's HTML parser builds the tree. Headings become `#`-headings of their
level, paragraphs, captions and list items become blocks of their own (an
item of an ordered list carries its number, as "3. " before its heading or
its text), bold and italics become `**…**` and `*…*` (what write-ups accept),
and block comments (`<!-- wp:paragraph -->`), scripts and styles are left
out. A page's own chrome (`<header>` without the title, `<nav>`, `<footer>`,
`<aside>`, `<form>`) is dropped whole, with its reason. Each block keeps the
source line its element starts on, so the preview and every message name a
line of the file the editor has.
"""

import re

from .repair import normalize_whitespace

_HTML = re.compile(r"<!doctype html|<html\b|<body\b|<!--\s*wp:|<(p|div|h[1-6]|article|li)\b[^>]*>", re.I)
SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "iframe",
    "button",
    "select",
    "input",
    "img",
    "picture",
    "video",
    "audio",
    "canvas",
    "title",
    "meta",
    "link",
}
CHROME = {"header", "nav", "footer", "aside", "form"}
BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "ul",
    "summary",
    "body",
    "html",
    "center",
}
HEADINGS = {f"h{n}": n for n in range(1, 7)}


def looks_like_html(text):
    """Whether `text` is HTML source (two tags or a block comment at least), not prose that mentions a tag."""
    head = text[:5000]
    return bool(re.search(r"<!doctype html|<html\b|<!--\s*wp:", head, re.I)) or len(_HTML.findall(head)) >= 2


def _inline(el):
    """The text of an inline element and its children, emphasis kept as Markdown."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in SKIP or not tag:
            pass
        elif tag == "br":
            parts.append(" ")
        else:
            inner = _inline(child).strip()
            if inner and tag in ("strong", "b"):
                inner = f"**{inner}**"
            elif inner and tag in ("em", "i", "cite"):
                inner = f"*{inner}*"
            parts.append(inner if tag not in BLOCK else f" {inner} ")
        parts.append(child.tail or "")
    return normalize_whitespace("".join(parts))


def _has_block_child(el):
    return any(isinstance(c.tag, str) and c.tag in BLOCK for c in el.iter() if c is not el)


class _Walker:
    def __init__(self, make_block):
        self.make = make_block
        self.blocks = []

    def add(self, line, text, **kind):
        text = normalize_whitespace(text)
        if text:
            self.blocks.append(self.make(line or 1, text, **kind))

    def walk(self, el, *, number=None):
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP:
            return
        if tag in CHROME and not (tag == "header" and el.find(".//h1") is not None):
            text = normalize_whitespace(el.text_content())
            if text:
                self.add(el.sourceline, text, reason=f"page chrome ({tag})")
            return
        if tag in HEADINGS:
            prefix = f"{number}. " if number is not None else ""
            self.add(el.sourceline, "#" * HEADINGS[tag] + " " + prefix + _inline(el))
            return
        if tag == "ol":
            start = int(el.get("start", "1")) if (el.get("start") or "1").isdigit() else 1
            items = [c for c in el if c.tag == "li"]
            for k, li in enumerate(items):
                self._item(li, start + k)
            return
        if tag == "li":
            return self._item(el, None)
        if tag in ("p", "figcaption", "dt", "dd", "pre", "summary", "td", "th") or not _has_block_child(el):
            text = _inline(el)
            if tag == "blockquote":
                text = "> " + text
            self.add(el.sourceline, text)
            return
        # A container: its own loose text between block children is a paragraph of its own.
        loose, loose_line = [el.text or ""], el.sourceline
        for child in el:
            ctag = child.tag if isinstance(child.tag, str) else ""
            if ctag in BLOCK:
                self.add(loose_line, "".join(loose))
                loose, loose_line = [], None
                self.walk(child)
                loose.append(child.tail or "")
                loose_line = loose_line or getattr(child, "sourceline", None)
            elif ctag and ctag not in SKIP:
                loose_line = loose_line or child.sourceline
                inner = _inline(child)
                inner = f"**{inner}**" if ctag in ("strong", "b") and inner else inner
                loose += [" ", inner, child.tail or ""]
            else:
                loose.append(child.tail or "")
        self.add(loose_line, "".join(loose))

    def _item(self, li, number):
        if _has_block_child(li):
            heading = next((c for c in li.iter() if isinstance(c.tag, str) and c.tag in HEADINGS), None)
            for child in li:
                self.walk(child, number=number if child is heading else None)
            if heading is None and number is not None:  # numbered items of paragraphs only: the first carries it
                first = next((b for b in self.blocks if b.line == li.sourceline), None)
                if first is not None:
                    first.text = f"{number}. {first.text}"
        else:
            prefix = f"{number}. " if number is not None else ""
            self.add(li.sourceline, prefix + _inline(li))


def html_blocks(text, make_block):
    """
    The blocks of an HTML document, in order: `make_block(line, text, reason=…)`
    makes each (a reason marks page chrome, dropped as such).
    """
    from lxml import etree, html

    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    walker = _Walker(make_block)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    return walker.blocks
