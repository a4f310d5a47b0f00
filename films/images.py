"""
Poster uploads: validated with Pillow, then resized into WebP renditions so
pages can offer a srcset with fixed dimensions instead of the original file.
"""

import io
import posixpath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MIN_WIDTH = 300
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (160, 320, 480)


def validate_poster(upload):
    """Refuse what is not a real JPEG/PNG/WebP image of a usable size, with a clear message."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The poster is {upload.size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB."
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError("This file is not an image we can read. Upload a JPEG, PNG or WebP.") from None
    finally:
        upload.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(f"{image_format} images are not accepted. Upload a JPEG, PNG or WebP.")
    if width * height > MAX_PIXELS:
        raise ValidationError(f"The poster is {width}×{height} pixels, which is too large to process.")
    if width < MIN_WIDTH:
        raise ValidationError(f"The poster is {width} pixels wide; it needs at least {MIN_WIDTH}.")


def rendition_name(name, width):
    stem, _ = posixpath.splitext(name)
    directory, base = posixpath.split(stem)
    return posixpath.join(directory, "renditions", f"{base}-{width}w.webp")


def rendition_widths(original_width):
    """The rendition widths made for a poster `original_width` pixels wide."""
    return [w for w in RENDITION_WIDTHS if original_width and w < original_width]


def make_renditions(name, *, storage=default_storage):
    """Write the WebP renditions of the poster stored at `name`; returns their names."""
    written = []
    with storage.open(name, "rb") as fh, Image.open(fh) as original:
        original = original.convert("RGB")
        for width in rendition_widths(original.width):
            height = round(original.height * width / original.width)
            buffer = io.BytesIO()
            original.resize((width, height), Image.Resampling.LANCZOS).save(buffer, "WEBP", quality=80)
            target = rendition_name(name, width)
            if storage.exists(target):
                storage.delete(target)
            written.append(storage.save(target, ContentFile(buffer.getvalue())))
    return written
