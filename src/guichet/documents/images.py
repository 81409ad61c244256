"""Photos re-encoded from their pixels only, so that nothing else they carried survives.

A camera's JPEG holds EXIF (GPS position, device, owner), XMP and comments; copying only
the pixels into a fresh image drops them all. The orientation tag is applied to the pixels
first, so the photo still shows the right way up.
"""

import io
from typing import IO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 2048  # pixels; a phone's 12 MP photo shrinks to a few hundred kilobytes
QUALITY = 85


class ImageError(ValueError):
    """The file is not an image Pillow can read."""


def image_reencode(
    source: IO[bytes], *, name: str = "photo", max_side: int = MAX_SIDE
) -> ContentFile:
    """A new JPEG of the same picture, without any metadata, at most `max_side` pixels wide."""
    try:
        with Image.open(source) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened) or opened
            pixels = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ImageError(str(error)) from error
    pixels.thumbnail((max_side, max_side))
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True)
    stem = name.rsplit(".", 1)[0] or "photo"
    return ContentFile(out.getvalue(), name=f"{stem}.jpg")
