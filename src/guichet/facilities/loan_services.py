"""Writes for loans of rooms and equipment to organisations (see ADR 0023).

A request holds nothing: the agent arbitrates between associations asking for the same
sound system. Approving holds everything at once or nothing: a confirmed booking per room
(the no-double-booking guarantee of the registry) and an `EquipmentHold` per piece of
equipment (the database refuses to lend beyond the stock)."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation, User
from guichet.accounts.services import representative_require
from guichet.core.errors import DomainError, ErrorCode
from guichet.facilities import loan_selectors
from guichet.facilities.models import (
    Audience,
    AudienceRule,
    Booking,
    Equipment,
    EquipmentHold,
    Loan,
    LoanLine,
    Occupation,
    Unit,
)

# Shared with the bookings: one way to write occupations and to name a refused overlap.
from guichet.facilities.services import SlotTaken, _occupy
from guichet.notifications.services import email_queue

OVER_STOCK_CONSTRAINT = "facilities_over_stock"


class LoanUnavailable(DomainError):
    """Something asked is already lent or booked over the loan's days."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(ErrorCode.INVALID_DATA, " ".join(problems))
        self.problems = problems


def _reference(day: datetime.date) -> str:
    return f"{day.year}-PRET-{secrets.token_hex(4).upper()}"


def _check_request(
    *,
    organisation: Organisation,
    rooms: list[Unit],
    equipment: list[tuple[Equipment, int]],
    starts_on: datetime.date,
    ends_on: datetime.date,
    today: datetime.date,
) -> None:
    if ends_on < starts_on:
        raise DomainError(ErrorCode.INVALID_DATA, _("La date de fin doit suivre la date de début."))
    if starts_on < today:
        raise DomainError(ErrorCode.INVALID_DATA, _("Un prêt commence aujourd'hui au plus tôt."))
    if not rooms and not equipment:
        raise DomainError(
            ErrorCode.INVALID_DATA, _("Choisissez au moins une salle ou un matériel.")
        )
    for item in [*rooms, *(piece for piece, _quantity in equipment)]:
        if item.authority_id != organisation.authority_id:
            raise DomainError(ErrorCode.NOT_ALLOWED, _("Salle ou matériel inconnu."))
    for piece, quantity in equipment:
        if not 1 <= quantity <= piece.stock:
            raise DomainError(
                ErrorCode.INVALID_DATA,
                _("%(item)s : %(stock)s au plus.") % {"item": piece.name, "stock": piece.stock},
            )


@transaction.atomic
def loan_request(
    *,
    organisation: Organisation,
    by: User,
    rooms: list[Unit],
    equipment: list[tuple[Equipment, int]],
    starts_on: datetime.date,
    ends_on: datetime.date,
    purpose: str,
    request_key: str = "",
    today: datetime.date | None = None,
) -> Loan:
    """A representative asks, for the organisation, rooms and quantities of equipment over
    whole days. Refused at once, naming what is taken and until when, when something is
    already lent or booked; the same form sent twice (same `request_key`) makes one loan."""
    today = today or timezone.localdate()
    representative_require(organisation=organisation, user=by)
    if request_key:
        existing = Loan.objects.filter(
            authority_id=organisation.authority_id, request_key=request_key
        ).first()
        if existing is not None:
            return existing
    _check_request(
        organisation=organisation,
        rooms=rooms,
        equipment=equipment,
        starts_on=starts_on,
        ends_on=ends_on,
        today=today,
    )
    problems = [
        loan_selectors.room_conflict(unit=unit, starts_on=starts_on, ends_on=ends_on)
        for unit in rooms
    ] + [
        loan_selectors.equipment_conflict(
            equipment=piece, quantity=quantity, starts_on=starts_on, ends_on=ends_on
        )
        for piece, quantity in equipment
    ]
    if found := [problem for problem in problems if problem]:
        raise LoanUnavailable(found)
    loan = Loan(
        authority_id=organisation.authority_id,
        organisation=organisation,
        requested_by=by,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose.strip(),
        reference=_reference(today),
        request_key=request_key,
    )
    try:
        with transaction.atomic():
            loan.save()
    except IntegrityError:
        # The same form submitted twice at the same instant: the first one won.
        existing = Loan.objects.filter(
            authority_id=organisation.authority_id, request_key=request_key
        ).first()
        if request_key and existing is not None:
            return existing
        raise
    LoanLine.objects.bulk_create(
        [LoanLine(authority_id=loan.authority_id, loan=loan, unit=unit) for unit in rooms]
        + [
            LoanLine(authority_id=loan.authority_id, loan=loan, equipment=piece, quantity=quantity)
            for piece, quantity in equipment
        ]
    )
    return loan


def _deciding(loan: Loan) -> Loan:
    loan = Loan.objects.select_for_update().select_related("organisation").get(pk=loan.pk)
    if loan.status != Loan.Status.REQUESTED:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cette demande de prêt a déjà été traitée."))
    return loan


def _hold_room(loan: Loan, line: LoanLine, agent: User, now: datetime.datetime) -> None:
    assert line.unit is not None  # noqa: S101 (a room line)
    starts_at, ends_at = loan_selectors.loan_span(starts_on=loan.starts_on, ends_on=loan.ends_on)
    booking = Booking.objects.create(
        authority_id=loan.authority_id,
        unit=line.unit,
        holder=None,  # the loan is what the association follows and cancels
        audience=Audience.ASSOCIATION,
        organisation=loan.organisation,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=_("Prêt %(reference)s : %(purpose)s")
        % {"reference": loan.reference, "purpose": loan.purpose},
        status=Booking.Status.CONFIRMED,
        reference=f"{loan.reference}-{line.pk}",
        decided_by=agent,
        decided_at=now,
    )
    # The association's buffer (cleaning after the room is used), as for its bookings.
    rule = AudienceRule.objects.filter(
        authority_id=loan.authority_id,
        facility_id=line.unit.facility_id,
        audience=Audience.ASSOCIATION,
    ).first()
    try:
        _occupy(booking, rule.buffer_minutes if rule else 0)
    except SlotTaken as error:
        raise LoanUnavailable(
            [
                loan_selectors.room_conflict(
                    unit=line.unit, starts_on=loan.starts_on, ends_on=loan.ends_on
                )
            ]
        ) from error
    line.booking = booking
    line.save(update_fields=["booking"])


def _hold_equipment(loan: Loan, line: LoanLine) -> None:
    assert line.equipment is not None  # noqa: S101 (an equipment line)
    starts_at, ends_at = loan_selectors.loan_span(starts_on=loan.starts_on, ends_on=loan.ends_on)
    try:
        with transaction.atomic():
            EquipmentHold.objects.create(
                authority_id=loan.authority_id,
                equipment=line.equipment,
                line=line,
                quantity=line.quantity,
                starts_at=starts_at,
                ends_at=ends_at,
            )
    except IntegrityError as error:
        if OVER_STOCK_CONSTRAINT not in str(error):
            raise
        raise LoanUnavailable(
            [
                loan_selectors.equipment_conflict(
                    equipment=line.equipment,
                    quantity=line.quantity,
                    starts_on=loan.starts_on,
                    ends_on=loan.ends_on,
                )
            ]
        ) from error


@transaction.atomic
def loan_approve(*, loan: Loan, agent: User, comment: str = "") -> Loan:
    """Holds every room and piece of equipment of the loan, or nothing: when one is
    already lent or booked the whole approval stops with what holds it and until when."""
    loan = _deciding(loan)
    lines = list(
        LoanLine.objects.filter(authority_id=loan.authority_id, loan=loan).select_related(
            "unit__facility", "equipment"
        )
    )
    # Equipment rows locked in one order: two approvals never wait on each other in a cycle.
    list(
        Equipment.objects.select_for_update()
        .filter(
            authority_id=loan.authority_id,
            pk__in=[line.equipment_id for line in lines if line.equipment_id],
        )
        .order_by("pk")
    )
    now = timezone.now()
    for line in lines:
        if line.unit_id:
            _hold_room(loan, line, agent, now)
        else:
            _hold_equipment(loan, line)
    loan.status = Loan.Status.APPROVED
    loan.decided_by, loan.decided_at, loan.comment = agent, now, comment.strip()
    loan.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    _notify(loan)
    return loan


@transaction.atomic
def loan_refuse(*, loan: Loan, agent: User, comment: str) -> Loan:
    loan = _deciding(loan)
    loan.status = Loan.Status.REFUSED
    loan.decided_by, loan.decided_at, loan.comment = agent, timezone.now(), comment.strip()
    loan.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    _notify(loan)
    return loan


@transaction.atomic
def loan_cancel(*, loan: Loan, agent: User, comment: str) -> Loan:
    """An agent withdraws an approved loan: its rooms and equipment are free again."""
    loan = Loan.objects.select_for_update().select_related("organisation").get(pk=loan.pk)
    if loan.status != Loan.Status.APPROVED:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Ce prêt n'est pas en cours."))
    bookings = Booking.objects.filter(
        authority_id=loan.authority_id, loan_line__loan=loan, status__in=Booking.HOLDING
    )
    Occupation.objects.filter(authority_id=loan.authority_id, booking__in=bookings).delete()
    bookings.update(status=Booking.Status.CANCELLED, cancelled_at=timezone.now())
    EquipmentHold.objects.filter(authority_id=loan.authority_id, line__loan=loan).delete()
    loan.status = Loan.Status.CANCELLED
    loan.comment = comment.strip()
    loan.save(update_fields=["status", "comment"])
    _notify(loan)
    return loan


def _notify(loan: Loan) -> None:
    if loan.requested_by is None:
        return
    email_queue(
        authority=loan.organisation.authority,
        to=loan.requested_by.email,
        template="facilities_loan_decided",
        context={"loan": loan, "lines": list(loan.lines.filter(authority_id=loan.authority_id))},
    )
