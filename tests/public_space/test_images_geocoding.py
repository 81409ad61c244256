import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from guichet.documents.images import ImageError, image_reencode
from guichet.public_space.geocoding import BanProvider, OfflineProvider, Place, coordinates_parse
from tests.public_space.conftest import gps_jpeg

RECORDED = Path(__file__).parent / "recorded"


def test_reencoding_drops_gps_and_device():
    original = Image.open(io.BytesIO(gps_jpeg()))
    assert original.getexif()[0x010F] == "PhoneMaker"
    assert original.getexif().get_ifd(0x8825)[1] == "N"

    clean = Image.open(image_reencode(io.BytesIO(gps_jpeg()), name="x.png"))

    assert clean.format == "JPEG"
    assert clean.size == (64, 48)
    assert dict(clean.getexif()) == {}
    assert "exif" not in clean.info


def test_reencoding_refuses_what_is_not_an_image():
    with pytest.raises(ImageError):
        image_reencode(io.BytesIO(b"%PDF-1.4 not an image"))


def test_reencoding_shrinks_large_photos():
    big = io.BytesIO()
    Image.new("RGB", (4000, 3000), (1, 2, 3)).save(big, format="PNG")
    big.seek(0)
    assert Image.open(image_reencode(big)).size == (2048, 1536)


def _recorded(*names: str):
    calls = []

    def fetch(url: str) -> bytes:
        calls.append(url)
        return (RECORDED / names[len(calls) - 1]).read_bytes()

    return fetch, calls


def test_ban_geocodes_an_address_from_its_recorded_answer():
    fetch, calls = _recorded("ban_search.json")
    place = BanProvider("https://api-adresse.data.gouv.fr/", fetch=fetch).geocode(
        "18 avenue de la République Orléans"
    )
    assert place == Place(
        Decimal("47.902964"), Decimal("1.909251"), "18 Avenue de la République 45000 Orléans"
    )
    assert calls == [
        "https://api-adresse.data.gouv.fr/search/?q=18+avenue+de+la+R%C3%A9publique+Orl%C3%A9ans&limit=1"
    ]


def test_ban_ignores_weak_matches_and_outages():
    fetch, _calls = _recorded("ban_search_weak.json")
    assert BanProvider("https://ban", fetch=fetch).geocode("zzqx") is None

    def down(url: str) -> bytes:
        raise OSError("timeout")

    assert BanProvider("https://ban", fetch=down).geocode("18 avenue de la République") is None


def test_ban_reverse_geocodes_coordinates():
    fetch, calls = _recorded("ban_reverse.json")
    label = BanProvider("https://ban", fetch=fetch).reverse(
        Decimal("47.902964"), Decimal("1.909251")
    )
    assert label == "18 Avenue de la République 45000 Orléans"
    assert calls == ["https://ban/reverse/?lat=47.902964&lon=1.909251"]
    assert json.loads((RECORDED / "ban_reverse.json").read_text())["features"]


def test_offline_provider_reads_coordinates_only():
    provider = OfflineProvider()
    assert provider.geocode("47.902964, 1.909251") == Place(
        Decimal("47.902964"), Decimal("1.909251"), ""
    )
    assert provider.geocode("18 avenue de la République") is None
    assert coordinates_parse("95.0, 1.0") is None
    assert coordinates_parse("47.9;1.9") == (Decimal("47.900000"), Decimal("1.900000"))
