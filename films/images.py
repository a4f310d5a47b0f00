"""
Poster uploads.

An upload is decoded in full before it is accepted, then written again from
its pixels alone: what is stored and served carries no EXIF (GPS included),
comments, XMP or bytes hidden after the image, has its EXIF orientation
applied and any transparency flattened on white. The WebP renditions for the
srcset are made from the same decoded pixels in the same save, so a page never
names a rendition that does not exist and never asks the storage which do.
"""

import hashlib
import io
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageChops, ImageCms, ImageOps, UnidentifiedImageError

# Format Pillow reports → extension of the stored, re-encoded file.
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MIN_WIDTH = 300
MAX_BYTES = 10 * 1024 * 1024
# Longest side over shortest: a 2:3 poster is 1.5, a 21:9 still is 2.3.
MAX_ASPECT_RATIO = 3
RENDITION_WIDTHS = (160, 320, 480)
ENCODER_OPTIONS = {
    "JPEG": {"quality": 88},  # baseline: progressive encoding holds every coefficient in memory
    "PNG": {},
    "WEBP": {"quality": 88},
}
UNREADABLE = "This file is not an image we can read. Upload a JPEG, PNG or WebP."


def max_pixels():
    """Largest decoded size accepted (settings.POSTER_MAX_PIXELS); it bounds a worker's memory per upload."""
    return settings.POSTER_MAX_PIXELS


@dataclass(frozen=True)
class Poster:
    """A re-encoded poster ready for storage: its file and its renditions, by width."""

    content: ContentFile
    renditions: dict


def _check_header(image):
    """Refuse on what the header says, before a single pixel is decoded."""
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(f"{image.format} images are not accepted. Upload a JPEG, PNG or WebP.")
    width, height = image.size
    if width * height > max_pixels():
        raise ValidationError(
            f"The poster is {width}×{height} pixels; the limit is {max_pixels() / 1_000_000:g} million "
            "pixels. Scale it down (2000×3000 is plenty) and upload it again."
        )
    if width < MIN_WIDTH:
        raise ValidationError(f"The poster is {width} pixels wide; it needs at least {MIN_WIDTH}.")
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            f"The poster is {width}×{height} pixels, which is not a poster's shape: "
            f"one side may be at most {MAX_ASPECT_RATIO} times the other."
        )


def _decode(upload):
    """The upload's image, decoded in full and checked; ValidationError says why not."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The poster is {upload.size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB."
        )
    upload.seek(0)
    try:
        # A copy (at most MAX_BYTES), so that closing the image, which closes
        # its file, leaves the upload open for the field to store.
        image = Image.open(io.BytesIO(upload.read()))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(UNREADABLE) from None
    try:
        _check_header(image)
        # Decoding hostile files can fail in many ways (OSError for a
        # truncated file, ValueError for oversized PNG text chunks, SyntaxError
        # for broken chunks …): each means the same thing to the editor.
        image.load()
        # Pillow's WebP reader keeps its decoder's canvas and a copy of the
        # pixels after loading (for animation); a still poster needs neither,
        # and they would double the peak memory of every later step.
        if getattr(image, "_decoder", None) is not None:
            image._decoder = None
            image.fp = None
    except ValidationError:
        image.close()
        raise
    except Exception:
        image.close()
        raise ValidationError(
            "This image is damaged or incomplete (it cannot be read to the end). "
            "Export it again as a JPEG, PNG or WebP and upload that."
        ) from None
    return image


def validate_poster(upload):
    """Refuse what is not a complete JPEG/PNG/WebP image of a usable size and shape, with a clear message."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        _decode(upload).close()
    finally:
        upload.seek(position)


def _to_srgb(image):
    """Colours converted to sRGB when the file carries a profile, so the profile can be dropped."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    in_place = image.mode in ("RGB", "RGBA")  # no second copy of the pixels
    try:
        converted = ImageCms.profileToProfile(
            image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"),
            outputMode=None if in_place else "RGB", inPlace=in_place,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile: the pixels as they are
    return image if in_place else converted


def _pixels_only(image):
    """`image`'s pixels alone: upright, sRGB, on white where transparent, no metadata. May reuse `image`.

    Copies are kept to a minimum (rotation and dropping the alpha band need
    one each) because the peak memory of an upload is a few of them.
    """
    ImageOps.exif_transpose(image, in_place=True)
    if image.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    image = _to_srgb(image)
    if image.has_transparency_data:
        if image.mode not in ("RGBA", "LA"):  # RGB or L with one transparent colour
            image = image.convert("RGBA")
        # Compositing on white in place: white weighted by each pixel's transparency.
        white = (255,) * len(image.getbands())
        image.paste(white, mask=ImageChops.invert(image.getchannel("A")))
        image = image.convert(image.mode[:-1])
    elif image.mode not in ("RGB", "L"):  # CMYK whose profile was missing or unusable
        image = image.convert("RGB")
    # The encoders copy some of these (JPEG comments, PNG colour profiles).
    image.info = {}
    return image


def _renditions(image):
    renditions = {}
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        buffer = io.BytesIO()
        image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0).save(buffer, "WEBP", quality=80)
        renditions[width] = buffer.getvalue()
    return renditions


def prepare_poster(upload):
    """Decode `upload` (refusing it with ValidationError if unfit) and re-encode it; see the module docstring."""
    with _decode(upload) as image:
        image_format = image.format
        clean = _pixels_only(image)
    buffer = io.BytesIO()
    clean.save(buffer, image_format, **ENCODER_OPTIONS[image_format])
    data = buffer.getvalue()
    # The content's hash in the name: a replaced poster never reuses an old
    # address, so the proxy or CDN may cache media for a long time.
    stem = posixpath.splitext(posixpath.basename(upload.name))[0] or "poster"
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:10]}{ALLOWED_FORMATS[image_format]}"
    return Poster(content=ContentFile(data, name=name), renditions=_renditions(clean))


def rendition_name(name, width):
    stem, _ = posixpath.splitext(name)
    directory, base = posixpath.split(stem)
    return posixpath.join(directory, "renditions", f"{base}-{width}w.webp")


def rendition_widths(original_width):
    """The rendition widths made for a poster `original_width` pixels wide."""
    return [w for w in RENDITION_WIDTHS if original_width and w < original_width]


def save_renditions(name, renditions, *, storage=default_storage):
    """Store the renditions of the poster stored at `name` under the names the srcset gives them."""
    for width, data in renditions.items():
        target = rendition_name(name, width)
        if storage.exists(target):
            storage.delete(target)
        saved = storage.save(target, ContentFile(data))
        if saved != target:
            raise RuntimeError(f"The storage saved the rendition as {saved}, not {target}.")


def delete_poster_files(name, *, storage=default_storage):
    """Remove a poster that is no longer used, and its renditions, from storage."""
    for target in (name, *(rendition_name(name, width) for width in RENDITION_WIDTHS)):
        storage.delete(target)  # a name that is not there is no error
