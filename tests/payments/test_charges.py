"""The ledger of amounts billed: an invoice records its charge when issued, the payment
that pays it online settles it, once."""

from decimal import Decimal

import pytest

from guichet.payments.models import Charge, Payment
from tests.payments.test_payment_flow import (  # noqa: F401 - fixtures and the bank steps
    _choose,
    _notify,
    _to_the_dummy_service,
    family_client,
    invoice,
)

pytestmark = pytest.mark.django_db


def test_invoice_issue__records_its_charge(invoice):  # noqa: F811
    charge = Charge.objects.get()
    assert (charge.domain, charge.purpose, charge.purpose_id) == (
        "individuals",
        "individuals.invoice",
        invoice.pk,
    )
    assert (charge.amount, charge.billed_at, charge.settlement) == (
        Decimal("7.05"),
        invoice.issued_at,
        "",
    )


def test_payment__paid_online_settles_the_charge(family_client, invoice):  # noqa: F811
    order = _to_the_dummy_service(family_client, invoice)
    family_client.get(_choose(family_client, order, "paid"))
    _notify(
        family_client, order, {"transaction_id": order["transaction_id"], "ok": "1", "signed": "1"}
    )

    charge = Charge.objects.get()
    payment = Payment.objects.get()
    assert (charge.settlement, charge.payment_id, charge.settled_at) == (
        "online",
        payment.pk,
        payment.settled_at,
    )


def test_payment__refused_leaves_the_charge_due(family_client, invoice):  # noqa: F811
    order = _to_the_dummy_service(family_client, invoice)
    family_client.get(_choose(family_client, order, "cancelled"))
    _notify(family_client, order, {"transaction_id": order["transaction_id"], "signed": "1"})

    assert Charge.objects.get().settlement == ""
