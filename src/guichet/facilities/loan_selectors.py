"""Reads for loans to organisations: what may be lent, what is already held, who sees what.

A loan covers whole days: from `starts_on` at midnight to the midnight after `ends_on`
(local time), so a loan ending on the 12th and another starting on the 13th touch and
both hold."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation, User
from guichet.facilities.calendar import at, local
from guichet.facilities.models import (
    Audience,
    Equipment,
    EquipmentHold,
    Facility,
    Loan,
    LoanLine,
    Occupation,
    Unit,
)
from guichet.facilities.selectors import facilities_for_agent, unit_leaves
from guichet.tenants.models import Authority


def loan_span(
    *, starts_on: datetime.date, ends_on: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants a loan holds: [starts_on 00:00, the day after ends_on 00:00)."""
    midnight = datetime.time(0)
    return at(starts_on, midnight), at(ends_on + datetime.timedelta(days=1), midnight)


def _days(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, str]:
    return {"start": starts_on.strftime("%d/%m/%Y"), "end": ends_on.strftime("%d/%m/%Y")}


# --- What may be lent ---------------------------------------------------------------------------


def loan_rooms(*, authority: Authority) -> QuerySet[Unit]:
    """The rooms lent to associations: units of the listed facilities open to them."""
    return (
        Unit.objects.filter(
            authority=authority,
            facility__is_listed=True,
            facility__rules__audience=Audience.ASSOCIATION,
        )
        .select_related("facility")
        .order_by("facility__name", "position", "name")
    )


def loan_equipment(*, authority: Authority) -> QuerySet[Equipment]:
    return Equipment.objects.filter(authority=authority).select_related("facility")


# --- What is already held -----------------------------------------------------------------------


def equipment_peak(
    *, equipment: Equipment, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> tuple[int, list[EquipmentHold]]:
    """The largest quantity held at one moment over [starts_at, ends_at), and the holds met.

    The peak is reached at `starts_at` or where another hold starts inside the range
    (the database triggers of migration 0003 add up the same instants)."""
    holds = list(
        EquipmentHold.objects.filter(
            authority_id=equipment.authority_id,
            equipment=equipment,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        ).select_related("line__loan")
    )
    instants = [starts_at] + [hold.starts_at for hold in holds if hold.starts_at > starts_at]
    peak = max(
        sum(hold.quantity for hold in holds if hold.starts_at <= instant < hold.ends_at)
        for instant in instants
    )
    return peak, holds


def equipment_conflict(
    *,
    equipment: Equipment,
    quantity: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> str:
    """Why `quantity` of the equipment cannot be lent over these days, or ""."""
    peak, holds = equipment_peak(equipment=equipment, **_span(starts_on, ends_on))
    if peak + quantity <= equipment.stock:
        return ""
    loans = [hold.line.loan for hold in holds]
    return _(
        "%(item)s : déjà prêté du %(start)s au %(end)s ; il en reste %(left)s sur %(stock)s "
        "à ces dates."
    ) % {
        "item": equipment.name,
        "left": equipment.stock - peak,
        "stock": equipment.stock,
        **_days(min(loan.starts_on for loan in loans), max(loan.ends_on for loan in loans)),
    }


def _span(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, datetime.datetime]:
    starts_at, ends_at = loan_span(starts_on=starts_on, ends_on=ends_on)
    return {"starts_at": starts_at, "ends_at": ends_at}


def room_conflict(*, unit: Unit, starts_on: datetime.date, ends_on: datetime.date) -> str:
    """Why the room (or a space nested in it) cannot be lent over these days, or ""."""
    span = _span(starts_on, ends_on)
    taken = (
        Occupation.objects.filter(
            authority_id=unit.authority_id,
            leaf__in=unit_leaves(unit=unit),
            starts_at__lt=span["ends_at"],
            ends_at__gt=span["starts_at"],
        )
        .select_related("booking__loan_line__loan")
        .order_by("starts_at")
        .first()
    )
    if taken is None:
        return ""
    line = getattr(taken.booking, "loan_line", None)
    if line is not None:
        return _("%(item)s : déjà prêté du %(start)s au %(end)s.") % {
            "item": unit,
            **_days(line.loan.starts_on, line.loan.ends_on),
        }
    starts, ends = local(taken.booking.starts_at), local(taken.booking.ends_at)
    return _("%(item)s : déjà réservé du %(start)s au %(end)s.") % {
        "item": unit,
        "start": starts.strftime("%d/%m/%Y %H:%M"),
        "end": ends.strftime("%d/%m/%Y %H:%M"),
    }


def loan_line_conflicts(*, loan: Loan) -> list[str]:
    """What already holds the rooms and equipment of a loan over its days."""
    found = []
    for line in loan.lines.filter(authority_id=loan.authority_id).select_related(
        "unit__facility", "equipment"
    ):
        if line.unit is not None:
            problem = room_conflict(unit=line.unit, starts_on=loan.starts_on, ends_on=loan.ends_on)
        else:
            assert line.equipment is not None  # noqa: S101 (the check constraint says so)
            problem = equipment_conflict(
                equipment=line.equipment,
                quantity=line.quantity,
                starts_on=loan.starts_on,
                ends_on=loan.ends_on,
            )
        if problem:
            found.append(problem)
    return found


# --- Who sees what ------------------------------------------------------------------------------


def _loans(authority_id: int) -> QuerySet[Loan]:
    lines = LoanLine.objects.filter(authority_id=authority_id).select_related(
        "unit__facility", "equipment"
    )
    return (
        Loan.objects.filter(authority_id=authority_id)
        .select_related("organisation")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def loans_of_organisation(*, organisation: Organisation) -> QuerySet[Loan]:
    return _loans(organisation.authority_id).filter(organisation=organisation)


def loans_for_agent(*, agent: User) -> QuerySet[Loan]:
    """The loans whose every room and piece of equipment belongs to a facility the agent
    manages (an administrator sees them all)."""
    loans = _loans(agent.authority_id)
    if agent.is_authority_admin:
        return loans
    others = Facility.objects.filter(authority_id=agent.authority_id).exclude(
        pk__in=facilities_for_agent(agent=agent).values("pk")
    )
    return loans.exclude(lines__unit__facility__in=others).exclude(
        lines__equipment__facility__in=others
    )


def loan_get_for_agent(*, agent: User, loan_id: int) -> Loan:
    loan = loans_for_agent(agent=agent).filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return loan


@dataclass
class ItemLoans:
    """One room or piece of equipment and the loan lines that ask for it or hold it."""

    label: str
    stock: int
    lines: list[LoanLine] = field(default_factory=list)


def loans_by_item(*, agent: User, since: datetime.date) -> list[ItemLoans]:
    """For each room and piece of equipment the agent manages, its loans requested or
    granted that end on or after `since`, by start date."""
    facilities = facilities_for_agent(agent=agent)
    lines = (
        LoanLine.objects.filter(
            authority_id=agent.authority_id,
            loan__ends_on__gte=since,
            loan__status__in=(Loan.Status.REQUESTED, Loan.Status.APPROVED),
        )
        .select_related("loan__organisation", "unit__facility", "equipment")
        .order_by("loan__starts_on", "loan__id")
    )
    items: dict[tuple[str, int], ItemLoans] = {}
    for equipment in loan_equipment(authority=agent.authority).filter(facility__in=facilities):
        items[("equipment", equipment.pk)] = ItemLoans(label=equipment.name, stock=equipment.stock)
    for unit in loan_rooms(authority=agent.authority).filter(facility__in=facilities):
        items[("unit", unit.pk)] = ItemLoans(label=str(unit), stock=1)
    for line in lines:
        key = ("unit", line.unit_id) if line.unit_id else ("equipment", line.equipment_id)
        if key in items:
            items[key].lines.append(line)
    return list(items.values())
