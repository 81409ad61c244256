"""An authority's colours must stay readable (RGAA 3.2, WCAG 2.1 success criterion 1.4.3):
the pages put the primary colour as text on light backgrounds and as the background of
white button text, so each colour needs a contrast of at least 4.5:1 against them."""

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# White, and the soft grey of panels and the footer (guichet.css --bg-soft).
LIGHT_BACKGROUNDS = ("#ffffff", "#f3f3f8")
MINIMUM_CONTRAST = 4.5


def relative_luminance(colour: str) -> float:
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def lowest_contrast(colour: str) -> float:
    return min(contrast_ratio(colour, background) for background in LIGHT_BACKGROUNDS)


def is_readable(colour: str) -> bool:
    return bool(HEX_COLOUR.fullmatch(colour or "")) and lowest_contrast(colour) >= MINIMUM_CONTRAST


def validate_readable_colour(value: str) -> None:
    if not HEX_COLOUR.fullmatch(value or ""):
        return  # the format validator reports it
    ratio = lowest_contrast(value)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "Contraste insuffisant : %(ratio)s:1 sur fond clair. Il faut au moins 4,5:1 "
                "pour que le texte reste lisible (RGAA 3.2) ; choisissez une teinte plus foncée."
            ),
            code="low_contrast",
            params={"ratio": number_format(round(ratio, 2), decimal_pos=2)},
        )
