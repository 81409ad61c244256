"""Exports of operations, contracts and invoices, read back."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from odf.opendocument import load
from odf.table import TableRow
from openpyxl import load_workbook

from guichet.real_estate import services
from tests.real_estate.conftest import SIRET, contract_for


@pytest.fixture
def recorded(operation):
    contract = contract_for(operation, amount_ht="1000.00")
    services.amendment_record(
        contract=contract,
        amount_ht=Decimal("100.00"),
        reason="Plus",
        signed_on=datetime.date(2026, 3, 1),
    )
    invoice = services.invoice_receive(
        contract=contract,
        number="F-9",
        received_on=datetime.date(2026, 3, 2),
        amount_ht=Decimal("500.00"),
    )
    services.invoice_certify(invoice=invoice, certified_on=datetime.date(2026, 3, 3))
    return operation


def _get(client, lead, what, file_format):
    client.force_login(lead)
    response = client.get(f"/agents/operations/export/?what={what}&format={file_format}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_export__contracts_xlsx(city_client, lead, recorded):
    content = _get(city_client, lead, "contracts", "xlsx")

    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Opération", "Lot", "Intitulé du lot", "Titulaire", "SIRET")
    assert rows[1] == (
        "Rénovation de l'école Jules-Ferry",
        1,
        "Isolation thermique",
        "Bâti Centre SARL",
        SIRET,
        1000,
        20,
        1200,
        1,
        1100,
        1320,
        "2026-02-01",
    )


def test_export__invoices_csv(city_client, lead, recorded):
    content = _get(city_client, lead, "invoices", "csv").decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1] == [
        "Rénovation de l'école Jules-Ferry",
        "1",
        "Bâti Centre SARL",
        "F-9",
        "500.00",
        "600.00",
        "2026-03-02",
        "2026-04-01",
        "2026-03-03",
        "",
        "Service fait",
    ]


def test_export__operations_ods(city_client, lead, recorded):
    content = _get(city_client, lead, "operations", "ods")

    document = load(io.BytesIO(content))
    rows = [[str(cell) for cell in row.childNodes] for row in document.getElementsByType(TableRow)]
    assert rows[0][0] == "Opération"
    assert rows[1][0] == "Rénovation de l'école Jules-Ferry"
    assert rows[1][-3:] == ["0.00", "1320.00", "0.00"]


def test_export__only_the_agent_operations(city_client, recorded, city):
    from tests import factories

    other = factories.agent(city, "civil@example.fr")

    content = _get(city_client, other, "contracts", "csv").decode("utf-8-sig")

    assert len(list(csv.reader(io.StringIO(content), delimiter=";"))) == 1


def test_export__unknown_kind_goes_back_to_the_operations(city_client, lead):
    city_client.force_login(lead)

    response = city_client.get("/agents/operations/export/?what=x&format=csv")

    assert (response.status_code, response["Location"]) == (302, "/agents/operations/")
