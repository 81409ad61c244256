import pytest
from django.core.exceptions import ValidationError

from guichet.accounts.identifiers import iban_normalise, rna_normalise, siret_normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("732 829 320 00074", "73282932000074"),
        ("73282932000074", "73282932000074"),
        ("356 000 000 00048", "35600000000048"),
    ],
)
def test_siret__good_values_are_kept_without_spaces(typed, stored):
    assert siret_normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "73282932000075",
            "Ce numéro SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez les chiffres.",
        ),
        ("7328293200007", "Un numéro SIRET compte 14 chiffres (vous en avez saisi 13)."),
        ("ABCDEFGHIJKLMN", "Un numéro SIRET compte 14 chiffres (vous en avez saisi 0)."),
    ],
)
def test_siret__bad_values_say_why(typed, message):
    with pytest.raises(ValidationError) as error:
        siret_normalise(typed)
    assert error.value.messages == [message]


@pytest.mark.parametrize(
    ("typed", "stored"), [("W451234567", "W451234567"), (" w45 1234567", "W451234567")]
)
def test_rna__good_values(typed, stored):
    assert rna_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["451234567", "W45123456", "W4512345678", "X451234567"])
def test_rna__bad_values_say_the_format(typed):
    with pytest.raises(ValidationError) as error:
        rna_normalise(typed)
    assert error.value.messages == [
        "Un numéro RNA commence par W suivi de 9 chiffres, par exemple W451234567."
    ]


def test_iban__good_value_is_grouped_by_four():
    assert iban_normalise("fr7630006000011234567890189") == "FR76 3000 6000 0112 3456 7890 189"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "FR7630006000011234567890188",
            "Cet IBAN n'existe pas : sa clé de contrôle est fausse. Vérifiez les caractères.",
        ),
        (
            "FR76 3000",
            "Un IBAN commence par le code du pays et compte 27 caractères en France, par exemple FR76 3000 6000 0112 3456 7890 189.",
        ),
    ],
)
def test_iban__bad_values_say_why(typed, message):
    with pytest.raises(ValidationError) as error:
        iban_normalise(typed)
    assert error.value.messages == [message]
