"""Two authorities with something behind every API endpoint, and their partners' keys."""

import json
from dataclasses import dataclass

import pytest

from guichet.api.schema import Generator
from guichet.barometer import services as barometer
from guichet.barometer import synthetic
from guichet.public_space import services as public_space
from guichet.public_space.models import Category, Report
from guichet.security.api_keys import api_key_create
from guichet.security.models import ApiKey
from guichet.tenants.models import Authority
from tests import factories
from tests.public_space.conftest import HERE, POTHOLE_QUESTIONS

HOST = "ville-a.localhost"
OTHER_HOST = "ville-b.localhost"


def openapi_document() -> dict:
    """The schema `/api/schema/` serves, as JSON types (dates and the like as strings)."""
    generated = Generator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, default=str))


@dataclass(frozen=True)
class Partner:
    """An authority as a partner sees it: its host, a report, and keys by scope."""

    authority: Authority
    host: str
    report: Report
    full_key: str  # every scope
    keys: dict[str, str]  # one key per scope, with that scope only


def _pothole(authority: Authority) -> Category:
    return Category.objects.create(
        authority=authority,
        code="nid-de-poule",
        name="Nid-de-poule",
        description="Chaussée abîmée",
        group="Voirie",
        service=factories.service(authority, "voirie"),
        questions=POTHOLE_QUESTIONS,
    )


def _partner(authority: Authority, host: str, description: str) -> Partner:
    factories.civil_status_procedure(authority)
    report = public_space.report_file(
        category=_pothole(authority),
        description=description,
        latitude=HERE[0],
        longitude=HERE[1],
        address="18 avenue de la République",
        answers={"surface": "chaussee"},
        contact_email="alice@example.fr",
    )
    _key, full = api_key_create(authority=authority, name="Partenaire", scopes=ApiKey.Scope.values)
    keys = {
        scope: api_key_create(authority=authority, name=f"Partenaire {scope}", scopes=[scope])[1]
        for scope in ApiKey.Scope.values
    }
    return Partner(authority=authority, host=host, report=report, full_key=full, keys=keys)


@pytest.fixture
def partner_a(city) -> Partner:
    campaign = barometer.campaign_create(authority=city, slug="b2012", year=2012, template="2012")
    barometer.respondents_import(campaign=campaign, content=synthetic.csv_bytes(), name="p.csv")
    barometer.campaign_publish(campaign=campaign, published=True)
    return _partner(city, HOST, "Trou profond devant l'école")


@pytest.fixture
def partner_b(other_city) -> Partner:
    return _partner(other_city, OTHER_HOST, "Lampadaire éteint rue B")
