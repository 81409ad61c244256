"""A booking with a price is paid online through the facility's régie: confirmed "à payer",
paid at the (fake) bank, marked paid once however often the bank's answer comes back."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.models import Audience, Booking
from guichet.payments.models import Charge, Payment, PaymentEvent
from tests import factories
from tests.facilities.conftest import DAY, NOW, regie_of

pytestmark = pytest.mark.django_db


def _book(unit, holder, audience=Audience.RESIDENT, **kwargs):
    return services.booking_request(
        unit=unit,
        holder=holder,
        audience=audience,
        starts_at=at(DAY, datetime.time(10)),
        ends_at=at(DAY, datetime.time(11)),
        purpose="Réunion",
        now=NOW,
        **kwargs,
    )


@pytest.fixture
def booking(gym, city, resident):
    gym.room_facility.regie = regie_of(city)
    gym.room_facility.save(update_fields=["regie"])
    return _book(gym.room, resident)


@pytest.fixture
def holder_client(city_client, resident):
    city_client.force_login(resident)
    return city_client


def _pay_at_the_bank(client, booking, result="paid"):
    """The holder goes to the dummy payment service and pays (or gives up); the service's
    signed notification, which its task POSTs on a real server, is posted here. Returns
    where the browser goes back to and the notification."""
    to_bank = client.post(f"/reservations/{booking.pk}/payer/")
    bank_url = urlsplit(to_bank["Location"])
    assert bank_url.path == "/paiement/banque-fictive/"
    order = dict(parse_qsl(bank_url.query))
    assert "12,50 €" in client.get(to_bank["Location"]).content.decode()
    back = client.post("/paiement/banque-fictive/", order | {"result": result})
    notification = {"transaction_id": order["transaction_id"], "signed": "1"}
    if result == "paid":
        notification["ok"] = "1"
    notify_url = urlsplit(order["direct_notification_url"])
    notify = f"{notify_url.path}?{notify_url.query}"
    assert client.post(notify, notification).status_code == 200
    return back["Location"], notify, notification


def test_booking_payment__a_priced_booking_is_confirmed_to_pay(holder_client, booking):
    page = holder_client.get(f"/reservations/{booking.pk}/").content.decode()

    assert (booking.status, booking.amount_due, booking.is_to_pay) == (
        Booking.Status.CONFIRMED,
        Decimal("12.50"),
        True,
    )
    assert "<dd>12,50 € — à payer</dd>" in page
    assert "Payer en ligne 12,50 €" in page


def test_booking_payment__paid_once_even_when_the_notification_is_replayed(
    holder_client, booking, city
):
    return_url, notify, notification = _pay_at_the_bank(holder_client, booking)

    returned = holder_client.get(return_url)
    booking.refresh_from_db()
    paid_at = booking.paid_at
    notified = holder_client.post(notify, notification)
    replayed = holder_client.post(notify, notification)
    again = holder_client.post(f"/reservations/{booking.pk}/payer/")

    assert returned["Location"] == f"/reservations/{booking.pk}/"
    assert (notified.status_code, replayed.status_code) == (200, 200)
    payment = Payment.objects.get()
    assert (payment.state, payment.amount, payment.purpose, payment.purpose_id) == (
        "paid",
        Decimal("12.50"),
        "facilities.booking",
        booking.pk,
    )
    booking.refresh_from_db()
    assert booking.paid_at == paid_at is not None
    assert booking.payment_reference == payment.reference
    assert list(PaymentEvent.objects.values_list("channel", "changed_state")) == [
        ("notification", True),
        ("notification", False),
        ("notification", False),
    ]
    assert again["Location"] == f"/reservations/{booking.pk}/"
    assert Payment.objects.count() == 1
    page = holder_client.get(f"/reservations/{booking.pk}/").content.decode()
    assert f"(paiement {payment.reference})" in page
    assert "Payer en ligne" not in page


def test_booking_payment__the_agent_sees_paid_and_unpaid(city_client, booking, gym, city):
    other = factories.resident(city, "dominique@example.fr")
    unpaid = services.booking_request(
        unit=gym.room,
        holder=other,
        audience=Audience.RESIDENT,
        starts_at=at(DAY, datetime.time(14)),
        ends_at=at(DAY, datetime.time(16)),
        purpose="Atelier",
        now=NOW,
    )
    city_client.force_login(booking.holder)
    return_url, _notify, _notification = _pay_at_the_bank(city_client, booking)
    city_client.get(return_url)
    manager = factories.agent(city, "gestion@example.fr", services=("equipements",))
    city_client.force_login(manager)

    paid_page = city_client.get(f"/agents/equipements/reservations/{booking.pk}/").content.decode()
    unpaid_page = city_client.get(f"/agents/equipements/reservations/{unpaid.pk}/").content.decode()

    booking.refresh_from_db()
    assert f"payée le {booking.paid_at:%d/%m/%Y}" in paid_page
    assert "<dd>à payer</dd>" in unpaid_page
    assert unpaid.amount_due == Decimal("25.00")


def test_booking_payment__cancelled_at_the_bank_leaves_it_to_pay(holder_client, booking):
    return_url, _notify, _notification = _pay_at_the_bank(
        holder_client, booking, result="cancelled"
    )

    holder_client.get(return_url)

    booking.refresh_from_db()
    assert (booking.paid_at, booking.is_to_pay) == (None, True)
    assert Payment.objects.get().state == "refused"


def test_booking_payment__someone_else_cannot_start_it(city_client, booking, city):
    city_client.force_login(factories.resident(city, "autre@example.fr"))

    response = city_client.post(f"/reservations/{booking.pk}/payer/")

    assert response.status_code == 404
    assert Payment.objects.count() == 0


def test_booking_payment__without_regie_or_price_nothing_is_paid_online(
    holder_client, gym, resident
):
    no_regie = _book(gym.room, resident)  # the room has a price but no régie here
    free = services.booking_request(
        unit=gym.half_a,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(DAY, datetime.time(10)),
        ends_at=at(DAY, datetime.time(11)),
        purpose="Basket",
        now=NOW,
    )

    page = holder_client.get(f"/reservations/{no_regie.pk}/").content.decode()
    responses = [
        holder_client.post(f"/reservations/{booking.pk}/payer/", follow=True)
        for booking in (no_regie, free)
    ]

    assert "à régler auprès du service" in page
    assert "Payer en ligne" not in page
    assert [
        "Cette réservation ne se paie pas en ligne." in response.content.decode()
        for response in responses
    ] == [True, True]
    assert Payment.objects.count() == 0


def test_booking_charge__billed_when_confirmed_settled_online_once(holder_client, booking):
    """The ledger the barometer's K4 reads: a priced booking is billed once confirmed, and
    the online payment settles that charge."""
    billed = list(Charge.objects.values_list("domain", "purpose", "purpose_id", "amount"))
    _pay_at_the_bank(holder_client, booking)

    assert billed == [("facilities", "facilities.booking", booking.pk, Decimal("12.50"))]
    charge = Charge.objects.get()
    assert (charge.settlement, charge.payment.reference, charge.label) == (
        "online",
        Payment.objects.get().reference,
        booking.reference,
    )


def test_booking_charge__a_cancelled_unpaid_booking_is_no_longer_billed(
    holder_client, booking, resident, gym
):
    free = services.booking_request(
        unit=gym.half_a,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(DAY, datetime.time(10)),
        ends_at=at(DAY, datetime.time(11)),
        purpose="Basket",
        now=NOW,
    )
    before = Charge.objects.count()

    services.booking_cancel(booking=booking, by=resident, as_agent=True, now=NOW)

    assert (free.amount_due, before, Charge.objects.count()) == (Decimal("0.00"), 1, 0)
