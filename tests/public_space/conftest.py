import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guichet.public_space.models import Category
from tests import factories

POTHOLE_QUESTIONS = [
    {
        "code": "surface",
        "label": "Où se trouve le défaut ?",
        "type": "singlevaluelist",
        "required": True,
        "values": [
            {"key": "chaussee", "name": "Sur la chaussée"},
            {"key": "trottoir", "name": "Sur le trottoir"},
        ],
    },
    {
        "code": "nature",
        "label": "Nature",
        "type": "multivaluelist",
        "required": False,
        "values": [{"key": "trou", "name": "Trou"}, {"key": "fissure", "name": "Fissure"}],
    },
]
HERE = (Decimal("47.902964"), Decimal("1.909251"))


def gps_jpeg(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A JPEG carrying EXIF GPS coordinates and the camera's make and model."""
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12 Pro"  # Model
    exif[0x8825] = {1: "N", 2: (47.0, 54.0, 10.67), 3: "E", 4: (1.0, 54.0, 33.3)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, gps_jpeg(), "image/jpeg")


@pytest.fixture
def roads(city):
    return factories.service(city, "voirie")


@pytest.fixture
def pothole(city, roads):
    return Category.objects.create(
        authority=city,
        code="nid-de-poule",
        name="Nid-de-poule",
        description="Chaussée abîmée",
        group="Voirie",
        service=roads,
        questions=POTHOLE_QUESTIONS,
    )


@pytest.fixture
def lighting(city):
    return Category.objects.create(
        authority=city,
        code="eclairage",
        name="Éclairage",
        service=factories.service(city, "eclairage"),
    )


@pytest.fixture
def road_agent(city, roads):
    return factories.agent(city, "marc@ville-a.fr", services=("voirie",))
