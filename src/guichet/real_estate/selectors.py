"""Reads. The access selectors here are the only way interfaces fetch operations."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from guichet.accounts.models import Membership, Service, User
from guichet.engine.models import Case
from guichet.engine.selectors import cases_visible_to_agent
from guichet.real_estate.models import (
    Amendment,
    Contract,
    Invoice,
    Operation,
    PaymentCredit,
    Phase,
    Photo,
    ProgrammeAuthorisation,
    Subscription,
)
from guichet.tenants.models import Authority

# The engine procedure through which another service asks for works.
WORKS_REQUEST_SLUG = "demande-travaux"
ZERO = Decimal("0.00")


# --- Access ---------------------------------------------------------------------------------


def _agent_services(agent: User) -> QuerySet[Membership]:
    return Membership.objects.filter(authority_id=agent.authority_id, user=agent).values(
        "service_id"
    )


def operations_visible_to_agent(*, agent: User) -> QuerySet[Operation]:
    """The operations an agent manages (their services') or follows (requested by them)."""
    operations = Operation.objects.filter(authority_id=agent.authority_id).select_related(
        "service", "lead", "requesting_service"
    )
    if agent.is_authority_admin:
        return operations
    services = _agent_services(agent)
    return operations.filter(Q(service_id__in=services) | Q(requesting_service_id__in=services))


def operations_managed_by(*, agent: User) -> QuerySet[Operation]:
    operations = operations_visible_to_agent(agent=agent)
    if agent.is_authority_admin:
        return operations
    return operations.filter(service_id__in=_agent_services(agent))


def operations_requested_by(*, agent: User) -> QuerySet[Operation]:
    """The operations asked for by the agent's services: their follow-up."""
    return operations_visible_to_agent(agent=agent).filter(
        requesting_service_id__in=_agent_services(agent)
    )


def operation_get_for_agent(*, agent: User, operation_id: int, manage: bool = False) -> Operation:
    """404 outside the agent's authority, or when `manage` and the operation is not one of
    their services' (the requesting service only reads)."""
    if not agent.is_authenticated or agent.authority_id is None:
        raise Http404
    operations = (
        operations_managed_by(agent=agent) if manage else operations_visible_to_agent(agent=agent)
    )
    operation = operations.filter(pk=operation_id).first()
    if operation is None:
        raise Http404
    return operation


def operation_is_managed_by(*, agent: User, operation: Operation) -> bool:
    return operations_managed_by(agent=agent).filter(pk=operation.pk).exists()


def services_managing_operations(*, agent: User) -> list[Service]:
    """The services in which the agent may create operations, the usual one first."""
    services = Service.objects.filter(authority_id=agent.authority_id)
    if not agent.is_authority_admin:
        services = services.filter(pk__in=_agent_services(agent))
    usual = settings.GUICHET_REAL_ESTATE_SERVICE
    return sorted(services, key=lambda service: (service.slug != usual, service.name))


def _child(queryset: QuerySet, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def phase_get(*, operation: Operation, phase_id: int) -> Phase:
    return _child(operation.phases.all(), phase_id)


def contract_get(*, operation: Operation, contract_id: int) -> Contract:
    return _child(operation.contracts.all(), contract_id)


def invoice_get(*, operation: Operation, invoice_id: int) -> Invoice:
    return _child(Invoice.objects.filter(contract__operation=operation), invoice_id)


def operations_public(*, authority: Authority) -> QuerySet[Operation]:
    return Operation.objects.filter(authority=authority, is_public=True).prefetch_related("phases")


def operation_get_public(*, authority: Authority, operation_id: int) -> Operation:
    return _child(operations_public(authority=authority), operation_id)


def photo_get_public(*, authority: Authority, operation_id: int, photo_id: int) -> Photo:
    operation = operation_get_public(authority=authority, operation_id=operation_id)
    return _child(operation.photos.filter(is_public=True), photo_id)


def subscription_get(*, authority: Authority, token: str) -> Subscription:
    found = Subscription.objects.filter(authority=authority, token=token).first()
    if found is None:
        raise Http404
    return found


def works_requests_open(*, agent: User) -> QuerySet[Case]:
    """Works requests of other services not yet turned into an operation (nor refused)."""
    return (
        cases_visible_to_agent(agent=agent)
        .filter(procedure__slug=WORKS_REQUEST_SLUG, closed_at__isnull=True)
        .order_by("submitted_at", "id")
    )


def works_request_get(*, agent: User, case_id: int) -> Case:
    case = works_requests_open(agent=agent).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def operation_of_request(*, case: Case) -> Operation | None:
    """The operation a works request was turned into, if it was."""
    return Operation.objects.filter(authority_id=case.authority_id, request_case=case).first()


def applicant_services(*, case: Case) -> list[Service]:
    if case.applicant_id is None:
        return []
    return list(
        Service.objects.filter(
            authority_id=case.authority_id, memberships__user_id=case.applicant_id
        ).order_by("name")
    )


# --- Progress -------------------------------------------------------------------------------


def operation_progress(*, operation: Operation, today: datetime.date) -> dict:
    """The current phase, the share of phases done, and the late ones (uses prefetched
    phases when the operation comes with them)."""
    phases = list(operation.phases.all())
    done = [p for p in phases if p.actual_end is not None]
    running = next((p for p in phases if p.actual_start and not p.actual_end), None)
    upcoming = next((p for p in phases if p.actual_start is None), None)
    return {
        "phases": phases,
        "done": len(done),
        "total": len(phases),
        "percent": round(100 * len(done) / len(phases)) if phases else 0,
        "current": running or upcoming,
        "late": [p for p in phases if p.is_late(today=today)],
    }


# --- Budget ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearBudget:
    year: int
    planned: Decimal
    paid: Decimal
    pending: Decimal  # invoices not yet paid whose legal date falls in the year

    @property
    def forecast(self) -> Decimal:
        return self.paid + self.pending

    @property
    def is_overrun(self) -> bool:
        return self.paid > self.planned

    @property
    def is_forecast_overrun(self) -> bool:
        return self.forecast > self.planned

    @property
    def rate(self) -> int | None:
        if not self.planned:
            return None
        return round(100 * self.paid / self.planned)


@dataclass(frozen=True, slots=True)
class BudgetSummary:
    ap: Decimal
    scheduled: Decimal
    committed: Decimal
    paid: Decimal
    years: list[YearBudget] = field(default_factory=list)

    @property
    def unscheduled(self) -> Decimal:
        return self.ap - self.scheduled

    @property
    def forecast_overrun(self) -> Decimal:
        """How far the commitments (contracts and amendments, TTC) exceed the AP."""
        return max(self.committed - self.ap, ZERO)

    @property
    def is_forecast_overrun(self) -> bool:
        return self.committed > self.ap


def budget_summary(*, operation: Operation) -> BudgetSummary:
    """AP, CP per year against payments (by year paid) and pending invoices (by legal date)."""
    budget = ProgrammeAuthorisation.objects.filter(operation=operation).first()
    ap = budget.amount if budget else ZERO
    planned = {c.year: c.amount for c in PaymentCredit.objects.filter(budget__operation=operation)}
    invoices = Invoice.objects.filter(contract__operation=operation)
    paid: dict[int, Decimal] = {}
    pending: dict[int, Decimal] = {}
    for invoice in invoices.only("amount_ttc", "paid_on", "due_on"):
        if invoice.paid_on:
            paid[invoice.paid_on.year] = paid.get(invoice.paid_on.year, ZERO) + invoice.amount_ttc
        else:
            year = invoice.due_on.year
            pending[year] = pending.get(year, ZERO) + invoice.amount_ttc
    contracts = Contract.objects.filter(operation=operation).aggregate(total=Sum("amount_ttc"))
    amendments = Amendment.objects.filter(contract__operation=operation).aggregate(
        total=Sum("amount_ttc")
    )
    years = sorted(set(planned) | set(paid) | set(pending))
    return BudgetSummary(
        ap=ap,
        scheduled=sum(planned.values(), ZERO),
        # SQLite sums decimals without their scale: brought back to the cent.
        committed=((contracts["total"] or ZERO) + (amendments["total"] or ZERO)).quantize(ZERO),
        paid=sum(paid.values(), ZERO),
        years=[
            YearBudget(
                year=year,
                planned=planned.get(year, ZERO),
                paid=paid.get(year, ZERO),
                pending=pending.get(year, ZERO),
            )
            for year in years
        ],
    )


def contract_totals(*, contract: Contract) -> tuple[Decimal, Decimal]:
    """(HT, TTC) with the amendments."""
    amendments = list(contract.amendments.all())
    return (
        contract.amount_ht + sum((a.amount_ht for a in amendments), ZERO),
        contract.amount_ttc + sum((a.amount_ttc for a in amendments), ZERO),
    )


# --- Exports --------------------------------------------------------------------------------


def contracts_of(*, operations: QuerySet[Operation]) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(operation__in=operations)
        .select_related("operation")
        .prefetch_related("amendments")
        .order_by("operation__name", "lot_number")
    )


def invoices_of(*, operations: QuerySet[Operation]) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(contract__operation__in=operations)
        .select_related("contract", "contract__operation")
        .order_by("contract__operation__name", "received_on", "id")
    )


# --- Dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dashboard:
    count: int
    late: int
    overrun: int
    ap: Decimal
    committed: Decimal
    paid: Decimal
    invoices_due: list[Invoice]


@dataclass(frozen=True, slots=True)
class BudgetTotals:
    ap: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def is_forecast_overrun(self) -> bool:
        return self.committed > self.ap


def budget_totals(*, operation_ids: list[int]) -> dict[int, BudgetTotals]:
    """AP, commitments and payments of many operations in four grouped queries (lists and
    exports), instead of a summary per operation."""

    def grouped(queryset: QuerySet, key: str, amount: str) -> dict[int, Decimal]:
        rows = queryset.values(key).annotate(total=Sum(amount)).values_list(key, "total")
        return {pk: (total or ZERO) for pk, total in rows}

    ap = dict(
        ProgrammeAuthorisation.objects.filter(operation_id__in=operation_ids).values_list(
            "operation_id", "amount"
        )
    )
    contracts = grouped(
        Contract.objects.filter(operation_id__in=operation_ids), "operation_id", "amount_ttc"
    )
    amendments = grouped(
        Amendment.objects.filter(contract__operation_id__in=operation_ids),
        "contract__operation_id",
        "amount_ttc",
    )
    paid = grouped(
        Invoice.objects.filter(contract__operation_id__in=operation_ids, paid_on__isnull=False),
        "contract__operation_id",
        "amount_ttc",
    )
    return {
        pk: BudgetTotals(
            ap=ap.get(pk, ZERO),
            committed=(contracts.get(pk, ZERO) + amendments.get(pk, ZERO)).quantize(ZERO),
            paid=paid.get(pk, ZERO).quantize(ZERO),
        )
        for pk in operation_ids
    }


def operations_dashboard(
    *, operations: list[Operation], today: datetime.date, days: int
) -> Dashboard:
    """Totals over the agent's operations (phases prefetched), and the unpaid invoices due
    within `days`. A fixed number of queries, whatever the number of operations."""
    totals = budget_totals(operation_ids=[operation.pk for operation in operations]).values()
    late = sum(
        1
        for operation in operations
        if operation_progress(operation=operation, today=today)["late"]
    )
    due = (
        Invoice.objects.unpaid()
        .filter(
            contract__operation__in=[operation.pk for operation in operations],
            due_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("contract", "contract__operation")
        .order_by("due_on", "id")
    )
    return Dashboard(
        count=len(operations),
        late=late,
        overrun=sum(1 for total in totals if total.is_forecast_overrun),
        ap=sum((t.ap for t in totals), ZERO),
        committed=sum((t.committed for t in totals), ZERO),
        paid=sum((t.paid for t in totals), ZERO),
        invoices_due=list(due),
    )
