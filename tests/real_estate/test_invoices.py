"""Invoices: received, certified, paid within the legal 30 days; alerted before that date."""

import datetime
from decimal import Decimal

import pytest

from guichet.core.errors import DomainError
from guichet.notifications.models import OutgoingEmail
from guichet.real_estate import services
from guichet.real_estate.periodic import invoices_deadline_sweep
from tests.real_estate.conftest import contract_for

UTC = datetime.UTC


def _invoice(operation, received_on=datetime.date(2026, 3, 2)):
    return services.invoice_receive(
        contract=contract_for(operation),
        number="F-2026-031",
        received_on=received_on,
        amount_ht=Decimal("10000.00"),
    )


def test_invoice_receive__due_thirty_days_after_receipt(operation):
    invoice = _invoice(operation)

    assert invoice.due_on == datetime.date(2026, 4, 1)
    assert invoice.amount_ttc == Decimal("12000.00")
    assert invoice.status == "received"


def test_invoice_receive__twice_records_one_invoice(operation):
    invoice = _invoice(operation)

    with pytest.raises(DomainError):
        services.invoice_receive(
            contract=invoice.contract,
            number="F-2026-031",
            received_on=datetime.date(2026, 3, 2),
            amount_ht=Decimal("10000.00"),
        )

    assert invoice.contract.invoices.count() == 1


def test_invoice_pay__needs_the_service_certified_first(operation):
    invoice = _invoice(operation)

    with pytest.raises(DomainError):
        services.invoice_pay(invoice=invoice, paid_on=datetime.date(2026, 3, 20))

    invoice.refresh_from_db()
    assert invoice.paid_on is None


@pytest.mark.parametrize(
    ("now", "alerted"),
    [
        # Due on 1 April; alerted 5 days before, from 27 March, Paris time (UTC+1 in March).
        (datetime.datetime(2026, 3, 26, 22, 59, tzinfo=UTC), 0),  # 23:59 on the 26th in Paris
        (datetime.datetime(2026, 3, 26, 23, 0, tzinfo=UTC), 1),  # midnight on the 27th in Paris
    ],
    ids=["the_day_before_in_paris", "the_day_in_paris"],
)
def test_invoices_deadline_alert__on_the_right_day_in_paris(operation, now, alerted):
    _invoice(operation)

    count = services.invoices_deadline_alert(now=now, days_before=5)

    assert count == alerted
    assert OutgoingEmail.objects.filter(subject__contains="Facture à payer").count() == (
        2 * alerted
    )


def test_invoices_deadline_alert__once_to_the_service_and_the_lead(operation, lead):
    invoice = _invoice(operation)
    now = datetime.datetime(2026, 3, 27, 8, 0, tzinfo=UTC)

    first = services.invoices_deadline_alert(now=now, days_before=5)
    again = services.invoices_deadline_alert(now=now + datetime.timedelta(days=1), days_before=5)

    assert (first, again) == (1, 0)
    emails = OutgoingEmail.objects.order_by("to")
    assert [e.to for e in emails] == [lead.email, "patrimoine@ville-a.fr"]
    assert emails[0].subject == (
        "[Ville A] Facture à payer avant le 1 avril 2026 : Rénovation de l'école Jules-Ferry"
    )
    assert "soit dans 5 jours" in emails[0].body
    invoice.refresh_from_db()
    assert invoice.alerted_at == now


def test_invoices_deadline_alert__skips_paid_invoices(operation):
    invoice = _invoice(operation)
    services.invoice_certify(invoice=invoice, certified_on=datetime.date(2026, 3, 5))
    services.invoice_pay(invoice=invoice, paid_on=datetime.date(2026, 3, 20))

    count = services.invoices_deadline_alert(
        now=datetime.datetime(2026, 3, 30, 8, 0, tzinfo=UTC), days_before=5
    )

    assert count == 0


def test_invoices_deadline_sweep__is_listed_for_the_worker():
    from guichet.cli.management.commands.worker import periodic_sweeps

    assert invoices_deadline_sweep in periodic_sweeps()
