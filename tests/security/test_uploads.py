"""Uploads: type from the content, size, images re-encoded, PDFs checked, the antivirus."""

import io

import pytest
import weasyprint  # noqa: F401  (as in production: it lets Pillow load truncated images)
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from guichet.cli.demo_data import TINY_PDF
from guichet.engine.validators import upload_check
from tests.security.fake_clamd import EICAR, FakeClamd

ACCEPT = ("pdf", "jpeg", "png")


@pytest.fixture
def deep_checks(settings):
    settings.GUICHET_UPLOAD_DEEP_CHECKS = True


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.GUICHET_CLAMD_ADDRESS = server.address
    yield server
    server.stop()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (48, 51, 24)}  # GPSInfo: where the photo was taken
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def refusal(upload) -> str:
    with pytest.raises(ValidationError) as error:
        upload_check(upload, accept=ACCEPT, max_size_mb=1)
    return error.value.messages[0]


def test_type__comes_from_the_content_not_the_name():
    upload = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable", "image/jpeg")

    assert refusal(upload) == (
        "Le fichier « photo.jpg » n'est pas d'un type accepté (PDF, JPEG, PNG)."
    )


def test_size__over_the_limit_is_refused():
    upload = SimpleUploadedFile("scan.pdf", TINY_PDF + b"0" * (1024 * 1024), "application/pdf")

    assert refusal(upload) == "Le fichier « scan.pdf » dépasse la taille maximale de 1 Mo."


def test_image__is_re_encoded_without_its_metadata(deep_checks):
    original = jpeg_with_exif()
    upload = SimpleUploadedFile("photo.jpg", original, "image/jpeg")

    assert upload_check(upload, accept=ACCEPT, max_size_mb=1) == "image/jpeg"

    stored = upload.read()
    assert stored != original
    assert upload.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (40, 30)
        assert dict(image.getexif()) == {}
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif()[0x010F] == "PhoneMaker"


def test_image__in_a_temporary_file_is_re_encoded_in_place(deep_checks):
    upload = TemporaryUploadedFile("photo.jpg", "image/jpeg", 0, None)
    upload.write(jpeg_with_exif())
    upload.seek(0)

    upload_check(upload, accept=ACCEPT, max_size_mb=1)

    with open(upload.temporary_file_path(), "rb") as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
    upload.close()


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "photo.png"), ("JPEG", "photo.jpg")])
def test_image__truncated_is_refused(deep_checks, fmt, name):
    out = io.BytesIO()
    Image.effect_noise((200, 200), 50).convert("RGB").save(out, format=fmt)
    upload = SimpleUploadedFile(name, out.getvalue()[: len(out.getvalue()) // 2])

    assert refusal(upload) == f"L'image « {name} » est illisible ou endommagée."


def _pdf(**options) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if options.get("javascript"):
        writer.add_open_action(JavaScript("app.alert('x');"))
    if options.get("password"):
        writer.encrypt(options["password"])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf__a_plain_one_passes(deep_checks):
    upload = SimpleUploadedFile("piece.pdf", _pdf(), "application/pdf")

    assert upload_check(upload, accept=ACCEPT, max_size_mb=1) == "application/pdf"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            _pdf(javascript=True),
            "Le PDF « piece.pdf » contient du code ou des fichiers joints : "
            "enregistrez-le de nouveau en PDF simple (« Imprimer en PDF »).",
        ),
        (
            _pdf(password="secret"),
            "Le PDF « piece.pdf » est protégé par un mot de passe : envoyez-le sans protection.",
        ),
        (b"%PDF-1.4\n garbage", "Le PDF « piece.pdf » est illisible ou endommagé."),
    ],
    ids=["javascript", "encrypted", "broken"],
)
def test_pdf__active_encrypted_or_broken_is_refused_saying_why(deep_checks, content, message):
    upload = SimpleUploadedFile("piece.pdf", content, "application/pdf")

    assert refusal(upload) == message


def test_antivirus__clean_file_passes_and_is_scanned_whole(clamd):
    upload = SimpleUploadedFile("piece.pdf", TINY_PDF, "application/pdf")

    upload_check(upload, accept=ACCEPT, max_size_mb=1)

    assert clamd.scanned == [TINY_PDF]


def test_antivirus__infected_file_is_refused_with_the_virus_name(clamd):
    upload = SimpleUploadedFile("piece.pdf", TINY_PDF + EICAR, "application/pdf")

    assert refusal(upload) == (
        "Le fichier « piece.pdf » contient un virus (Eicar-Test-Signature) : il est refusé."
    )


def test_antivirus__unreachable_refuses_rather_than_lets_through(settings):
    server = FakeClamd()
    address = server.address
    server.stop()
    settings.GUICHET_CLAMD_ADDRESS = address
    upload = SimpleUploadedFile("piece.pdf", TINY_PDF, "application/pdf")

    assert refusal(upload) == (
        "L'analyse antivirus de « piece.pdf » n'a pas pu se faire : réessayez plus tard."
    )
