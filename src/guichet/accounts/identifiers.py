"""The identifiers of legal persons: SIRET (Luhn key), RNA number, IBAN (mod-97 key).

Each `*_normalise` returns the stored form or raises a ValidationError whose message
says what is expected, so that forms show it as is.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

RNA = re.compile(r"W\d{9}")
FRENCH_IBAN_LENGTH = 27


def siret_normalise(value: str) -> str:
    compact = re.sub(r"[\s.]", "", value or "")
    if not compact.isdigit() or len(compact) != 14:
        raise ValidationError(
            _("Un numéro SIRET compte 14 chiffres (vous en avez saisi %(count)s).")
            % {"count": sum(c.isdigit() for c in compact)}
        )
    try:
        return stdnum_siret.validate(compact)
    except InvalidChecksum as error:
        raise ValidationError(
            _(
                "Ce numéro SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez les chiffres."
            )
        ) from error


def rna_normalise(value: str) -> str:
    compact = re.sub(r"\s", "", value or "").upper()
    if not RNA.fullmatch(compact):
        raise ValidationError(
            _("Un numéro RNA commence par W suivi de 9 chiffres, par exemple W451234567.")
        )
    return compact


def iban_normalise(value: str) -> str:
    compact = stdnum_iban.compact(value or "")
    is_shaped = re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact) is not None
    if not is_shaped or (compact.startswith("FR") and len(compact) != FRENCH_IBAN_LENGTH):
        raise ValidationError(
            _(
                "Un IBAN commence par le code du pays et compte 27 caractères en France, "
                "par exemple FR76 3000 6000 0112 3456 7890 189."
            )
        )
    try:
        stdnum_iban.validate(compact)
    except InvalidChecksum as error:
        raise ValidationError(
            _("Cet IBAN n'existe pas : sa clé de contrôle est fausse. Vérifiez les caractères.")
        ) from error
    except StdnumError as error:
        raise ValidationError(
            _(
                "Un IBAN commence par le code du pays et compte 27 caractères en France, par exemple FR76 3000 6000 0112 3456 7890 189."
            )
        ) from error
    return stdnum_iban.format(compact)
