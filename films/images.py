"""
Image uploads: film posters and lists' featured images.

An upload is decoded in full before it is accepted, then written again from
its pixels alone: what is stored and served carries no EXIF (GPS included),
comments, XMP or bytes hidden after the image, has its EXIF orientation
applied and any transparency flattened on white. The renditions (AVIF, WebP
and a JPEG fallback, at each width of the slot) are made from the same decoded
pixels in the same save, so a page never names a rendition that does not exist
and never asks the storage which do.

Each slot has an orientation: a landscape upload for the portrait poster slot
(or the reverse for a featured image) is refused with a message, never
cropped, because no centre crop knows where the faces are.

Hand-written rather than django-imagekit or sorl-thumbnail: both make
renditions on first request (sorl also keeps a key-value store of them, which
is a query or cache round trip per image on every page), so a page could name
a file not yet made; here the renditions exist once the save returns.
"""

import hashlib
import io
import posixpath
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.html import format_html
from PIL import Image, ImageChops, ImageCms, ImageOps, UnidentifiedImageError

# Format Pillow reports → extension of the stored, re-encoded file.
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_BYTES = 10 * 1024 * 1024
# Longest side over shortest: a 2:3 poster is 1.5, a 21:9 still is 2.3.
MAX_ASPECT_RATIO = 3
ENCODER_OPTIONS = {
    "JPEG": {"quality": 88},  # baseline: progressive encoding holds every coefficient in memory
    "PNG": {},
    "WEBP": {"quality": 88},
}
# Renditions, best first as <picture> offers them: (extension, MIME type, Pillow format, options).
RENDITION_FORMATS = (
    ("avif", "image/avif", "AVIF", {"quality": 55, "speed": 8}),
    ("webp", "image/webp", "WEBP", {"quality": 80}),
    ("jpg", "image/jpeg", "JPEG", {"quality": 82, "optimize": True}),
)
UNREADABLE = "This file is not an image we can read. Upload a JPEG, PNG or WebP."
# EXIF orientations that turn the stored pixels by a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class Slot:
    """Where an image is shown: what it is called, its orientation, its smallest width and its rendition widths."""

    label: str
    portrait: bool
    min_width: int
    widths: tuple
    shape_hint: str

    def rendition_widths(self, original_width):
        """The widths made for an image `original_width` pixels wide: the slot's, none wider than the image."""
        if not original_width:
            return []
        widths = [w for w in self.widths if w < original_width]
        if original_width <= self.widths[-1]:
            widths.append(original_width)
        return widths


POSTER = Slot("poster", portrait=True, min_width=300, widths=(160, 320, 480), shape_hint="portrait (2:3, e.g. 600×900)")
FEATURED_IMAGE = Slot(
    "featured image", portrait=False, min_width=800, widths=(400, 800, 1200), shape_hint="landscape (e.g. 1600×900)"
)
MIN_WIDTH = POSTER.min_width
RENDITION_WIDTHS = POSTER.widths


def max_pixels():
    """Largest decoded size accepted (settings.POSTER_MAX_PIXELS); it bounds a worker's memory per upload."""
    return settings.POSTER_MAX_PIXELS


@dataclass(frozen=True)
class Prepared:
    """A re-encoded image ready for storage: its file and its renditions, by (width, extension)."""

    content: ContentFile
    renditions: dict


Poster = Prepared


def _check_header(image, slot):
    """Refuse on what the header says, before a single pixel is decoded."""
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(f"{image.format} images are not accepted. Upload a JPEG, PNG or WebP.")
    width, height = image.size
    if width * height > max_pixels():
        raise ValidationError(
            f"The {slot.label} is {width}×{height} pixels; the limit is {max_pixels() / 1_000_000:g} million "
            "pixels. Scale it down (2000×3000 is plenty) and upload it again."
        )
    if image.getexif().get(0x0112) in QUARTER_TURNS:
        width, height = height, width  # as it will be shown, upright
    if width < slot.min_width:
        raise ValidationError(f"The {slot.label} is {width} pixels wide; it needs at least {slot.min_width}.")
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            f"The {slot.label} is {width}×{height} pixels, which is not a {slot.label}'s shape: "
            f"one side may be at most {MAX_ASPECT_RATIO} times the other."
        )
    if (width < height) != slot.portrait:
        shape = "square" if width == height else ("portrait" if width < height else "landscape")
        raise ValidationError(
            f"The {slot.label} is {width}×{height} pixels, a {shape} image; it is shown {slot.shape_hint}. "
            "Crop it to that shape, choosing what to keep, and upload it again: it is never cropped for you."
        )


def _decode(upload, slot=POSTER):
    """The upload's image, decoded in full and checked; ValidationError says why not."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The {slot.label} is {upload.size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB."
        )
    upload.seek(0)
    try:
        # A copy (at most MAX_BYTES), so that closing the image, which closes
        # its file, leaves the upload open for the field to store.
        image = Image.open(io.BytesIO(upload.read()))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(UNREADABLE) from None
    try:
        _check_header(image, slot)
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


def validate_image(upload, slot):
    """Refuse what is not a complete JPEG/PNG/WebP image of a usable size and shape for `slot`, with a clear message."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        _decode(upload, slot).close()
    finally:
        upload.seek(position)


def validate_poster(upload):
    validate_image(upload, POSTER)


def validate_featured_image(upload):
    validate_image(upload, FEATURED_IMAGE)


def _to_srgb(image):
    """Colours converted to sRGB when the file carries a profile, so the profile can be dropped."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    in_place = image.mode in ("RGB", "RGBA")  # no second copy of the pixels
    try:
        converted = ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode=None if in_place else "RGB",
            inPlace=in_place,
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


def _renditions(image, slot, wanted=None):
    """The renditions of `image` by (width, extension): every one of the slot's, or those in `wanted`."""
    renditions = {}
    for width in slot.rendition_widths(image.width):
        formats = [f for f in RENDITION_FORMATS if wanted is None or (width, f[0]) in wanted]
        if not formats:
            continue
        height = max(1, round(image.height * width / image.width))
        resized = (
            image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        for extension, _, pillow_format, options in formats:
            buffer = io.BytesIO()
            resized.save(buffer, pillow_format, **options)
            renditions[width, extension] = buffer.getvalue()
    return renditions


def prepare_image(upload, slot):
    """Decode `upload` (refusing it with ValidationError if unfit for `slot`) and re-encode it; see the module docstring."""
    with _decode(upload, slot) as image:
        image_format = image.format
        clean = _pixels_only(image)
    buffer = io.BytesIO()
    clean.save(buffer, image_format, **ENCODER_OPTIONS[image_format])
    data = buffer.getvalue()
    # The content's hash in the name: a replaced image never reuses an old
    # address, so the proxy or CDN may cache media for a long time.
    stem = posixpath.splitext(posixpath.basename(upload.name))[0] or slot.label.replace(" ", "-")
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:10]}{ALLOWED_FORMATS[image_format]}"
    return Prepared(content=ContentFile(data, name=name), renditions=_renditions(clean, slot))


def prepare_poster(upload):
    return prepare_image(upload, POSTER)


def rendition_name(name, width, extension):
    stem, _ = posixpath.splitext(name)
    directory, base = posixpath.split(stem)
    return posixpath.join(directory, "renditions", f"{base}-{width}w.{extension}")


def rendition_names(name, width, slot):
    """Every rendition stored for the image stored at `name`, `width` pixels wide."""
    return [rendition_name(name, w, ext) for w in slot.rendition_widths(width) for ext, *_ in RENDITION_FORMATS]


def save_renditions(name, renditions, *, storage=default_storage):
    """Store the renditions of the image stored at `name` under the names the srcset gives them."""
    for (width, extension), data in renditions.items():
        target = rendition_name(name, width, extension)
        if storage.exists(target):
            storage.delete(target)
        saved = storage.save(target, ContentFile(data))
        if saved != target:
            raise RuntimeError(f"The storage saved the rendition as {saved}, not {target}.")


def missing_renditions(name, width, slot, *, storage=default_storage):
    """The (width, extension) of every rendition of the image stored at `name` that the storage lacks."""
    return [
        (w, ext)
        for w in slot.rendition_widths(width)
        for ext, *_ in RENDITION_FORMATS
        if not storage.exists(rendition_name(name, w, ext))
    ]


def make_renditions(name, slot, wanted=None, *, storage=default_storage):
    """
    Render the image stored at `name` again into its renditions (only those in
    `wanted`, when given) and store them; for images stored before a format
    or a width was added. Returns the (width, extension) made.
    """
    with open_stored(name, storage=storage) as image:
        image.load()
        renditions = _renditions(_pixels_only(image), slot, wanted)
    save_renditions(name, renditions, storage=storage)
    return sorted(renditions)


def delete_image_files(name, width, slot, *, storage=default_storage):
    """Remove an image that is no longer used, and its renditions, from storage."""
    for target in (name, *rendition_names(name, width, slot)):
        storage.delete(target)  # a name that is not there is no error


@dataclass(frozen=True)
class Picture:
    """What <picture> needs to show a stored image: a srcset per format, the fallback, and the size it is."""

    src: str
    width: int
    height: int
    sources: tuple  # (MIME type, srcset), best format first; the last is the fallback's
    srcset: str
    thumbnail: str  # the smallest WebP, for the admin's lists

    @classmethod
    def of(cls, file, width, height, slot):
        """The picture of the stored `file` (a FieldFile) or None when there is none. Asks the storage nothing."""
        if not file or not width or not height:
            return None
        widths = slot.rendition_widths(width)
        sources = tuple(
            (mime, ", ".join(f"{file.storage.url(rendition_name(file.name, w, ext))} {w}w" for w in widths))
            for ext, mime, *_ in RENDITION_FORMATS
        )
        # The fallback <img> src: the JPEG nearest the slot's middle width, for browsers without srcset.
        middle = widths[min(len(widths) - 1, len(slot.widths) // 2)]
        src = file.storage.url(rendition_name(file.name, middle, "jpg"))
        thumbnail = file.storage.url(rendition_name(file.name, widths[0], "webp"))
        return cls(
            src=src, width=width, height=height, sources=sources[:-1], srcset=sources[-1][1], thumbnail=thumbnail
        )

    def thumbnail_html(self, alt):
        """The thumbnail as an <img> for an admin list, its box fixed by the stylesheet (admin.css)."""
        return format_html(
            '<img class="admin-thumb" src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
            self.thumbnail,
            self.width,
            self.height,
            alt,
        )


def stored_images(model, *, field, slot):
    """
    Make `model`'s image `field` (an ImageField with width and height fields)
    re-encoded, given its renditions in the save, and leave no files behind
    when it is replaced or its object deleted. Called once, from an app's ready().
    """
    from django.db.models.signals import post_delete, post_init, post_save, pre_save

    attr = model._meta.get_field(field)
    width_field = attr.width_field
    uid = f"{model._meta.label_lower}.{field}"

    def remember(sender, instance, **kwargs):
        # The stored image's name and width, to remove its files once a save
        # replaces it (no query). Absent when deferred: then nothing is removed.
        value = instance.__dict__.get(field)
        instance.__dict__[f"_stored_{field}"] = (
            getattr(value, "name", value) or "",
            instance.__dict__.get(width_field),
        )

    def reencode(sender, instance, raw=False, **kwargs):
        # Swap a new upload for its re-encoded pixels before the field writes it to storage.
        image = getattr(instance, field)
        if raw or not image or image._committed:
            return
        prepared = prepare_image(image, slot)  # ValidationError for what the form did not vet
        setattr(instance, field, prepared.content)  # the descriptor recomputes width and height (orientation)
        instance.__dict__[f"_{field}_renditions"] = prepared.renditions

    def store_renditions(sender, instance, **kwargs):
        # Synchronous on purpose: a deferred job would leave a window (or, if
        # it failed, a lasting state) where pages link to missing files, and
        # checking the storage from the page would cost a round trip per image.
        image = getattr(instance, field)
        renditions = instance.__dict__.pop(f"_{field}_renditions", None)
        if renditions:
            save_renditions(image.name, renditions, storage=image.storage)
        previous = instance.__dict__.get(f"_stored_{field}", ("", None))
        instance.__dict__[f"_stored_{field}"] = (image.name or "", getattr(instance, width_field))
        if previous[0] and previous[0] != image.name:
            # After the commit: were the save rolled back, the old image would still be in use.
            transaction.on_commit(partial(delete_image_files, *previous, slot, storage=image.storage), robust=True)

    def delete(sender, instance, **kwargs):
        image = getattr(instance, field)
        if image:
            files = partial(delete_image_files, image.name, getattr(instance, width_field), slot, storage=image.storage)
            transaction.on_commit(files, robust=True)

    # post_init, kept on purpose: the name of the image a row was read with is
    # what lets a save that replaces or clears it remove the old files with no
    # query; a model's from_db() would need each model to know this module.
    post_init.connect(remember, sender=model, weak=False, dispatch_uid=f"{uid}.remember")
    pre_save.connect(reencode, sender=model, weak=False, dispatch_uid=f"{uid}.reencode")
    post_save.connect(store_renditions, sender=model, weak=False, dispatch_uid=f"{uid}.renditions")
    post_delete.connect(delete, sender=model, weak=False, dispatch_uid=f"{uid}.delete")


def open_stored(name, *, storage=default_storage):
    """The stored image `name`, read whole (the storage's file closes; the image stays usable)."""
    with storage.open(name, "rb") as file:
        return Image.open(io.BytesIO(file.read()))


def card_source(film):
    """The name of the poster file a share card draws from: a JPEG rendition about 320 wide, or the poster."""
    if not film.poster:
        return ""
    widths = POSTER.rendition_widths(film.poster_width)
    wide_enough = [w for w in widths if w >= 320] or widths
    return rendition_name(film.poster.name, wide_enough[0], "jpg") if wide_enough else film.poster.name
