"""Writes: bookings, their decisions, payments and cancellations, closures, problem reports
and their work orders, season rounds."""

import datetime
import secrets
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation, Representative, Service, User
from guichet.core.errors import DomainError, ErrorCode
from guichet.documents.images import ImageError, image_reencode
from guichet.facilities import selectors
from guichet.facilities.calendar import OpeningCalendar, at, hours_between, local, money
from guichet.facilities.models import (
    Audience,
    AudienceRule,
    Booking,
    Closure,
    Facility,
    FacilityReport,
    Occupation,
    Price,
    SeasonApplication,
    SeasonRound,
    Series,
    Unit,
)
from guichet.interventions import services as interventions
from guichet.interventions.models import WorkOrder
from guichet.interventions.signals import work_order_done
from guichet.notifications.services import email_queue
from guichet.payments.models import Payment
from guichet.payments.services import charge_record, charge_withdraw, payment_start

OVERLAP_CONSTRAINT = "facilities_no_overlap"


class SlotTaken(DomainError):
    """The database refused the booking: the slot (or a unit nested in it) is taken."""

    def __init__(self) -> None:
        super().__init__(
            ErrorCode.INVALID_DATA,
            _("Ce créneau est déjà réservé. Choisissez un autre horaire ou un autre espace."),
        )


def _reference(day: datetime.date) -> str:
    return f"{day.year}-RES-{secrets.token_hex(4).upper()}"


def booking_price(*, unit: Unit, audience: str, starts_at: Any, ends_at: Any) -> Decimal:
    price = Price.objects.filter(
        authority_id=unit.authority_id, unit=unit, audience=audience
    ).first()
    if price is None:
        return Decimal("0.00")
    return money(price.hourly * hours_between(starts_at, ends_at))


def _occupy(booking: Booking, buffer_minutes: int) -> None:
    """Writes the occupations of the booking's leaves; the database refuses overlaps."""
    ends = booking.ends_at + datetime.timedelta(minutes=buffer_minutes)
    rows = [
        Occupation(
            authority_id=booking.authority_id,
            leaf=leaf,
            booking=booking,
            starts_at=booking.starts_at,
            ends_at=ends,
        )
        for leaf in selectors.unit_leaves(unit=booking.unit)
    ]
    try:
        with transaction.atomic():
            for row in rows:  # one by one: SQLite triggers fire per row, bulk inserts too
                row.save()
    except IntegrityError as error:
        if OVERLAP_CONSTRAINT in str(error):
            raise SlotTaken from error
        raise


def _release(booking: Booking) -> None:
    Occupation.objects.filter(authority_id=booking.authority_id, booking=booking).delete()


def _rule(facility: Facility, audience: str) -> AudienceRule:
    rule = AudienceRule.objects.filter(
        authority_id=facility.authority_id, facility=facility, audience=audience
    ).first()
    if rule is None:
        raise DomainError(
            ErrorCode.NOT_ALLOWED,
            _("Cet équipement n'est pas réservable par ce public."),
        )
    return rule


def booking_check(
    *,
    unit: Unit,
    audience: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    now: datetime.datetime,
    by_agent: bool = False,
) -> AudienceRule:
    """Raises a DomainError naming the first rule the request breaks."""
    facility = unit.facility
    rule = _rule(facility, audience)
    if ends_at <= starts_at:
        raise DomainError(ErrorCode.INVALID_DATA, _("La fin doit suivre le début."))
    if not by_agent:
        if starts_at < now + datetime.timedelta(hours=rule.min_notice_hours):
            raise DomainError(
                ErrorCode.INVALID_DATA,
                _("Réservez au moins %(hours)s heures à l'avance.")
                % {"hours": rule.min_notice_hours},
            )
        if starts_at > now + datetime.timedelta(days=rule.max_days_ahead):
            raise DomainError(
                ErrorCode.INVALID_DATA,
                _("Les réservations ouvrent %(days)s jours à l'avance au plus.")
                % {"days": rule.max_days_ahead},
            )
        if ends_at - starts_at > datetime.timedelta(minutes=rule.max_duration_minutes):
            raise DomainError(
                ErrorCode.INVALID_DATA,
                _("La durée maximale est de %(minutes)s minutes.")
                % {"minutes": rule.max_duration_minutes},
            )
    day = local(starts_at).date()
    if problem := OpeningCalendar(facility, day, day).problem(starts_at, ends_at):
        raise DomainError(ErrorCode.INVALID_DATA, problem)
    return rule


@transaction.atomic
def booking_request(
    *,
    unit: Unit,
    holder: User | None,
    audience: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str,
    attendance: int = 1,
    organisation: Organisation | None = None,
    service: Service | None = None,
    request_key: str = "",
    by_agent: User | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """A booking request: confirmed at once when the audience's rule says so, otherwise
    held (the slot is taken) until an agent decides. A second submission of the same
    form (same `request_key`) returns the first booking."""
    now = now or timezone.now()
    if request_key:
        existing = Booking.objects.filter(
            authority_id=unit.authority_id, request_key=request_key
        ).first()
        if existing is not None:
            return existing
    if audience == Audience.ASSOCIATION:
        _check_representative(organisation, holder, unit.authority_id)
    if audience == Audience.INTERNAL and (service is None or by_agent is None):
        raise DomainError(
            ErrorCode.NOT_ALLOWED, _("Seul un agent réserve pour un service municipal.")
        )
    if unit.capacity and attendance > unit.capacity:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Cet espace accueille %(capacity)s personnes au plus.") % {"capacity": unit.capacity},
        )
    rule = booking_check(
        unit=unit,
        audience=audience,
        starts_at=starts_at,
        ends_at=ends_at,
        now=now,
        by_agent=by_agent is not None,
    )
    confirmed = by_agent is not None or not rule.needs_approval
    booking = Booking(
        authority_id=unit.authority_id,
        unit=unit,
        holder=holder,
        audience=audience,
        organisation=organisation if audience == Audience.ASSOCIATION else None,
        service=service if audience == Audience.INTERNAL else None,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        attendance=attendance,
        status=Booking.Status.CONFIRMED if confirmed else Booking.Status.PENDING,
        amount_due=booking_price(
            unit=unit, audience=audience, starts_at=starts_at, ends_at=ends_at
        ),
        reference=_reference(local(now).date()),
        request_key=request_key,
        decided_by=by_agent if confirmed else None,
        decided_at=now if confirmed else None,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        # The same form submitted twice at the same instant: the first one won.
        existing = Booking.objects.filter(
            authority_id=unit.authority_id, request_key=request_key
        ).first()
        if request_key and existing is not None:
            return existing
        raise
    _occupy(booking, rule.buffer_minutes)
    _bill(booking)
    _notify(booking, "facilities_booking_confirmed" if confirmed else "facilities_booking_received")
    return booking


def _check_representative(
    organisation: Organisation | None, holder: User | None, authority_id: int
) -> None:
    """Only a current representative books or applies for an organisation."""
    if organisation is None:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez l'association."))
    represents = Representative.objects.active().filter(
        authority_id=authority_id, organisation=organisation, user=holder
    )
    if organisation.authority_id != authority_id or holder is None or not represents.exists():
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Vous ne représentez pas cette association."))


def _notify(booking: Booking, template: str, **context: Any) -> None:
    if booking.holder is None:
        return
    email_queue(
        authority=booking.authority,
        to=booking.holder.email,
        template=template,
        context={
            "booking": booking,
            "starts": local(booking.starts_at),
            "ends": local(booking.ends_at),
            "path": reverse("frontoffice:facilities_booking", args=[booking.pk]),
            **context,
        },
    )


def _decidable(booking: Booking) -> None:
    if booking.status != Booking.Status.PENDING:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cette réservation a déjà été traitée."))


@transaction.atomic
def booking_approve(*, booking: Booking, agent: User) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    _decidable(booking)
    booking.status = Booking.Status.CONFIRMED
    booking.decided_by, booking.decided_at = agent, timezone.now()
    booking.save(update_fields=["status", "decided_by", "decided_at"])
    _bill(booking)
    _notify(booking, "facilities_booking_confirmed")
    return booking


@transaction.atomic
def booking_refuse(*, booking: Booking, agent: User, note: str) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    _decidable(booking)
    booking.status = Booking.Status.REFUSED
    booking.decided_by, booking.decided_at = agent, timezone.now()
    booking.decision_note = note
    booking.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _release(booking)
    _notify(booking, "facilities_booking_refused")
    return booking


@transaction.atomic
def booking_cancel(
    *,
    booking: Booking,
    by: User,
    as_agent: bool = False,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """The holder cancels up to the rule's notice; an agent cancels at any time."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update().select_related("unit__facility").get(pk=booking.pk)
    )
    if booking.status not in Booking.HOLDING:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cette réservation n'est plus active."))
    if not as_agent:
        rule = AudienceRule.objects.filter(
            authority_id=booking.authority_id,
            facility=booking.unit.facility,
            audience=booking.audience,
        ).first()
        notice = datetime.timedelta(hours=rule.cancel_notice_hours if rule else 0)
        if booking.starts_at - now < notice:
            raise DomainError(
                ErrorCode.NOT_ALLOWED,
                _(
                    "L'annulation en ligne ferme %(hours)s heures avant le début : "
                    "contactez le service."
                )
                % {"hours": rule.cancel_notice_hours if rule else 0},
            )
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.decision_note = note
    booking.save(update_fields=["status", "cancelled_at", "decision_note"])
    _release(booking)
    charge_withdraw(
        authority_id=booking.authority_id, purpose=BOOKING_PURPOSE, purpose_id=booking.pk
    )
    if as_agent:
        _notify(booking, "facilities_booking_cancelled")
    return booking


@transaction.atomic
def closure_create(
    *,
    facility: Facility,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
) -> tuple[Closure, list[Booking]]:
    """Marks a facility closed or unavailable; the active bookings it affects are returned
    and each holder is warned once, with the list of their bookings concerned (the bookings
    stay until an agent cancels or moves them)."""
    if ends_on < starts_on:
        raise DomainError(ErrorCode.INVALID_DATA, _("La fin doit suivre le début."))
    closure = Closure.objects.create(
        authority_id=facility.authority_id,
        facility=facility,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    affected = selectors.bookings_affected_by(closure=closure)
    by_holder: dict[int, list[Booking]] = {}
    for booking in affected:
        if booking.holder_id is not None:
            by_holder.setdefault(booking.holder_id, []).append(booking)
    for bookings in by_holder.values():
        email_queue(
            authority=facility.authority,
            to=bookings[0].holder.email,  # type: ignore[union-attr]
            template="facilities_booking_affected",
            context={
                "closure": closure,
                "facility": facility,
                "bookings": [
                    {
                        "booking": booking,
                        "starts": local(booking.starts_at),
                        "ends": local(booking.ends_at),
                        "path": reverse("frontoffice:facilities_booking", args=[booking.pk]),
                    }
                    for booking in bookings
                ],
            },
        )
    return closure, affected


# --- Season rounds ------------------------------------------------------------------------------


NEXT_STEP = {
    SeasonRound.Status.ANNOUNCED: SeasonRound.Status.OPEN,
    SeasonRound.Status.OPEN: SeasonRound.Status.ALLOCATION,
    SeasonRound.Status.ALLOCATION: SeasonRound.Status.PUBLISHED,
}


@transaction.atomic
def season_round_advance(*, season: SeasonRound) -> SeasonRound:
    season = SeasonRound.objects.select_for_update().get(pk=season.pk)
    following = NEXT_STEP.get(season.status)  # type: ignore[call-overload]
    if following is None:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Les résultats ont déjà été envoyés."))
    season.status = following
    season.save(update_fields=["status"])
    if following == SeasonRound.Status.PUBLISHED:
        for application in season.applications.filter(authority_id=season.authority_id):
            email_queue(
                authority=season.authority,
                to=application.holder.email,
                template="facilities_season_result",
                context={"application": application, "season": season},
            )
    return season


@transaction.atomic
def season_apply(
    *,
    season: SeasonRound,
    unit: Unit,
    holder: User,
    organisation: Organisation | None,
    weekday: int,
    starts: datetime.time,
    ends: datetime.time,
    activity: str,
) -> SeasonApplication:
    if season.status != SeasonRound.Status.OPEN:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Cette campagne n'accepte pas de demandes."))
    if ends <= starts:
        raise DomainError(ErrorCode.INVALID_DATA, _("La fin doit suivre le début."))
    _rule(unit.facility, Audience.ASSOCIATION)
    _check_representative(organisation, holder, season.authority_id)
    duplicate = SeasonApplication.objects.filter(
        authority_id=season.authority_id,
        round=season,
        unit=unit,
        holder=holder,
        weekday=weekday,
        starts=starts,
        ends=ends,
    ).first()
    if duplicate is not None:
        return duplicate
    return SeasonApplication.objects.create(
        authority_id=season.authority_id,
        round=season,
        unit=unit,
        holder=holder,
        organisation=organisation,
        weekday=weekday,
        starts=starts,
        ends=ends,
        activity=activity,
    )


def _deciding(application: SeasonApplication) -> SeasonApplication:
    application = (
        SeasonApplication.objects.select_for_update()
        .select_related("round", "unit__facility")
        .get(pk=application.pk)
    )
    if application.round.status != SeasonRound.Status.ALLOCATION:
        raise DomainError(
            ErrorCode.NOT_ALLOWED, _("Les demandes se traitent pendant l'attribution.")
        )
    if application.status not in (
        SeasonApplication.Status.SUBMITTED,
        SeasonApplication.Status.PROPOSED,
    ):
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cette demande a déjà été traitée."))
    return application


@transaction.atomic
def season_approve(
    *, application: SeasonApplication, dates: list[datetime.date], agent: User
) -> Series:
    """Grants the chosen dates as one series of confirmed bookings. A date that meets a
    conflict (a holiday, a closure, a booking) cannot be granted: the whole approval stops."""
    application = _deciding(application)
    if not dates:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez au moins une date."))
    allowed = {
        occurrence.day
        for occurrence in selectors.season_occurrences(application=application)
        if not occurrence.conflicts
    }
    refused = sorted(set(dates) - allowed)
    if refused:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Ces dates ne peuvent pas être accordées : %(dates)s.")
            % {"dates": ", ".join(day.strftime("%d/%m/%Y") for day in refused)},
        )
    series = Series.objects.create(authority_id=application.authority_id, application=application)
    rule = _rule(application.unit.facility, Audience.ASSOCIATION)
    now = timezone.now()
    for day in sorted(set(dates)):
        starts_at, ends_at = at(day, application.starts), at(day, application.ends)
        booking = Booking.objects.create(
            authority_id=application.authority_id,
            unit=application.unit,
            holder=application.holder,
            audience=Audience.ASSOCIATION,
            organisation=application.organisation,
            series=series,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose=application.activity,
            status=Booking.Status.CONFIRMED,
            amount_due=booking_price(
                unit=application.unit,
                audience=Audience.ASSOCIATION,
                starts_at=starts_at,
                ends_at=ends_at,
            ),
            reference=_reference(day),
            decided_by=agent,
            decided_at=now,
        )
        _occupy(booking, rule.buffer_minutes)
        _bill(booking)
    every = len(allowed) == len(set(dates)) and not selectors.season_conflicting_days(
        application=application
    )
    application.status = (
        SeasonApplication.Status.APPROVED if every else SeasonApplication.Status.PARTIAL
    )
    application.save(update_fields=["status"])
    return series


@transaction.atomic
def season_refuse(*, application: SeasonApplication, note: str) -> SeasonApplication:
    application = _deciding(application)
    application.status = SeasonApplication.Status.REFUSED
    application.proposal_note = note
    application.save(update_fields=["status", "proposal_note"])
    return application


@transaction.atomic
def season_propose(
    *,
    application: SeasonApplication,
    unit: Unit,
    weekday: int,
    starts: datetime.time,
    ends: datetime.time,
    note: str,
) -> SeasonApplication:
    """The agent offers another slot; the association accepts it (or not) from its page."""
    application = _deciding(application)
    if ends <= starts:
        raise DomainError(ErrorCode.INVALID_DATA, _("La fin doit suivre le début."))
    application.unit, application.weekday = unit, weekday
    application.starts, application.ends = starts, ends
    application.status = SeasonApplication.Status.PROPOSED
    application.proposal_note = note
    application.save()
    email_queue(
        authority=application.authority,
        to=application.holder.email,
        template="facilities_season_proposal",
        context={"application": application},
    )
    return application


@transaction.atomic
def season_proposal_accept(*, application: SeasonApplication) -> SeasonApplication:
    application = SeasonApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != SeasonApplication.Status.PROPOSED:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Aucune proposition en attente."))
    application.status = SeasonApplication.Status.SUBMITTED
    application.save(update_fields=["status"])
    return application


@transaction.atomic
def series_cancel(*, series: Series, by: User, note: str = "") -> int:
    """Cancels every booking of the series still to come; returns how many."""
    count = 0
    for booking in Booking.objects.filter(
        Q(status__in=Booking.HOLDING),
        authority_id=series.authority_id,
        series=series,
        starts_at__gte=timezone.now(),
    ):
        booking_cancel(booking=booking, by=by, as_agent=True, note=note)
        count += 1
    return count


# --- Registry -----------------------------------------------------------------------------------


@transaction.atomic
def registry_save(
    *,
    facility: Facility,
    rows: list[Any],
    deleted: list[Any],
) -> Facility:
    """Saves a facility's registry rows (units, hours, rules, prices) and deletes the removed
    ones; then rewrites the occupations of the bookings still to come, so that a change in
    how units nest keeps the no-overlap guarantee (a change that would make two bookings
    collide is refused)."""
    facility.save()
    try:
        for row in deleted:
            row.delete()
    except ProtectedError as error:
        raise DomainError(
            ErrorCode.NOT_ALLOWED,
            _("Un espace qui a des réservations ne peut pas être supprimé."),
        ) from error
    for row in rows:
        row.authority_id = facility.authority_id
        if hasattr(row, "facility_id"):
            row.facility = facility
        row.save()
    _reoccupy(facility)
    return facility


def _reoccupy(facility: Facility) -> None:
    bookings = list(
        Booking.objects.filter(
            authority_id=facility.authority_id,
            unit__facility=facility,
            status__in=Booking.HOLDING,
            ends_at__gt=timezone.now(),
        ).select_related("unit")
    )
    rules = {
        rule.audience: rule.buffer_minutes
        for rule in AudienceRule.objects.filter(
            authority_id=facility.authority_id, facility=facility
        )
    }
    Occupation.objects.filter(
        authority_id=facility.authority_id, booking__in=[b.pk for b in bookings]
    ).delete()
    for booking in bookings:
        try:
            _occupy(booking, rules.get(booking.audience, 0))
        except SlotTaken as error:
            raise DomainError(
                ErrorCode.INVALID_DATA,
                _(
                    "Ce découpage ferait se chevaucher des réservations existantes "
                    "(%(reference)s) : modification refusée."
                )
                % {"reference": booking.reference},
            ) from error


def _move(booking: Booking, starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    rule = booking_check(
        unit=booking.unit,
        audience=booking.audience,
        starts_at=starts_at,
        ends_at=ends_at,
        now=timezone.now(),
        by_agent=True,
    )
    _release(booking)
    booking.starts_at, booking.ends_at = starts_at, ends_at
    booking.save(update_fields=["starts_at", "ends_at"])
    _occupy(booking, rule.buffer_minutes)


@transaction.atomic
def booking_move(
    *, booking: Booking, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> Booking:
    """An agent moves one booking (one date of a series, say); the holder is told."""
    booking = (
        Booking.objects.select_for_update().select_related("unit__facility").get(pk=booking.pk)
    )
    if booking.status not in Booking.HOLDING:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cette réservation n'est plus active."))
    _move(booking, starts_at, ends_at)
    _notify(booking, "facilities_booking_moved")
    return booking


@transaction.atomic
def series_move(*, series: Series, starts: datetime.time, ends: datetime.time) -> int:
    """Changes the hours of every date still to come of a series, all or nothing."""
    if ends <= starts:
        raise DomainError(ErrorCode.INVALID_DATA, _("La fin doit suivre le début."))
    bookings = list(
        Booking.objects.select_for_update()
        .select_related("unit__facility")
        .filter(
            authority_id=series.authority_id,
            series=series,
            status__in=Booking.HOLDING,
            starts_at__gte=timezone.now(),
        )
    )
    for booking in bookings:  # released first: the new hours may overlap the old ones
        _release(booking)
    for booking in bookings:
        day = local(booking.starts_at).date()
        try:
            _move(booking, at(day, starts), at(day, ends))
        except DomainError as error:
            raise DomainError(
                error.code,
                _("Le %(day)s : %(reason)s")
                % {"day": day.strftime("%d/%m/%Y"), "reason": error.message},
            ) from error
    application = series.application
    application.starts, application.ends = starts, ends
    application.save(update_fields=["starts", "ends"])
    return len(bookings)


MAX_PHOTO_PIXELS = 1600


def facility_photo_set(*, facility: Facility, upload: Any, description: str) -> Facility:
    """Stores a photo re-encoded as JPEG from its pixels only (no metadata, nothing smuggled
    in the file), at most 1600 pixels wide or high."""
    try:
        photo = image_reencode(upload, name=facility.slug, max_side=MAX_PHOTO_PIXELS)
    except ImageError as error:
        raise DomainError(ErrorCode.INVALID_FILE, _("Cette image ne peut pas être lue.")) from error
    if facility.photo:
        facility.photo.delete(save=False)
    facility.photo.save(photo.name, photo, save=False)
    facility.photo_description = description
    facility.save(update_fields=["photo", "photo_description"])
    return facility


# --- Payment ------------------------------------------------------------------------------------

BOOKING_PURPOSE = "facilities.booking"


def _bill(booking: Booking) -> None:
    """A confirmed booking with a price is billed: the ledger the barometer measures online
    payment against (K4), whether it is then paid online or at the service."""
    if booking.status == Booking.Status.CONFIRMED and booking.amount_due > 0:
        charge_record(
            authority_id=booking.authority_id,
            domain="facilities",
            purpose=BOOKING_PURPOSE,
            purpose_id=booking.pk,
            amount=booking.amount_due,
            billed_at=booking.decided_at or timezone.now(),
            label=booking.reference,
        )


def booking_payment_start(*, booking: Booking, payer: User) -> Payment:
    """A payment of what the booking costs, through the facility's régie."""
    regie = booking.unit.facility.regie
    if not booking.is_to_pay or regie is None:
        if booking.is_paid:
            raise DomainError(ErrorCode.ALREADY_DONE, _("Cette réservation est déjà payée."))
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Cette réservation ne se paie pas en ligne."))
    return payment_start(
        regie=regie,
        amount=booking.amount_due,
        label=_("Réservation %(reference)s") % {"reference": booking.reference},
        purpose=BOOKING_PURPOSE,
        purpose_id=booking.pk,
        payer_email=payer.email,
    )


def booking_settle(payment: Payment) -> None:
    """Marks the booking paid by this payment (called once, by payments, in its transaction);
    a booking already paid keeps its first payment."""
    Booking.objects.filter(
        authority_id=payment.authority_id, pk=payment.purpose_id, paid_at__isnull=True
    ).update(paid_at=timezone.now(), payment_reference=payment.reference)


# --- Problem reports and work orders ------------------------------------------------------------


@transaction.atomic
def facility_report_file(
    *,
    facility: Facility,
    reporter: User,
    description: str,
    unit: Unit | None = None,
    photo: UploadedFile | None = None,
    request_key: str = "",
) -> tuple[FacilityReport, WorkOrder]:
    """A problem reported in a facility, by a user or an agent: it becomes a work order of the
    facility's managing service, linked to the report, the facility and the unit. The same
    form sent twice (same `request_key`) returns the first report and its work order."""
    if request_key:
        first = FacilityReport.objects.filter(
            authority_id=facility.authority_id, request_key=request_key
        ).first()
        if first is not None:
            return first, _work_order_of(first)
    if not description.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Décrivez le problème constaté."))
    if unit is not None and unit.facility_id != facility.pk:
        raise DomainError(ErrorCode.INVALID_DATA, _("Cet espace n'est pas dans l'équipement."))
    report = FacilityReport(
        authority_id=facility.authority_id,
        facility=facility,
        unit=unit,
        reporter=reporter,
        description=description.strip(),
        request_key=request_key,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # The same form sent twice at the same instant: the first one won.
        first = FacilityReport.objects.get(
            authority_id=facility.authority_id, request_key=request_key
        )
        return first, _work_order_of(first)
    where = f"{facility.name} — {unit.name}" if unit else facility.name
    work_order = interventions.work_order_create(
        service=facility.service,
        title=(_("%(where)s : problème signalé") % {"where": where})[:200],
        description=report.description,
        by=reporter,
        sources=[source for source in (report, facility, unit) if source is not None],
        before_photo=photo,
    )
    if not reporter.is_agent:
        email_queue(
            authority=facility.authority,
            to=reporter.email,
            template="facilities_report_received",
            context={"report": report, "work_order": work_order},
        )
    return report, work_order


def _work_order_of(report: FacilityReport) -> WorkOrder:
    return WorkOrder.objects.get(
        sources__content_type=ContentType.objects.get_for_model(FacilityReport),
        sources__object_id=report.pk,
    )


@receiver(work_order_done, sender=WorkOrder, dispatch_uid="facilities_reports_close")
def _reports_close(sender: Any, work_order: WorkOrder, sources: list[Any], **kwargs: Any) -> None:
    """Closing the work order closes the facility's reports it answers and tells each
    reporter (once: a report already closed is left alone)."""
    for source in sources:
        if not isinstance(source, FacilityReport):
            continue
        report = FacilityReport.objects.select_for_update().get(pk=source.pk)
        if report.status == FacilityReport.Status.CLOSED:
            continue
        report.status = FacilityReport.Status.CLOSED
        report.closed_at = timezone.now()
        report.resolution = work_order.comment
        report.save(update_fields=["status", "closed_at", "resolution"])
        if report.reporter is not None:
            email_queue(
                authority=report.authority,
                to=report.reporter.email,
                template="facilities_report_closed",
                context={"report": report, "work_order": work_order},
            )
