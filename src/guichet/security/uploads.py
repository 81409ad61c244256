"""What is done to a file once its type is known from its content (engine.validators):
images re-encoded (metadata and anything hidden dropped), PDFs parsed and refused when
encrypted or active (JavaScript, launch actions, embedded files), the antivirus when
configured. Each refusal says why."""

import io
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from guichet.security.antivirus import AntivirusUnavailable, clamd_scan

MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


def _replace(upload: Any, data: bytes) -> None:
    """Writes `data` over the upload's content (in memory or in its temporary file)."""
    upload.file.seek(0)
    upload.file.truncate()
    upload.file.write(data)
    upload.file.flush()
    upload.file.seek(0)
    upload.size = len(data)


def image_reencode(upload: Any, *, content_type: str) -> None:
    name = upload.name
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    try:
        # WeasyPrint lets Pillow load truncated images (LOAD_TRUNCATED_IMAGES, a global):
        # check completeness apart, PNG by its chunks, JPEG by its end marker.
        if content_type == "image/png":
            with Image.open(io.BytesIO(raw)) as probe:
                probe.verify()
        elif b"\xff\xd9" not in raw[-1024:] and not raw.rstrip(b"\0").endswith(b"\xff\xd9"):
            raise OSError("JPEG without its end marker")
        with Image.open(io.BytesIO(raw)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("L'image « %(name)s » est trop grande (plus de 40 millions de pixels).")
                    % {"name": name}
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            fmt = PIL_FORMATS[content_type]
            if fmt == "JPEG" and image.mode not in {"RGB", "L"}:
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=fmt, quality=90) if fmt == "JPEG" else image.save(
                out, format=fmt
            )
    except ValidationError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("L'image « %(name)s » est illisible ou endommagée.") % {"name": name}
        ) from error
    _replace(upload, out.getvalue())


def pdf_check(upload: Any) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = upload.name
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(
            _("Le PDF « %(name)s » est illisible ou endommagé.") % {"name": name}
        ) from error
    if encrypted:
        raise ValidationError(
            _("Le PDF « %(name)s » est protégé par un mot de passe : envoyez-le sans protection.")
            % {"name": name}
        )
    if pages == 0:
        raise ValidationError(_("Le PDF « %(name)s » n'a aucune page.") % {"name": name})
    if PDF_ACTIVE.search(raw):
        raise ValidationError(
            _(
                "Le PDF « %(name)s » contient du code ou des fichiers joints : "
                "enregistrez-le de nouveau en PDF simple (« Imprimer en PDF »)."
            )
            % {"name": name}
        )


def antivirus_check(upload: Any) -> None:
    upload.seek(0)
    try:
        found = clamd_scan(upload)
    except AntivirusUnavailable as error:
        raise ValidationError(
            _("L'analyse antivirus de « %(name)s » n'a pas pu se faire : réessayez plus tard.")
            % {"name": upload.name}
        ) from error
    finally:
        upload.seek(0)
    if found:
        raise ValidationError(
            _("Le fichier « %(name)s » contient un virus (%(virus)s) : il est refusé.")
            % {"name": upload.name, "virus": found}
        )


def upload_inspect(upload: Any, *, content_type: str) -> None:
    """Called once the type is known from the content; raises ValidationError saying why."""
    if settings.GUICHET_UPLOAD_DEEP_CHECKS:
        if content_type in PIL_FORMATS:
            image_reencode(upload, content_type=content_type)
        elif content_type == "application/pdf":
            pdf_check(upload)
    if settings.GUICHET_CLAMD_ADDRESS:
        antivirus_check(upload)
