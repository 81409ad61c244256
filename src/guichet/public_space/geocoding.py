"""Addresses to coordinates and back, behind one interface.

`OfflineProvider` (the default) reads coordinates typed as "45.764, 4.8357" and knows no
street; `BanProvider` asks the Base Adresse Nationale (api-adresse.data.gouv.fr). The
provider comes from `GUICHET_GEOCODER` ("offline" or "ban").
"""

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings

COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Place:
    latitude: Decimal
    longitude: Decimal
    label: str


class Geocoder(Protocol):
    def geocode(self, query: str) -> Place | None: ...

    def reverse(self, latitude: Decimal, longitude: Decimal) -> str: ...


def coordinates_parse(text: str) -> tuple[Decimal, Decimal] | None:
    match = COORDINATES.match(text or "")
    if not match:
        return None
    latitude, longitude = Decimal(match[1]), Decimal(match[2])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


class OfflineProvider:
    """No network: coordinates typed as text are understood, street addresses are not."""

    def geocode(self, query: str) -> Place | None:
        parsed = coordinates_parse(query)
        if parsed is None:
            return None
        return Place(parsed[0], parsed[1], "")

    def reverse(self, latitude: Decimal, longitude: Decimal) -> str:
        return ""


Fetch = Callable[[str], bytes]


def _http_get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "Guichet"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=settings.GUICHET_GEOCODER_TIMEOUT) as response:  # noqa: S310
        return response.read()


class BanProvider:
    """The national address base: `/search/?q=` and `/reverse/?lat=&lon=` (GeoJSON)."""

    def __init__(self, base_url: str, fetch: Fetch = _http_get, min_score: float = 0.5) -> None:
        self.base_url = base_url.rstrip("/")
        self.fetch = fetch
        self.min_score = min_score

    def _features(self, path: str, params: dict[str, str]) -> list[dict]:
        url = f"{self.base_url}/{path}/?{urllib.parse.urlencode(params)}"
        try:
            return json.loads(self.fetch(url)).get("features") or []
        except (OSError, ValueError):
            return []  # the service is down or answers nonsense: the person types coordinates

    def geocode(self, query: str) -> Place | None:
        parsed = coordinates_parse(query)
        if parsed is not None:
            return Place(parsed[0], parsed[1], self.reverse(*parsed))
        if len(query.strip()) < 3:
            return None
        for feature in self._features("search", {"q": query.strip(), "limit": "1"}):
            properties = feature.get("properties", {})
            if properties.get("score", 0) < self.min_score:
                continue
            longitude, latitude = feature["geometry"]["coordinates"]
            return Place(
                Decimal(str(latitude)).quantize(Decimal("0.000001")),
                Decimal(str(longitude)).quantize(Decimal("0.000001")),
                properties.get("label", ""),
            )
        return None

    def reverse(self, latitude: Decimal, longitude: Decimal) -> str:
        for feature in self._features("reverse", {"lat": str(latitude), "lon": str(longitude)}):
            return feature.get("properties", {}).get("label", "")
        return ""


def geocoder() -> Geocoder:
    if settings.GUICHET_GEOCODER == "ban":
        return BanProvider(settings.GUICHET_BAN_URL)
    return OfflineProvider()
