"""The dummy payment service's notification really travels: the task POSTs it over HTTP to the
site (a live server on loopback, reached as `ville-a.localhost`), and a replay changes nothing."""

import datetime
from urllib.parse import parse_qsl, urlsplit

from guichet.individuals import school
from guichet.payments.models import Payment, PaymentEvent
from guichet.payments.tasks import dummy_service_notify
from tests import factories
from tests.individuals.school_factories import activity_with_grid, household_with_child


def test_dummy_service__notification_by_the_task_pays_once(transactional_db, live_server, client):
    port = live_server.url.rsplit(":", 1)[1]
    city = factories.authority("ville-a")
    resident = factories.resident(city)
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident, quotient="720")
    enrolment = school.activity_enrol(child=lea, activity=canteen, weekdays=[0])
    school.attendance_record(
        enrolment=enrolment, date=datetime.date(2027, 3, 1), is_present=True, by=resident
    )
    invoice = school.invoice_issue(
        household=household, regie=canteen.regie, month=datetime.date(2027, 3, 1)
    )
    client.defaults["HTTP_HOST"] = f"ville-a.localhost:{port}"
    client.force_login(resident)

    to_service = client.post(f"/famille/factures/{invoice.pk}/payer/")
    order = dict(parse_qsl(urlsplit(to_service["Location"]).query))
    # Paying enqueues the notification; the tests' task backend runs it at once, over HTTP.
    back = client.post("/paiement/banque-fictive/", order | {"result": "paid"})
    page = client.get(back["Location"], follow=True).content.decode()
    replayed = dummy_service_notify.call(
        url=order["direct_notification_url"],
        fields={"transaction_id": order["transaction_id"], "ok": "1", "signed": "1"},
    )

    assert "Paiement de 2,35 € reçu, merci." in page
    assert replayed is True
    payment = Payment.objects.get()
    assert payment.state == "paid"
    invoice.refresh_from_db()
    assert invoice.paid_at is not None
    assert invoice.payment_reference == payment.reference
    assert list(PaymentEvent.objects.values_list("channel", "changed_state")) == [
        ("notification", True),
        ("notification", False),
    ]
