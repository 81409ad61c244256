"""Operations in the states the tests need, said by their names."""

import datetime
from decimal import Decimal

import pytest

from guichet.real_estate import services
from guichet.real_estate.models import Contract, Operation
from tests import factories

START = datetime.date(2026, 1, 5)
# A valid SIRET (Luhn key) of a fictitious contractor.
SIRET = "73282932000074"


def operation_new(authority, *, name: str = "Rénovation de l'école Jules-Ferry", lead=None):
    service = factories.service(authority, "patrimoine")
    by = lead or factories.agent(authority, f"lead-{name[:5]}@example.fr".lower().replace(" ", ""))
    return services.operation_create(
        service=service,
        data=services.OperationData(
            name=name,
            kind=Operation.Kind.ENERGY_RENOVATION,
            address="3 rue de l'École, 45000 Ville A",
            programme="Plan écoles 2026-2029",
            cadastral_parcel="AB 0123",
            lead=lead,
        ),
        by=by,
        start=START,
    )


def contract_for(operation, *, lot: int = 1, amount_ht: str = "100000.00") -> Contract:
    return services.contract_record(
        operation=operation,
        data=services.ContractData(
            lot_number=lot,
            lot_name="Isolation thermique",
            contractor_name="Bâti Centre SARL",
            contractor_siret=SIRET,
            amount_ht=Decimal(amount_ht),
            vat_rate=Decimal("20.00"),
            signed_on=datetime.date(2026, 2, 1),
        ),
    )


@pytest.fixture
def lead(city):
    return factories.agent(city, "conducteur@example.fr", services=("patrimoine",))


@pytest.fixture
def operation(city, lead):
    return operation_new(city, lead=lead)
