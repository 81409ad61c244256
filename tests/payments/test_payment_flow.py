"""The payment flow through HTTP with the local fake bank: signed request, signed answers
(browser return and server notification), applied once; unsigned or tampered: nothing."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from guichet.individuals import school
from guichet.individuals.models import Household
from guichet.payments.models import Payment, PaymentEvent
from guichet.payments.providers import signature
from tests import factories
from tests.individuals.school_factories import activity_with_grid, household_with_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(city, resident):
    agent = factories.agent(city, services=("enfance",))
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident, quotient="720")
    enrolment = school.activity_enrol(child=lea, activity=canteen, weekdays=[0])
    for day in (1, 8, 15):
        school.attendance_record(
            enrolment=enrolment, date=datetime.date(2027, 3, day), is_present=True, by=agent
        )
    return school.invoice_issue(
        household=household, regie=canteen.regie, month=datetime.date(2027, 3, 1)
    )


@pytest.fixture
def family_client(client, resident):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)
    return client


def _pay_at_the_bank(client, invoice, result="paid"):
    to_bank = client.post(f"/famille/factures/{invoice.pk}/payer/")
    bank_url = urlsplit(to_bank["Location"])
    assert bank_url.path == "/paiement/banque-fictive/"
    request_fields = dict(parse_qsl(bank_url.query))
    bank_page = client.get(to_bank["Location"])
    assert "7,05 €" in bank_page.content.decode()
    back = client.post("/paiement/banque-fictive/", request_fields | {"result": result})
    back_url = urlsplit(back["Location"])
    answer = {k: v for k, v in parse_qsl(back_url.query) if k != "next"}
    return back["Location"], answer


def test_payment__return_then_replayed_notification_pays_the_invoice_once(family_client, invoice):
    return_url, answer = _pay_at_the_bank(family_client, invoice)

    returned = family_client.get(return_url)
    invoice.refresh_from_db()
    paid_at = invoice.paid_at
    notified = family_client.post("/paiement/notification/", answer)
    replayed = family_client.post("/paiement/notification/", answer)
    family_client.get(return_url)

    assert returned["Location"] == "/famille/"
    assert (notified.status_code, replayed.status_code) == (200, 200)
    payment = Payment.objects.get()
    assert (payment.state, payment.amount, payment.transaction_id) == (
        "paid",
        Decimal("7.05"),
        answer["transaction_id"],
    )
    invoice.refresh_from_db()
    assert invoice.paid_at == paid_at is not None
    assert invoice.payment_reference == payment.reference
    assert list(PaymentEvent.objects.values_list("channel", "changed_state")) == [
        ("return", True),
        ("notification", False),
        ("notification", False),
        ("return", False),
    ]
    page = family_client.get("/famille/").content.decode()
    assert "Payée le" in page


def test_payment__unsigned_or_tampered_notification_changes_nothing(family_client, invoice):
    _return_url, answer = _pay_at_the_bank(family_client, invoice)
    unsigned = {k: v for k, v in answer.items() if k != "signature"}
    tampered = answer | {"amount": "1"}
    forged = answer | {"signature": "0" * 64}
    payment = Payment.objects.get()
    resigned_with_wrong_key = answer | {
        "signature": signature(fields=answer, secret="not-the-regie-secret")
    }

    responses = [
        family_client.post("/paiement/notification/", fields).status_code
        for fields in (unsigned, tampered, forged, resigned_with_wrong_key)
    ]
    family_client.get("/paiement/retour/", unsigned)

    assert responses == [400, 400, 400, 400]
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert (payment.state, invoice.paid_at) == ("created", None)
    assert PaymentEvent.objects.count() == 0


def test_payment__cancelled_at_the_bank_leaves_the_invoice_to_pay(family_client, invoice):
    return_url, answer = _pay_at_the_bank(family_client, invoice, result="cancelled")

    family_client.get(return_url)
    family_client.post("/paiement/notification/", answer | {"result": "paid"})  # tampered

    invoice.refresh_from_db()
    assert invoice.paid_at is None
    assert Payment.objects.get().state == "cancelled"
    assert family_client.post(f"/famille/factures/{invoice.pk}/payer/").status_code == 302
    assert Payment.objects.count() == 2


def test_payment__a_paid_invoice_cannot_be_paid_again(family_client, invoice):
    return_url, _answer = _pay_at_the_bank(family_client, invoice)
    family_client.get(return_url)

    again = family_client.post(f"/famille/factures/{invoice.pk}/payer/")

    assert again["Location"] == "/famille/"
    assert Payment.objects.count() == 1


def test_invoice_pages__another_household_invoice_is_404(client, city, invoice):
    other = factories.person(city, "autre@example.fr", last_name="Autre")
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(other)

    assert client.get(f"/famille/factures/{invoice.pk}/facture.pdf").status_code == 404
    assert client.post(f"/famille/factures/{invoice.pk}/payer/").status_code == 404
    assert Payment.objects.count() == 0
    assert Household.objects.count() == 1  # none made for the intruder


def test_notification__of_another_authority_is_refused(client, other_city, family_client, invoice):
    _return_url, answer = _pay_at_the_bank(family_client, invoice)
    client.defaults["HTTP_HOST"] = "ville-b.localhost"

    response = client.post("/paiement/notification/", answer)

    assert response.status_code == 400
    assert Payment.objects.get().state == "created"
