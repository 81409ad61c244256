"""The agents' pages: create an operation, record its budget, contracts, invoices, phases."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.real_estate import services as real_estate_services
from guichet.real_estate.models import Contract, Invoice, Operation
from tests import factories
from tests.real_estate.conftest import SIRET, contract_for, operation_new


@pytest.fixture
def lead_client(city_client, lead):
    city_client.force_login(lead)
    return city_client


def _url(operation, action=""):
    base = f"/agents/operations/{operation.pk}/"
    return f"{base}{action}/" if action else base


def test_operations__lists_the_operations_of_the_agent_services(lead_client, operation, city):
    other = factories.service(city, "sports")
    factories.agent(city, "sport@example.fr", services=("sports",))
    Operation.objects.create(
        authority=city, service=other, name="Gymnase", kind="new_building", address="x"
    )

    page = lead_client.get("/agents/operations/").content.decode()

    assert "Rénovation de l&#x27;école Jules-Ferry" in page
    assert "Gymnase" not in page


def test_operation_create__creates_the_operation_and_its_nine_phases(lead_client, lead, city):
    factories.service(city, "patrimoine")
    form = {
        "name": "Médiathèque",
        "kind": "rehabilitation",
        "address": "1 place du Marché",
        "cadastral_parcel": "ab 12",
        "service": str(lead.memberships.get().service_id),
        "lead": str(lead.pk),
        "start": "2026-02-01",
        "is_public": "on",
    }

    response = lead_client.post("/agents/operations/nouvelle/", form)
    again = lead_client.post("/agents/operations/nouvelle/", form)

    operation = Operation.objects.get(name="Médiathèque")
    assert response.status_code == 302
    assert again.status_code == 422  # a double submit creates one operation
    assert Operation.objects.filter(name="Médiathèque").count() == 1
    assert operation.cadastral_parcel == "AB 12"
    assert list(operation.phases.values_list("kind", flat=True)) == [
        "programming",
        "esq",
        "aps",
        "apd",
        "pro",
        "dce",
        "works",
        "acceptance",
        "warranty",
    ]
    assert operation.phases.first().planned_start == datetime.date(2026, 2, 1)


def test_operation_create__bad_parcel_keeps_the_answers(lead_client, lead):
    response = lead_client.post(
        "/agents/operations/nouvelle/",
        {
            "name": "Crèche",
            "kind": "new_building",
            "address": "2 rue Haute",
            "cadastral_parcel": "pas une parcelle",
            "service": str(lead.memberships.get().service_id),
            "start": "2026-02-01",
        },
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Saisissez la section et le numéro" in page
    assert 'value="Crèche"' in page
    assert not Operation.objects.filter(name="Crèche").exists()


def test_operation_action__contract_with_invalid_siret_is_refused(lead_client, operation):
    response = lead_client.post(
        _url(operation, "contract"),
        {
            "contract-lot_number": "1",
            "contract-lot_name": "Gros œuvre",
            "contract-contractor_name": "Bâti",
            "contract-contractor_siret": "12345678901234",
            "contract-amount_ht": "1000",
            "contract-vat_rate": "20.00",
            "contract-signed_on": "2026-03-01",
        },
    )

    assert response.status_code == 422
    assert "Ce numéro SIRET n&#x27;est pas valide" in response.content.decode()
    assert operation.contracts.count() == 0


def test_operation_action__records_contract_invoice_and_payment(lead_client, operation):
    lead_client.post(
        _url(operation, "contract"),
        {
            "contract-lot_number": "1",
            "contract-lot_name": "Gros œuvre",
            "contract-contractor_name": "Bâti Centre",
            "contract-contractor_siret": "732 829 320 00074",
            "contract-amount_ht": "250000,50",
            "contract-vat_rate": "20.00",
            "contract-signed_on": "2026-03-01",
        },
    )
    contract = Contract.objects.get(operation=operation)
    lead_client.post(
        _url(operation, "invoice"),
        {
            "invoice-contract": str(contract.pk),
            "invoice-number": "F1",
            "invoice-received_on": "2026-04-01",
            "invoice-amount_ht": "1000",
        },
    )
    invoice = Invoice.objects.get(contract=contract)
    lead_client.post(
        _url(operation, "invoice-certify"),
        {"certify-invoice": str(invoice.pk), "certify-on": "2026-04-05"},
    )
    response = lead_client.post(
        _url(operation, "invoice-pay"), {"pay-invoice": str(invoice.pk), "pay-on": "2026-04-20"}
    )

    invoice.refresh_from_db()
    assert response.status_code == 302
    assert (contract.contractor_siret, contract.amount_ht, contract.amount_ttc) == (
        SIRET,
        Decimal("250000.50"),
        Decimal("300000.60"),
    )
    assert (invoice.due_on, invoice.certified_on, invoice.paid_on) == (
        datetime.date(2026, 5, 1),
        datetime.date(2026, 4, 5),
        datetime.date(2026, 4, 20),
    )


def test_operation_action__budget_vote_then_revision(lead_client, operation):
    lead_client.post(
        _url(operation, "budget-vote"),
        {
            "vote-reference": "AP-1",
            "vote-amount": "300000",
            "vote-voted_on": "2025-12-10",
            "vote-cp_2026": "100000",
            "vote-cp_2027": "200000",
        },
    )
    response = lead_client.post(
        _url(operation, "budget-revise"),
        {
            "revise-amount": "320000",
            "revise-reason": "Aléas",
            "revise-decided_on": "2026-06-01",
            "revise-cp_2026": "80000",
            "revise-cp_2027": "200000",
            "revise-cp_2028": "40000",
        },
    )

    assert response.status_code == 302
    operation.budget.refresh_from_db()
    assert operation.budget.amount == Decimal("320000.00")
    assert list(operation.budget.credits.values_list("year", "amount")) == [
        (2026, Decimal("80000.00")),
        (2027, Decimal("200000.00")),
        (2028, Decimal("40000.00")),
    ]
    page = lead_client.get(_url(operation)).content.decode()
    assert "Révision de l&#x27;AP" in page


def test_phase_edit__records_actual_dates(lead_client, operation):
    phase = operation.phases.get(kind="programming")

    response = lead_client.post(
        f"/agents/operations/{operation.pk}/phases/{phase.pk}/",
        {
            "planned_start": "2026-01-05",
            "planned_end": "2026-04-04",
            "actual_start": "2026-01-05",
            "actual_end": "2026-04-20",
        },
    )

    phase.refresh_from_db()
    assert response.status_code == 302
    assert phase.actual_end == datetime.date(2026, 4, 20)
    assert phase.is_late(today=datetime.date(2026, 5, 1)) is True


def test_operation_action__document_and_photo(lead_client, operation):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    lead_client.post(
        _url(operation, "document"),
        {
            "document-title": "Programme",
            "document-phase": str(operation.phases.first().pk),
            "document-file": factories.pdf_upload("programme.pdf"),
        },
    )
    lead_client.post(
        _url(operation, "photo"),
        {
            "photo-caption": "La façade échafaudée",
            "photo-taken_on": "2026-05-02",
            "photo-is_public": "on",
            "photo-image": SimpleUploadedFile("facade.png", buffer.getvalue(), "image/png"),
        },
    )

    document, photo = operation.documents.get(), operation.photos.get()
    download = lead_client.get(f"/agents/operations/{operation.pk}/documents/{document.pk}/")
    image = lead_client.get(f"/agents/operations/{operation.pk}/photos/{photo.pk}/")
    assert (document.title, document.phase.kind, document.content_type) == (
        "Programme",
        "programming",
        "application/pdf",
    )
    assert download.status_code == 200
    assert (image.status_code, image["Content-Type"]) == (200, "image/png")


def test_operation_detail__requesting_service_reads_without_forms(city_client, city, operation):
    schools = factories.service(city, "ecoles")
    Operation.objects.filter(pk=operation.pk).update(requesting_service=schools)
    school_agent = factories.agent(city, "ecoles@example.fr", services=("ecoles",))
    city_client.force_login(school_agent)

    page = city_client.get(_url(operation))
    post = city_client.post(
        _url(operation, "risk"), {"risk-title": "x", "risk-probability": "1", "risk-impact": "1"}
    )
    follow = city_client.get("/agents/operations/suivi/").content.decode()

    assert page.status_code == 200
    assert "Ajouter un risque" not in page.content.decode()
    assert post.status_code == 404
    assert operation.risks.count() == 0
    assert "Jules-Ferry" in follow


def test_operation_detail__an_agent_of_another_service_gets_404(city_client, city, operation):
    city_client.force_login(factories.agent(city, "civil@example.fr"))

    assert city_client.get(_url(operation)).status_code == 404


@pytest.mark.parametrize("path", ["", "risk", "phases/{phase}", "documents/1", "photos/1"])
def test_isolation__another_authority_operation_is_404(client, other_city, operation, path):
    outsider = factories.person(other_city, "admin@ville-b.fr", is_authority_admin=True)
    client.force_login(outsider)
    client.defaults["HTTP_HOST"] = "ville-b.localhost"
    url = _url(operation) + (path.format(phase=operation.phases.first().pk) + "/" if path else "")

    assert client.get(url).status_code in {404, 405}
    assert (
        client.post(
            url, {"risk-title": "x", "risk-probability": "1", "risk-impact": "1"}
        ).status_code
        == 404
    )
    assert operation.risks.count() == 0


def test_isolation__a_contract_of_another_operation_cannot_be_amended(
    lead_client, city, operation, lead
):
    foreign = contract_for(operation_new(city, name="Autre", lead=lead))

    response = lead_client.post(
        _url(operation, "amendment"),
        {
            "amendment-contract": str(foreign.pk),
            "amendment-amount_ht": "10",
            "amendment-reason": "x",
            "amendment-signed_on": "2026-03-01",
        },
    )

    assert response.status_code == 422
    assert foreign.amendments.count() == 0


def test_operations__dashboard_totals_and_invoices_due_soon(lead_client, operation):
    from django.utils import timezone

    from guichet.real_estate import services

    today = timezone.localdate()
    contract = contract_for(operation, amount_ht="1000.00")
    soon = services.invoice_receive(
        contract=contract,
        number="F-SOON",
        received_on=today - datetime.timedelta(days=25),
        amount_ht=Decimal("100.00"),
    )
    services.invoice_receive(
        contract=contract,
        number="F-LATER",
        received_on=today,
        amount_ht=Decimal("100.00"),
    )

    page = lead_client.get("/agents/operations/").content.decode()

    assert "<dt>Engagé (TTC)</dt><dd>1\xa0200,00 €</dd>" in page
    assert "Facture F-SOON de Bâti Centre SARL" in page
    assert "F-LATER" not in page
    assert soon.due_on == today + datetime.timedelta(days=5)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("milestone", {"milestone-name": "OS travaux", "milestone-planned_on": "2026-06-01"}),
        ("reservation", {"reservation-description": "Joint", "reservation-noted_on": "2026-06-01"}),
        ("risk", {"risk-title": "Amiante", "risk-probability": "3", "risk-impact": "3"}),
        (
            "notice",
            {
                "notice-kind": "noise",
                "notice-title": "Bruit",
                "notice-body": "Le matin",
                "notice-starts_on": "2026-06-01",
            },
        ),
    ],
)
def test_operation_action__a_double_submit_records_once(lead_client, operation, action, data):
    first = lead_client.post(_url(operation, action), data)
    second = lead_client.post(_url(operation, action), data)

    related = {
        "milestone": operation.milestones,
        "reservation": operation.reservations,
        "risk": operation.risks,
        "notice": operation.notices,
    }[action]
    assert (first.status_code, second.status_code) == (302, 422)
    assert related.count() == 1


def test_operation_action__a_double_submitted_amendment_records_once(lead_client, operation):
    contract = contract_for(operation)
    data = {
        "amendment-contract": str(contract.pk),
        "amendment-amount_ht": "1500",
        "amendment-reason": "Plus-value",
        "amendment-signed_on": "2026-05-01",
    }

    lead_client.post(_url(operation, "amendment"), data)
    second = lead_client.post(_url(operation, "amendment"), data)

    assert second.status_code == 422
    assert "Cet avenant est déjà enregistré." in second.content.decode()
    assert list(contract.amendments.values_list("number", "amount_ttc")) == [
        (1, Decimal("1800.00"))
    ]


def test_operations__query_count_does_not_grow_with_operations(lead_client, city, lead, operation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get("/agents/operations/").status_code == 200
        return len(queries)

    contract_for(operation)
    one = count()
    for name in ("Gymnase", "Crèche"):
        other = operation_new(city, name=name, lead=lead)
        contract = contract_for(other)
        real_estate_services.invoice_receive(
            contract=contract,
            number="F1",
            received_on=datetime.date(2026, 3, 2),
            amount_ht=Decimal("5.00"),
        )

    assert count() == one


def test_operation_edit__changes_the_lead_and_unpublishes(lead_client, city, operation):
    other_lead = factories.agent(city, "autre@example.fr", services=("patrimoine",))

    page = lead_client.get(_url(operation, "modifier"))
    response = lead_client.post(
        _url(operation, "modifier"),
        {
            "name": operation.name,
            "kind": "rehabilitation",
            "address": operation.address,
            "cadastral_parcel": "AB 0124",
            "lead": str(other_lead.pk),
        },
    )

    operation.refresh_from_db()
    assert (page.status_code, response.status_code) == (200, 302)
    assert (operation.kind, operation.cadastral_parcel, operation.lead, operation.is_public) == (
        "rehabilitation",
        "AB 0124",
        other_lead,
        False,
    )
