import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.cli.demo_data import TINY_PDF
from guichet.engine import validators


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0612345678", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("(01) 23-45-67-89", "01 23 45 67 89"),
    ],
)
def test_phone_normalise__formats_french_numbers(raw, expected):
    assert validators.phone_normalise(raw) == expected


@pytest.mark.parametrize("raw", ["061234567", "0012345678", "+44 20 7946 0958", "06123456789"])
def test_phone_normalise__refuses_non_french_numbers(raw):
    with pytest.raises(ValidationError):
        validators.phone_normalise(raw)


def test_siret_normalise__accepts_a_valid_luhn_number():
    assert validators.siret_normalise("732 829 320 00074") == "73282932000074"


@pytest.mark.parametrize("raw", ["73282932000075", "7328293200007", "7328293200007A"])
def test_siret_normalise__refuses_invalid_numbers(raw):
    with pytest.raises(ValidationError) as error:
        validators.siret_normalise(raw)

    assert error.value.messages == ["Ce numéro SIRET n'est pas valide (14 chiffres)."]


def test_iban_normalise__accepts_a_valid_iban_and_groups_it():
    assert (
        validators.iban_normalise("fr76 3000 6000 0112 3456 7890 189")
        == "FR76 3000 6000 0112 3456 7890 189"
    )


def test_iban_normalise__refuses_a_changed_digit():
    with pytest.raises(ValidationError) as error:
        validators.iban_normalise("FR7630006000011234567890188")

    assert error.value.messages == ["Cet IBAN n'est pas valide (clé de contrôle incorrecte)."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("48.8566, 2.3522", "48.856600,2.352200"),
        ("48,8566; 2,3522", "48.856600,2.352200"),
        (" -21.1151 , 55.5364 ", "-21.115100,55.536400"),
    ],
)
def test_map_point_parse__reads_latitude_and_longitude(raw, expected):
    assert validators.map_point_parse(raw) == expected


@pytest.mark.parametrize("raw", ["48.8566", "Paris", "95.0, 2.0", "48.0, 181.0"])
def test_map_point_parse__refuses_other_input(raw):
    with pytest.raises(ValidationError):
        validators.map_point_parse(raw)


def test_upload_check__returns_the_sniffed_type_of_a_real_pdf():
    upload = SimpleUploadedFile("piece.pdf", TINY_PDF, "application/pdf")

    assert validators.upload_check(upload, accept=("pdf",), max_size_mb=1) == "application/pdf"
    assert upload.read() == TINY_PDF  # rewound for storage


def test_upload_check__refuses_text_named_pdf_naming_the_file_and_accepted_types():
    upload = SimpleUploadedFile("id.pdf", b"just some text, not a PDF\n" * 10, "application/pdf")

    with pytest.raises(ValidationError) as error:
        validators.upload_check(upload, accept=("pdf", "jpeg", "png"), max_size_mb=5)

    assert error.value.messages == [
        "Le fichier « id.pdf » n'est pas d'un type accepté (PDF, JPEG, PNG)."
    ]


def test_upload_check__refuses_a_file_over_the_size_limit():
    upload = SimpleUploadedFile("big.pdf", TINY_PDF + b"0" * (1024 * 1024), "application/pdf")

    with pytest.raises(ValidationError) as error:
        validators.upload_check(upload, accept=("pdf",), max_size_mb=1)

    assert error.value.messages == ["Le fichier « big.pdf » dépasse la taille maximale de 1 Mo."]
