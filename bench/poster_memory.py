"""
Peak memory of a worker accepting one hostile poster upload.

Each case is a tiny file that decodes to POSTER_MAX_PIXELS (the most the site
accepts), built to take the slowest, largest path through films/images.py:
transparency to flatten, an EXIF rotation, a colour profile to convert. Every
case runs in a fresh Python process that does what a gunicorn worker does for
an admin upload: Django's ImageField check, validate_poster (a full decode)
and prepare_poster (decode, clean copy, re-encode, renditions). The figure is
that process's peak resident set size (VmHWM), next to the same process's
peak before the upload, so the difference is what the upload cost.

    make bench-posters      (or: .venv/bin/python bench/poster_memory.py)
"""

import io
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = """
import json, sys
import django
django.setup()
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from films.images import prepare_poster, validate_poster

def peak_kb():  # this process's own high-water mark (ru_maxrss would include the parent's)
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0])

data = open(sys.argv[1], "rb").read()
before = peak_kb()
upload = SimpleUploadedFile(sys.argv[2], data)
forms.ImageField().clean(upload)
validate_poster(upload)
poster = prepare_poster(upload)
after = peak_kb()
print(json.dumps({"before_kb": before, "after_kb": after, "stored_bytes": poster.content.size}))
"""


def cases(max_pixels):
    from PIL import Image, ImageCms

    # Portrait 2:3 at the limit.
    width = int(math.sqrt(max_pixels * 2 / 3))
    height = max_pixels // width
    rotated = Image.Exif()
    rotated[0x0112] = 6  # Orientation: rotate on display
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    def png(mode, color, **options):
        buffer = io.BytesIO()
        Image.new(mode, (width, height), color).save(buffer, "PNG", optimize=True, **options)
        return buffer.getvalue()

    yield (
        "PNG RGBA, transparent, EXIF rotation, ICC profile",
        "poster.png",
        png("RGBA", (0, 0, 0, 0), exif=rotated, icc_profile=srgb),
    )
    yield "PNG palette with a transparent colour", "poster.png", png("P", 0, transparency=0)
    yield "PNG 16-bit greyscale", "poster.png", png("I;16", 0)
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 20, 20)).save(buffer, "JPEG", exif=rotated, quality=10)
    yield "JPEG, EXIF rotation", "poster.jpg", buffer.getvalue()
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 0, 0, 0)).save(buffer, "WEBP", exif=rotated, lossless=True)
    yield "WebP lossless RGBA, EXIF rotation", "poster.webp", buffer.getvalue()
    yield f"({width}×{height} = {width * height / 1e6:.1f} MP each)", None, None


def main():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "magazine.settings.test")}
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", env["DJANGO_SETTINGS_MODULE"])
    import django

    django.setup()
    from django.conf import settings

    print(f"POSTER_MAX_PIXELS = {settings.POSTER_MAX_PIXELS:,}")
    print(f"{'case':<52} {'upload':>9} {'stored':>9} {'peak RSS':>9} {'upload cost':>12}")
    for label, name, data in cases(settings.POSTER_MAX_PIXELS):
        if data is None:
            print(label)
            continue
        with tempfile.NamedTemporaryFile(suffix=name) as fh:
            fh.write(data)
            fh.flush()
            result = subprocess.run(
                [sys.executable, "-c", WORKER, fh.name, name],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{label:<52} {len(data) / 1024:>7.0f}KB {figures['stored_bytes'] / 1024:>7.0f}KB "
            f"{figures['after_kb'] / 1024:>7.0f}MB {(figures['after_kb'] - figures['before_kb']) / 1024:>10.0f}MB"
        )


if __name__ == "__main__":
    main()
