import pytest
from django.core.exceptions import ValidationError

from guichet.tenants.colours import contrast_ratio, is_readable, validate_readable_colour


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.00),
        ("#ffffff", "#ffffff", 1.00),
        ("#000091", "#ffffff", 14.91),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes on white
        ("#ffcc00", "#ffffff", 1.51),
    ],
)
def test_contrast_ratio__matches_wcag_formula(first, second, ratio):
    assert round(contrast_ratio(first, second), 2) == ratio
    assert round(contrast_ratio(second, first), 2) == ratio


@pytest.mark.parametrize(
    ("colour", "readable"),
    [
        ("#000091", True),  # Marianne blue
        ("#1f4e3d", True),
        ("#8a4b00", True),
        ("#767676", False),  # 4.54 on white but 4.10 on the panels' grey
        ("#ffcc00", False),
        ("red", False),
        ("", False),
    ],
)
def test_is_readable__on_white_and_on_the_panels_grey(colour, readable):
    assert is_readable(colour) is readable


def test_validator__names_the_ratio_and_the_minimum():
    with pytest.raises(ValidationError) as error:
        validate_readable_colour("#ffcc00")

    assert error.value.messages == [
        "Contraste insuffisant : 1,37:1 sur fond clair. Il faut au moins 4,5:1 pour que le "
        "texte reste lisible (RGAA 3.2) ; choisissez une teinte plus foncée."
    ]


@pytest.mark.django_db
def test_authority__refuses_a_pale_primary_colour(city):
    city.primary_colour = "#ffcc00"

    with pytest.raises(ValidationError) as error:
        city.full_clean()

    assert list(error.value.message_dict) == ["primary_colour"]
