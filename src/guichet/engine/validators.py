"""Checks for the French identifiers and files a procedure's fields accept."""

import re

import magic
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from guichet.security.uploads import upload_inspect

FILE_TYPES = {
    "pdf": ("application/pdf",),
    "jpeg": ("image/jpeg",),
    "png": ("image/png",),
    "odt": ("application/vnd.oasis.opendocument.text",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
}


def phone_normalise(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ValidationError(
            _(
                "Saisissez un numéro de téléphone français à 10 chiffres, par exemple 06 12 34 56 78."
            )
        )
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return total % 10 == 0


def siret_normalise(value: str) -> str:
    digits = re.sub(r"\s", "", value)
    # La Poste's establishments follow their own rule (sum of digits divisible by 5).
    is_la_poste = digits.startswith("356000000") and sum(map(int, digits)) % 5 == 0
    if not re.fullmatch(r"\d{14}", digits) or not (_luhn_ok(digits) or is_la_poste):
        raise ValidationError(_("Ce numéro SIRET n'est pas valide (14 chiffres)."))
    return digits


def iban_normalise(value: str) -> str:
    compact = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        raise ValidationError(_("Cet IBAN n'est pas valide."))
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    if int(number) % 97 != 1:
        raise ValidationError(_("Cet IBAN n'est pas valide (clé de contrôle incorrecte)."))
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def map_point_parse(value: str) -> str:
    match = re.fullmatch(r"\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,;]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*", value)
    if not match:
        raise ValidationError(
            _(
                "Saisissez la latitude et la longitude séparées par une virgule, "
                "par exemple 48.8566, 2.3522."
            )
        )
    lat, lon = (float(part.replace(",", ".")) for part in match.groups())
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError(_("Ces coordonnées sont hors limites."))
    return f"{lat:.6f},{lon:.6f}"


def upload_check(upload: UploadedFile, *, accept: tuple[str, ...], max_size_mb: int) -> str:
    """Returns the sniffed content type; the name's extension is not trusted."""
    if upload.size is not None and upload.size > max_size_mb * 1024 * 1024:
        raise ValidationError(
            _("Le fichier « %(name)s » dépasse la taille maximale de %(max)s Mo.")
            % {"name": upload.name, "max": max_size_mb}
        )
    head = upload.read(4096)
    upload.seek(0)
    sniffed = magic.from_buffer(head, mime=True)
    allowed = {mime for kind in accept for mime in FILE_TYPES.get(kind, ())}
    if sniffed not in allowed:
        raise ValidationError(
            _("Le fichier « %(name)s » n'est pas d'un type accepté (%(types)s).")
            % {"name": upload.name, "types": ", ".join(t.upper() for t in accept)}
        )
    # Images re-encoded, PDFs checked, the antivirus (guichet.security.uploads).
    upload_inspect(upload, content_type=sniffed)
    return sniffed
