"""eopayment's `systempayv2` backend through `EopaymentProvider`, against a fake Systempay
(tests/payments/fake_systempay.py): its real signature proves the path that counts only
signed answers; a tampered answer changes nothing and is answered with a clear error."""

import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from guichet.core.errors import DomainError
from guichet.individuals import school
from guichet.payments.models import Payment, PaymentEvent, Regie
from guichet.payments.providers import EopaymentProvider
from tests.individuals.school_factories import activity_with_grid, household_with_child
from tests.payments.fake_systempay import FakeSystempay

pytestmark = pytest.mark.django_db
SHOP = FakeSystempay(site_id="12345678", test_key="T3stShopKey2026")
SYSTEMPAY = {
    "backend": "systempayv2",
    "options": {
        "site_id": SHOP.site_id,
        "secret_test": SHOP.test_key,
        "vads_ctx_mode": "TEST",
        "signature_algo": "hmac_sha256",
    },
}
REFUSED = "refused: the signature is missing or does not verify"


@pytest.fixture
def invoice(city, resident, settings):
    settings.GUICHET_PAYMENT_EOPAYMENT = {"sp-ville-a": SYSTEMPAY}
    canteen = activity_with_grid(city)
    Regie.objects.filter(pk=canteen.regie_id).update(merchant_id="sp-ville-a")
    household, lea = household_with_child(resident, quotient="720")
    enrolment = school.activity_enrol(child=lea, activity=canteen, weekdays=[0])
    for day in (1, 8, 15):
        school.attendance_record(
            enrolment=enrolment, date=datetime.date(2027, 3, day), is_present=True, by=resident
        )
    return school.invoice_issue(
        household=household, regie=Regie.objects.get(), month=datetime.date(2027, 3, 1)
    )


@pytest.fixture
def family_client(client, resident):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)
    return client


def _form(client, invoice) -> dict[str, str]:
    """The family asks to pay: the page of the form its browser posts to Systempay."""
    page = client.post(f"/famille/factures/{invoice.pk}/payer/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'action="https://paiement.systempay.fr/vads-payment/"' in content
    return dict(page.context["order"].fields)


def _notify(client, form, fields):
    url = urlsplit(form["vads_url_check"])
    return client.post(f"{url.path}?{url.query}", fields)


def test_systempay__the_form_is_signed_with_the_shop_key(family_client, invoice):
    form = _form(family_client, invoice)

    SHOP.accept_form(form)  # raises unless Systempay would accept it
    payment = Payment.objects.get()
    assert (form["vads_amount"], form["vads_currency"], form["vads_order_id"]) == (
        "705",
        "978",
        payment.reference,
    )
    assert form["vads_url_check"] == "http://ville-a.localhost/paiement/notification/?" + urlencode(
        {"ref": payment.reference}
    )
    assert payment.transaction_id == f"{form['vads_trans_date']}_{form['vads_trans_id']}"


def test_systempay__a_signed_notification_pays_once_and_a_replay_changes_nothing(
    family_client, invoice
):
    form = _form(family_client, invoice)
    ipn = SHOP.ipn(form, outcome="paid")

    first = _notify(family_client, form, ipn)
    invoice.refresh_from_db()
    paid_at = invoice.paid_at
    replay = _notify(family_client, form, ipn)

    assert (first.status_code, replay.status_code) == (200, 200)
    payment = Payment.objects.get()
    assert payment.state == "paid"
    invoice.refresh_from_db()
    assert invoice.paid_at == paid_at is not None
    assert invoice.payment_reference == payment.reference
    assert list(PaymentEvent.objects.values_list("channel", "changed_state")) == [
        ("notification", True),
        ("notification", False),
    ]


@pytest.mark.parametrize(
    ("tamper", "answer"),
    [
        ("amount changed", REFUSED),
        ("result changed", REFUSED),
        ("signed with another key", REFUSED),
        ("signature removed", "refused: missing signature, vads_ctx_mode or vads_auth_result"),
        ("amount changed and re-signed", "refused: La réponse ne correspond pas au paiement."),
        ("another order re-signed", "refused: La réponse ne correspond pas au paiement."),
    ],
)
def test_systempay__a_tampered_notification_changes_nothing(family_client, invoice, tamper, answer):
    form = _form(family_client, invoice)
    refused = SHOP.ipn(form, outcome="refused")
    paid = SHOP.ipn(form, outcome="paid")
    forged = {
        "amount changed": paid | {"vads_amount": "1"},
        "result changed": refused | {"vads_result": "00", "vads_auth_result": "00"},
        "signed with another key": SHOP.signed(paid, key="NotTheShopKey"),
        "signature removed": {k: v for k, v in paid.items() if k != "signature"},
        "amount changed and re-signed": SHOP.signed(paid | {"vads_amount": "1"}),
        "another order re-signed": SHOP.signed(paid | {"vads_order_id": "20270101-OTHER"}),
    }[tamper]

    response = _notify(family_client, form, forged)

    assert response.status_code == 400
    assert response.content.decode() == answer
    payment = Payment.objects.get()
    invoice.refresh_from_db()
    assert (payment.state, invoice.paid_at) == ("created", None)
    assert PaymentEvent.objects.count() == 0


def test_systempay__the_signed_browser_return_counts_a_forged_one_does_not(family_client, invoice):
    form = _form(family_client, invoice)
    paid = SHOP.ipn(form, outcome="paid")
    url = urlsplit(form["vads_url_return"])
    query = dict(parse_qsl(url.query))

    forged = family_client.get(url.path, query | SHOP.signed(paid, key="Nope"), follow=True)
    state_after_forged = Payment.objects.get().state
    signed = family_client.get(url.path, query | paid, follow=True)

    assert "Paiement en cours de confirmation" in forged.content.decode()
    assert state_after_forged == "created"
    assert "Paiement de 7,05 € reçu, merci." in signed.content.decode()
    assert list(PaymentEvent.objects.values_list("channel", "changed_state")) == [("return", True)]


def test_systempay__a_refused_payment_is_final(family_client, invoice):
    form = _form(family_client, invoice)

    refused = _notify(family_client, form, SHOP.ipn(form, outcome="refused"))
    late_paid = _notify(family_client, form, SHOP.ipn(form, outcome="paid"))

    assert (refused.status_code, late_paid.status_code) == (200, 200)
    assert Payment.objects.get().state == "refused"
    invoice.refresh_from_db()
    assert invoice.paid_at is None


def test_eopayment__backends_without_a_real_signature_are_refused(settings):
    settings.GUICHET_PAYMENT_EOPAYMENT = {
        "tipi": {"backend": "tipi", "options": {"numcli": "12345"}},
        "dummy": {"backend": "dummy", "options": {}},
        "dummy-all-signed": {
            "backend": "dummy",
            "options": {"consider_all_response_signed": True},
        },
    }
    settings.GUICHET_PAYMENT_ALLOW_DUMMY = False
    refused = []
    for merchant_id in ("tipi", "dummy", "dummy-all-signed", "unknown"):
        with pytest.raises(DomainError) as error:
            EopaymentProvider(merchant_id=merchant_id)
        refused.append(error.value.code)
    settings.GUICHET_PAYMENT_ALLOW_DUMMY = True
    with pytest.raises(DomainError):
        EopaymentProvider(merchant_id="dummy-all-signed")

    assert refused == ["not_allowed", "not_allowed", "not_allowed", "invalid_data"]
    assert EopaymentProvider(merchant_id="dummy").backend == "dummy"


def test_eopayment__the_dummy_payer_goes_to_the_configured_service(settings):
    settings.GUICHET_PAYMENT_EOPAYMENT = {
        "local": {"backend": "dummy", "options": {}},
        "elsewhere": {
            "backend": "dummy",
            "options": {"dummy_service_url": "http://pay.example.test/"},
        },
    }
    urls = {
        merchant_id: EopaymentProvider(merchant_id=merchant_id)
        .request(
            reference="R1", amount=1, label="L", return_url="http://r/", notify_url="http://n/"
        )
        .url
        for merchant_id in ("local", "elsewhere")
    }

    assert urls["local"].startswith("/paiement/banque-fictive/?transaction_id=")
    assert urls["elsewhere"].startswith("http://pay.example.test/?transaction_id=")
    assert "dummy-payment.entrouvert.com" not in urls["local"] + urls["elsewhere"]
