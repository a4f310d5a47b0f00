"""
Share cards: the 1200×630 picture a link to a list or a film shows on social
sites and in chat apps, drawn with Pillow in the magazine's colours and a
serif like its headings (DejaVu Serif Condensed Bold, vendored in core/fonts
with its licence, so drawing needs nothing from the system or the network).

A card is stored once under a name holding the hash of everything drawn on
it: when the title, the ranking or a poster changes the name changes, a new
card is drawn on the next page view, and the cards it replaces are removed.
Pages never wait on a card twice, and caches may keep a card forever.
"""

import hashlib
import io
import json
import posixpath
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

SIZE = WIDTH, HEIGHT = (1200, 630)
MAX_BYTES = 150 * 1024
FONT = posixpath.join(posixpath.dirname(__file__), "fonts", "DejaVuSerifCondensed-Bold.ttf")
VERSION = 1  # bump when the drawing changes: every card is drawn again
PAPER, INK, MUTED, ACCENT, WHITE = "#fbf8f3", "#1d1b19", "#5c5650", "#9f1d20", "#ffffff"
# The placeholder posters' gradients, as in site.css (.tone-0 … .tone-5).
TONES = [
    ("#41527a", "#1d2540"),
    ("#a0473f", "#4c1d1a"),
    ("#3f7a6b", "#15352d"),
    ("#8a6a2f", "#3d2c0d"),
    ("#6e4a86", "#2c1b39"),
    ("#4f6f86", "#1c2c38"),
]
MARGIN = 60
_STORED = "share-card-stored:"


@dataclass(frozen=True)
class CardPoster:
    """One poster on a card: its stored file's name (or "" for a placeholder), the film's title, tone and rank."""

    name: str
    title: str
    tone: int = 0
    rank: int | None = None


@dataclass(frozen=True)
class ShareCard:
    """A stored card: what og:image and its width, height and alt say."""

    url: str
    width: int
    height: int
    alt: str


def font(size):
    return ImageFont.truetype(FONT, size)


def wrap_text(draw, text, font, width, max_lines):
    """`text` in lines no wider than `width`; the last line ends in … when it does not all fit."""
    words, lines = text.split(), []
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=font) <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        last = lines[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return lines


def fitted_text(draw, text, width, max_lines, sizes):
    """The largest of `sizes` at which `text` fits in `max_lines` lines, and those lines."""
    for size in sizes:
        face = font(size)
        lines = wrap_text(draw, text, face, width, max_lines)
        if not lines[-1].endswith("…"):
            return face, lines
    return face, lines


def _text(draw, xy, lines, font, fill, leading=1.18):
    x, y = xy
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += round(font.size * leading)
    return y


def _placeholder(poster, size):
    """The generated poster of a film without one, as the site draws it: a gradient, initials and title."""
    top, bottom = TONES[poster.tone % len(TONES)]
    image = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), image)
    draw = ImageDraw.Draw(image)
    width, height = size
    pad = max(8, width // 14)
    words = [w for w in poster.title.split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    draw.text((pad, pad), initials, font=font(width // 4), fill=WHITE)
    face, lines = fitted_text(draw, poster.title, width - 2 * pad, 3, [width // 9, width // 11])
    line_height = round(face.size * 1.15)
    y = height - pad - line_height * len(lines)
    draw.line((pad, y - pad // 2, width - pad, y - pad // 2), fill=WHITE, width=2)
    _text(draw, (pad, y), lines, face, WHITE, leading=1.15)
    return image


def _poster(poster, size, open_image):
    if poster.name:
        try:
            with open_image(poster.name) as image:
                return _contain(image.convert("RGB"), size)
        except (OSError, ValueError):
            pass  # a poster missing from storage: the placeholder, not a broken card
    return _placeholder(poster, size)


def _contain(image, size):
    """`image` scaled to fit `size` whole, never cropped, standing on the slot's bottom edge."""
    width, height = size
    scale = min(width / image.width, height / image.height)
    resized = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.LANCZOS)
    slot = Image.new("RGB", size, PAPER)
    slot.paste(resized, ((width - resized.width) // 2, height - resized.height))
    return slot


def _badge(draw, xy, rank):
    x, y = xy
    face = font(30)
    label = f"{rank}"
    width = max(52, round(draw.textlength(label, font=face)) + 26)
    draw.rounded_rectangle((x, y, x + width, y + 52), radius=26, fill=ACCENT)
    draw.text((x + width / 2, y + 26), label, font=face, fill=WHITE, anchor="mm")


def _canvas(site_name, kicker):
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 14), fill=ACCENT)
    label = font(22)
    draw.text((MARGIN, 44), kicker.upper(), font=label, fill=ACCENT)
    draw.text((WIDTH - MARGIN, 44), site_name.upper(), font=label, fill=INK, anchor="ra")
    return image, draw


def draw_list_card(*, site_name, kicker, title, posters, open_image):
    """A list's card: its title over a strip of its top posters, each with its rank."""
    image, draw = _canvas(site_name, kicker)
    face, lines = fitted_text(draw, title, WIDTH - 2 * MARGIN, 2, [66, 58, 50, 44])
    _text(draw, (MARGIN, 84), lines, face, INK)
    slot_width, gap, top = 200, 20, 290
    size = (slot_width, round(slot_width * 3 / 2))
    for i, poster in enumerate(posters[:5]):
        x = MARGIN + i * (slot_width + gap)
        image.paste(_poster(poster, size, open_image), (x, top))
        if poster.rank is not None:
            _badge(draw, (x + 10, top + 10), poster.rank)
    return image


def draw_film_card(*, site_name, kicker, title, lines, poster, open_image):
    """A film's card: its poster beside its title, facts and the lists it is ranked in."""
    image, draw = _canvas(site_name, kicker)
    size = (300, 450)
    image.paste(_poster(poster, size, open_image), (MARGIN, 120))
    x = MARGIN + size[0] + 48
    width = WIDTH - MARGIN - x
    face, title_lines = fitted_text(draw, title, width, 3, [64, 56, 48, 42])
    y = _text(draw, (x, 120), title_lines, face, INK) + 18
    body = font(28)
    for line in lines:
        wrapped = wrap_text(draw, line, body, width, 2)
        y = _text(draw, (x, y), wrapped, body, MUTED, leading=1.3) + 10
        if y > HEIGHT - 90:
            break
    return image


def _encode(image):
    """JPEG within MAX_BYTES: the best quality that fits."""
    for quality in (85, 78, 70, 62, 54):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        if buffer.tell() <= MAX_BYTES:
            break
    return buffer.getvalue()


def stored_card(*, folder, slug, content, alt, draw, storage=default_storage):
    """
    The card for `content` (everything drawn on it, JSON-serialisable), drawn
    by `draw()` and stored under folder/slug-<hash>.jpg unless it already is;
    older cards of the same slug are removed.
    """
    digest = hashlib.sha256(json.dumps([VERSION, content], sort_keys=True, default=str).encode()).hexdigest()[:16]
    name = f"share/{folder}/{slug}-{digest}.jpg"
    # Remembered in the shared cache, so that a page render does not ask the
    # storage (a request to the bucket on S3) whether a card it knows is there.
    if not cache.get(_STORED + name) and not storage.exists(name):
        saved = storage.save(name, ContentFile(_encode(draw())))
        if saved != name:  # another request drew it at the same moment: keep theirs
            storage.delete(saved)
        _remove_older(storage, folder, slug, keep=name)
    cache.set(_STORED + name, True, timeout=None)
    return ShareCard(url=storage.url(name), width=WIDTH, height=HEIGHT, alt=alt)


def _remove_older(storage, folder, slug, *, keep):
    pattern = re.compile(rf"{re.escape(slug)}-[0-9a-f]{{16}}(_\w+)?\.jpg")
    try:
        _, files = storage.listdir(f"share/{folder}")
    except (FileNotFoundError, NotImplementedError):
        return
    for file in files:
        path = f"share/{folder}/{file}"
        if pattern.fullmatch(file) and path != keep:
            storage.delete(path)
            cache.delete(_STORED + path)  # drawn again if its content ever comes back
