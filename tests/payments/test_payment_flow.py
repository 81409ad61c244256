"""The payment flow through HTTP with eopayment's dummy backend and the local dummy payment
service: the notification (signed) settles the payment once; the browser return (unsigned)
and unsigned or tampered notifications change nothing."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from guichet.individuals import school
from guichet.individuals.models import Household
from guichet.payments.models import Payment, PaymentEvent
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


def _to_the_dummy_service(client, invoice) -> dict[str, str]:
    """The family asks to pay: its browser is sent to the dummy service with the order."""
    to_service = client.post(f"/famille/factures/{invoice.pk}/payer/")
    service_url = urlsplit(to_service["Location"])
    assert service_url.path == "/paiement/banque-fictive/"
    return dict(parse_qsl(service_url.query))


def _choose(client, order: dict[str, str], result: str) -> str:
    """At the dummy service, the payer pays or gives up: where the browser goes back to."""
    back = client.post("/paiement/banque-fictive/", order | {"result": result})
    assert back.status_code == 302
    return str(back["Location"])


def _notify(client, order: dict[str, str], fields: dict[str, str]):
    """The notification as the dummy service POSTs it to `direct_notification_url`."""
    url = urlsplit(order["direct_notification_url"])
    return client.post(f"{url.path}?{url.query}", fields)


def test_payment__the_dummy_service_gets_the_order_from_eopayment(family_client, invoice, resident):
    order = _to_the_dummy_service(family_client, invoice)

    payment = Payment.objects.get()
    assert order == {
        "transaction_id": payment.transaction_id,
        "amount": "7.05",
        "email": resident.email,
        "return_url": "http://ville-a.localhost/paiement/retour/?"
        + urlencode({"ref": payment.reference, "next": "/famille/"}),
        "direct_notification_url": "http://ville-a.localhost/paiement/notification/?"
        + urlencode({"ref": payment.reference}),
        "origin": "Guichet (tests)",
        "orderid": payment.reference,
        "subject": f"Facture {invoice.number}",
    }
    assert len(payment.transaction_id) == 32
    page = family_client.get("/paiement/banque-fictive/", order).content.decode()
    assert "7,05 €" in page
    assert f"Facture {invoice.number}" in page
    assert ">Payer</button>" in page
    assert ">Abandonner</button>" in page


def test_payment__notification_then_replay_pays_the_invoice_once(family_client, invoice):
    order = _to_the_dummy_service(family_client, invoice)
    return_url = _choose(family_client, order, "paid")
    signed_paid = {"transaction_id": order["transaction_id"], "ok": "1", "signed": "1"}

    returned_early = family_client.get(return_url, follow=True)
    notified = _notify(family_client, order, signed_paid)
    invoice.refresh_from_db()
    paid_at = invoice.paid_at
    replayed = _notify(family_client, order, signed_paid)
    returned_late = family_client.get(return_url, follow=True)

    assert "Paiement en cours de confirmation" in returned_early.content.decode()
    assert (notified.status_code, replayed.status_code) == (200, 200)
    payment = Payment.objects.get()
    assert (payment.state, payment.amount, payment.transaction_id) == (
        "paid",
        Decimal("7.05"),
        order["transaction_id"],
    )
    invoice.refresh_from_db()
    assert invoice.paid_at == paid_at is not None
    assert invoice.payment_reference == payment.reference
    assert list(PaymentEvent.objects.values_list("channel", "changed_state")) == [
        ("notification", True),
        ("notification", False),
    ]
    assert "Paiement de 7,05 € reçu, merci." in returned_late.content.decode()
    assert "Payée le" in returned_late.content.decode()


def test_payment__unsigned_or_tampered_notification_changes_nothing(
    family_client, invoice, other_city
):
    order = _to_the_dummy_service(family_client, invoice)
    return_url = _choose(family_client, order, "paid")
    transaction_id = order["transaction_id"]
    unsigned = {"transaction_id": transaction_id, "ok": "1"}
    another_transaction = {"transaction_id": "0" * 32, "ok": "1", "signed": "1"}
    no_transaction = {"ok": "1", "signed": "1"}

    responses = [
        _notify(family_client, order, fields)
        for fields in (unsigned, another_transaction, no_transaction)
    ]
    family_client.get(return_url)  # the browser's answer: unsigned
    family_client.get(return_url + "&signed")  # …its "signature" on a GET is not a notification
    family_client.defaults["HTTP_HOST"] = "ville-b.localhost"
    elsewhere = _notify(family_client, order, unsigned | {"signed": "1"})

    assert [response.status_code for response in responses] == [400, 400, 400]
    assert responses[0].content.decode() == "refused: the signature is missing or does not verify"
    assert elsewhere.status_code == 400
    payment = Payment.objects.get()
    invoice.refresh_from_db()
    assert (payment.state, invoice.paid_at) == ("created", None)
    assert PaymentEvent.objects.count() == 0


def test_payment__given_up_at_the_dummy_service_leaves_the_invoice_to_pay(family_client, invoice):
    order = _to_the_dummy_service(family_client, invoice)
    return_url = _choose(family_client, order, "cancelled")
    transaction_id = order["transaction_id"]

    given_up = _notify(family_client, order, {"transaction_id": transaction_id, "signed": "1"})
    page = family_client.get(return_url, follow=True).content.decode()
    late_paid = _notify(
        family_client, order, {"transaction_id": transaction_id, "ok": "1", "signed": "1"}
    )

    assert (given_up.status_code, late_paid.status_code) == (200, 200)
    assert "Le paiement n&#x27;a pas abouti ; rien n&#x27;a été débité." in page
    invoice.refresh_from_db()
    assert invoice.paid_at is None
    assert Payment.objects.get().state == "refused"
    assert family_client.post(f"/famille/factures/{invoice.pk}/payer/").status_code == 302
    assert Payment.objects.count() == 2


def test_payment__a_paid_invoice_cannot_be_paid_again(family_client, invoice):
    order = _to_the_dummy_service(family_client, invoice)
    _notify(
        family_client, order, {"transaction_id": order["transaction_id"], "ok": "1", "signed": "1"}
    )

    again = family_client.post(f"/famille/factures/{invoice.pk}/payer/")

    assert again["Location"] == "/famille/"
    assert Payment.objects.count() == 1


def test_dummy_service__refuses_urls_of_another_site(family_client, invoice):
    order = _to_the_dummy_service(family_client, invoice)
    elsewhere = order | {"direct_notification_url": "http://169.254.169.254/latest/"}
    redirect_away = order | {"return_url": "https://attacker.example/"}

    responses = [
        family_client.get("/paiement/banque-fictive/", elsewhere).status_code,
        family_client.post(
            "/paiement/banque-fictive/", redirect_away | {"result": "paid"}
        ).status_code,
    ]

    assert responses == [404, 404]


def test_dummy_service__is_off_unless_the_dummy_backend_is_allowed(
    family_client, invoice, settings
):
    order = _to_the_dummy_service(family_client, invoice)
    settings.GUICHET_PAYMENT_ALLOW_DUMMY = False

    page = family_client.get("/paiement/banque-fictive/", order)
    notified = _notify(
        family_client, order, {"transaction_id": order["transaction_id"], "ok": "1", "signed": "1"}
    )
    again = family_client.post(f"/famille/factures/{invoice.pk}/payer/", follow=True)

    assert (page.status_code, notified.status_code) == (404, 400)
    assert Payment.objects.filter(state="paid").count() == 0
    assert "Le paiement en ligne est indisponible" in again.content.decode()


def test_invoice_pages__another_household_invoice_is_404(client, city, invoice):
    other = factories.person(city, "autre@example.fr", last_name="Autre")
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(other)

    assert client.get(f"/famille/factures/{invoice.pk}/facture.pdf").status_code == 404
    assert client.post(f"/famille/factures/{invoice.pk}/payer/").status_code == 404
    assert Payment.objects.count() == 0
    assert Household.objects.count() == 1  # none made for the intruder
