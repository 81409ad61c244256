"""The eopayment adapter (real French providers): only a signed answer counts."""

from decimal import Decimal

import pytest
from eopayment.systempayv2 import Payment as Systempay

from guichet.core.errors import DomainError
from guichet.payments import services
from guichet.payments.models import Payment, Regie
from guichet.payments.providers import EopaymentProvider

pytestmark = pytest.mark.django_db
OPTIONS = {"secret_test": "abcd", "site_id": "12345678", "vads_ctx_mode": "TEST"}


@pytest.fixture
def systempay_regie(city, settings):
    settings.GUICHET_PAYMENT_EOPAYMENT = {
        "sp-ville-a": {"backend": "systempayv2", "options": OPTIONS},
        "dummy": {"backend": "dummy", "options": {}},
        "tipi": {"backend": "tipi", "options": {"numcli": "12345"}},
    }
    return Regie.objects.create(
        authority=city,
        slug="cantine",
        name="Régie cantine",
        provider="guichet.payments.providers.EopaymentProvider",
        merchant_id="sp-ville-a",
        secret="unused",
    )


@pytest.fixture(autouse=True)
def _settler():
    settled = []
    services.settler_register(purpose="test.nothing", settle=settled.append)
    return settled


def _start(regie):
    payment = services.payment_start(
        regie=regie, amount=Decimal("7.05"), label="Facture", purpose="test.nothing", purpose_id=1
    )
    order = services.payment_request(
        payment=payment,
        return_url=f"http://ville-a.localhost/paiement/retour/?ref={payment.reference}",
        notify_url=f"http://ville-a.localhost/paiement/notification/?ref={payment.reference}",
    )
    return payment, order


def _answer(order, *, sign: bool) -> dict[str, str]:
    fields = dict(order.fields) | {
        "vads_result": "00",
        "vads_auth_result": "00",
        "vads_trans_status": "AUTHORISED",
    }
    fields.pop("signature")
    fields["signature"] = Systempay(OPTIONS).signature(fields) if sign else "forged"
    return fields


def test_eopayment__unverifiable_backends_are_refused(settings, systempay_regie):
    for merchant_id in ("dummy", "tipi"):
        with pytest.raises(DomainError):
            EopaymentProvider(merchant_id=merchant_id, secret="")


def test_eopayment__request_keeps_the_provider_transaction(systempay_regie):
    payment, order = _start(systempay_regie)

    payment.refresh_from_db()
    assert (order.url, order.method) == ("https://paiement.systempay.fr/vads-payment/", "post")
    assert order.fields["vads_amount"] == "705"
    assert payment.transaction_id == order.transaction_id != ""


def test_eopayment__an_unsigned_paid_answer_changes_nothing(client, systempay_regie):
    payment, order = _start(systempay_regie)
    forged = _answer(order, sign=False)

    response = client.post(
        f"/paiement/notification/?ref={payment.reference}", forged, HTTP_HOST="ville-a.localhost"
    )

    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.state == "created"


def test_eopayment__a_signed_answer_pays_once(client, systempay_regie):
    payment, order = _start(systempay_regie)
    signed = _answer(order, sign=True)

    first = client.post(
        f"/paiement/notification/?ref={payment.reference}", signed, HTTP_HOST="ville-a.localhost"
    )
    replay = client.post(
        f"/paiement/notification/?ref={payment.reference}", signed, HTTP_HOST="ville-a.localhost"
    )

    assert (first.status_code, replay.status_code) == (200, 200)
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert list(payment.events.values_list("changed_state", flat=True)) == [True, False]
    assert Payment.objects.count() == 1


def test_eopayment__a_posted_form_provider_gets_a_button_page(
    client, city, resident, systempay_regie
):
    import datetime

    from guichet.individuals import school
    from guichet.individuals.models import Activity, PriceBracket

    canteen = Activity.objects.create(
        authority=city, kind="canteen", name="Cantine", regie=systempay_regie
    )
    PriceBracket.objects.create(authority=city, activity=canteen, unit_price=Decimal("2.35"))
    household = school.household_for(user=resident)
    child = school.child_add(
        household=household,
        first_name="Léa",
        last_name="Martin",
        birth_date=datetime.date(2018, 1, 1),
    )
    enrolment = school.activity_enrol(child=child, activity=canteen, weekdays=[0])
    school.attendance_record(
        enrolment=enrolment, date=datetime.date(2027, 3, 1), is_present=True, by=resident
    )
    invoice = school.invoice_issue(
        household=household, regie=systempay_regie, month=datetime.date(2027, 3, 1)
    )
    client.force_login(resident)

    page = client.post(f"/famille/factures/{invoice.pk}/payer/", HTTP_HOST="ville-a.localhost")

    content = page.content.decode()
    assert page.status_code == 200
    assert 'action="https://paiement.systempay.fr/vads-payment/"' in content
    assert 'name="vads_amount" value="235"' in content
