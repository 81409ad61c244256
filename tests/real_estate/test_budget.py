"""AP/CP arithmetic: vote, revision, CP rescheduled across years, consumption and overrun."""

import datetime
from decimal import Decimal

import pytest

from guichet.core.errors import DomainError
from guichet.real_estate import selectors, services
from guichet.real_estate.models import BudgetRevision
from tests.real_estate.conftest import contract_for

D = Decimal


def _vote(operation, lead):
    return services.budget_vote(
        operation=operation,
        reference="AP-2026-04",
        amount=D("500000.00"),
        voted_on=datetime.date(2025, 12, 15),
        schedule={2026: D("150000.00"), 2027: D("250000.00"), 2028: D("100000.00")},
        by=lead,
    )


def test_budget_vote__spreads_the_ap_in_yearly_credits(operation, lead):
    budget = _vote(operation, lead)

    summary = selectors.budget_summary(operation=operation)

    assert summary.ap == D("500000.00")
    assert summary.scheduled == D("500000.00")
    assert summary.unscheduled == D("0.00")
    assert [(y.year, y.planned) for y in summary.years] == [
        (2026, D("150000.00")),
        (2027, D("250000.00")),
        (2028, D("100000.00")),
    ]
    assert list(budget.revisions.values_list("kind", "ap_before", "ap_after")) == [
        ("vote", D("0.00"), D("500000.00"))
    ]


def test_budget_vote__refuses_credits_beyond_the_authorisation(operation, lead):
    with pytest.raises(DomainError):
        services.budget_vote(
            operation=operation,
            reference="AP-2026-04",
            amount=D("100000.00"),
            voted_on=datetime.date(2025, 12, 15),
            schedule={2026: D("60000.00"), 2027: D("40000.01")},
            by=lead,
        )

    assert selectors.budget_summary(operation=operation).ap == D("0.00")


def test_budget_revise__raises_the_ap_and_reschedules_cp_with_history(operation, lead):
    budget = _vote(operation, lead)

    # Works slip: 50 000 € move from 2026 to 2027, and the AP grows by 40 000 € put on 2028.
    services.budget_revise(
        budget=budget,
        amount=D("540000.00"),
        schedule={2026: D("100000.00"), 2027: D("300000.00"), 2028: D("140000.00")},
        reason="Avenant de désamiantage et décalage du chantier",
        decided_on=datetime.date(2026, 6, 30),
        by=lead,
    )
    services.budget_revise(
        budget=budget,
        amount=D("540000.00"),
        schedule={2026: D("80000.00"), 2029: D("20000.00")},
        reason="Report de la réception",
        decided_on=datetime.date(2026, 10, 1),
        by=lead,
    )

    summary = selectors.budget_summary(operation=operation)
    assert summary.ap == D("540000.00")
    assert [(y.year, y.planned) for y in summary.years] == [
        (2026, D("80000.00")),
        (2027, D("300000.00")),
        (2028, D("140000.00")),
        (2029, D("20000.00")),
    ]
    revisions = list(BudgetRevision.objects.filter(budget=budget).order_by("id"))
    assert [(r.kind, r.ap_before, r.ap_after) for r in revisions] == [
        ("vote", D("0.00"), D("500000.00")),
        ("ap", D("500000.00"), D("540000.00")),
        ("cp", D("540000.00"), D("540000.00")),
    ]
    assert revisions[2].schedule_before == {
        "2026": "100000.00",
        "2027": "300000.00",
        "2028": "140000.00",
    }
    assert revisions[2].schedule_after == {
        "2026": "80000.00",
        "2027": "300000.00",
        "2028": "140000.00",
        "2029": "20000.00",
    }


def test_budget_revise__refuses_a_schedule_beyond_the_new_ap_and_changes_nothing(operation, lead):
    budget = _vote(operation, lead)

    with pytest.raises(DomainError):
        services.budget_revise(
            budget=budget,
            amount=D("450000.00"),
            schedule={},
            reason="Économies",
            decided_on=datetime.date(2026, 6, 30),
            by=lead,
        )

    budget.refresh_from_db()
    assert budget.amount == D("500000.00")
    assert budget.revisions.count() == 1


def test_budget_summary__consumption_per_year_and_forecast_overrun(operation, lead):
    _vote(operation, lead)
    works = contract_for(operation, lot=1, amount_ht="350000.00")  # 420 000.00 TTC
    design = contract_for(operation, lot=0, amount_ht="41666.67")  # 50 000.00 TTC
    services.amendment_record(
        contract=works,
        amount_ht=D("30000.00"),  # 36 000.00 TTC
        reason="Désamiantage",
        signed_on=datetime.date(2026, 9, 1),
    )
    paid = services.invoice_receive(
        contract=works,
        number="F-001",
        received_on=datetime.date(2026, 3, 2),
        amount_ht=D("125000.00"),
    )
    services.invoice_certify(invoice=paid, certified_on=datetime.date(2026, 3, 10))
    services.invoice_pay(invoice=paid, paid_on=datetime.date(2026, 3, 25))
    late_2026 = services.invoice_receive(
        contract=design,
        number="MOE-7",
        received_on=datetime.date(2026, 12, 10),
        amount_ht=D("25000.00"),
    )

    summary = selectors.budget_summary(operation=operation)

    assert summary.committed == D("506000.00")  # 420 000 + 50 000 + 36 000
    assert summary.is_forecast_overrun is True
    assert summary.forecast_overrun == D("6000.00")
    assert summary.paid == D("150000.00")
    year_2026, year_2027 = summary.years[0], summary.years[1]
    assert (year_2026.year, year_2026.planned, year_2026.paid) == (
        2026,
        D("150000.00"),
        D("150000.00"),
    )
    assert year_2026.is_overrun is False
    assert year_2026.rate == 100
    # The invoice received on 10 December is due on 9 January: it weighs on 2027.
    assert late_2026.due_on == datetime.date(2027, 1, 9)
    assert (year_2027.pending, year_2027.forecast, year_2027.is_forecast_overrun) == (
        D("30000.00"),
        D("30000.00"),
        False,
    )


def test_contract_record__amounts_with_and_without_tax_and_amendments(operation):
    contract = contract_for(operation, amount_ht="12345.67")
    services.amendment_record(
        contract=contract,
        amount_ht=D("-345.67"),
        reason="Moins-value",
        signed_on=datetime.date(2026, 5, 1),
    )
    services.amendment_record(
        contract=contract,
        amount_ht=D("1000.00"),
        reason="Plus-value",
        signed_on=datetime.date(2026, 6, 1),
    )

    assert contract.amount_ttc == D("14814.80")
    assert list(contract.amendments.values_list("number", "amount_ttc")) == [
        (1, D("-414.80")),
        (2, D("1200.00")),
    ]
    assert selectors.contract_totals(contract=contract) == (D("13000.00"), D("15600.00"))


def test_contract_record__refuses_an_invalid_siret(operation):
    with pytest.raises(DomainError, match="SIRET"):
        services.contract_record(
            operation=operation,
            data=services.ContractData(
                lot_number=2,
                lot_name="Menuiseries",
                contractor_name="Bois & Fils",
                contractor_siret="73282932000075",
                amount_ht=D("1000.00"),
                vat_rate=D("20.00"),
                signed_on=datetime.date(2026, 2, 1),
            ),
        )

    assert operation.contracts.count() == 0


def test_forecast_overrun__alerted_once_when_commitments_cross_the_ap(operation, lead):
    from guichet.notifications.models import OutgoingEmail

    services.budget_vote(
        operation=operation,
        reference="AP-1",
        amount=D("100000.00"),
        voted_on=datetime.date(2026, 1, 2),
        schedule={2026: D("100000.00")},
        by=lead,
    )
    works = contract_for(operation, lot=1, amount_ht="80000.00")  # 96 000.00 TTC: within
    quiet = OutgoingEmail.objects.count()
    services.amendment_record(  # + 6 000.00 TTC: 102 000.00, over by 2 000.00
        contract=works, amount_ht=D("5000.00"), reason="Aléa", signed_on=datetime.date(2026, 5, 1)
    )
    services.amendment_record(  # further over: no second alert
        contract=works, amount_ht=D("1000.00"), reason="Aléa 2", signed_on=datetime.date(2026, 6, 1)
    )

    emails = OutgoingEmail.objects.filter(subject__startswith="[Ville A] Dépassement prévisionnel")
    assert quiet == 0
    assert sorted(e.to for e in emails) == [lead.email, "patrimoine@ville-a.fr"]
    assert (
        "dépassent l'autorisation de programme (100\xa0000,00 € TTC) de 2\xa0000,00 €"
        in emails[0].body
    )
