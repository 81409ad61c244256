"""Reads. The access selectors (`*_get_for_*`) are how interfaces fetch facility data."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from guichet.accounts.models import Membership, Representative, User
from guichet.facilities.calendar import OpeningCalendar, at, hours_between, local, week_start
from guichet.facilities.models import (
    Booking,
    Closure,
    Facility,
    FacilityReport,
    Occupation,
    SeasonApplication,
    SeasonRound,
    Series,
    Unit,
)
from guichet.interventions.models import WorkOrder
from guichet.payments.models import Regie
from guichet.tenants.models import Authority

# --- Registry -----------------------------------------------------------------------------------


def facilities_listed(*, authority: Authority) -> QuerySet[Facility]:
    return Facility.objects.filter(authority=authority, is_listed=True)


def facility_get_public(*, authority: Authority, slug: str) -> Facility:
    facility = facilities_listed(authority=authority).filter(slug=slug).first()
    if facility is None:
        raise Http404
    return facility


def facility_units(*, facility: Facility) -> list[Unit]:
    """Units in tree order (a parent before its children), with `depth` set."""
    units = list(
        Unit.objects.filter(authority_id=facility.authority_id, facility=facility).order_by(
            "position", "name"
        )
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            unit.depth = depth  # type: ignore[attr-defined]
            ordered.append(unit)
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def unit_leaves(*, unit: Unit) -> list[Unit]:
    """The units without children under `unit` (or `unit` itself): what a booking holds."""
    units = Unit.objects.filter(authority_id=unit.authority_id, facility_id=unit.facility_id)
    children: dict[int | None, list[Unit]] = {}
    for each in units:
        children.setdefault(each.parent_id, []).append(each)
    leaves, pending = [], [unit]
    while pending:
        current = pending.pop()
        below = children.get(current.pk, [])
        if below:
            pending.extend(below)
        else:
            leaves.append(current)
    return sorted(leaves, key=lambda leaf: leaf.pk)


def unit_get_public(*, facility: Facility, unit_id: int) -> Unit:
    unit = Unit.objects.filter(
        authority_id=facility.authority_id, facility=facility, pk=unit_id
    ).first()
    if unit is None:
        raise Http404
    return unit


# --- Availability -------------------------------------------------------------------------------


@dataclass
class Cell:
    state: str  # "free", "booked", "closed", "past"
    label: str
    starts: datetime.datetime


@dataclass
class WeekTable:
    unit: Unit
    days: list[datetime.date]
    rows: list[tuple[datetime.time, list[Cell]]] = field(default_factory=list)


def _busy(
    leaves: list[Unit], first: datetime.datetime, last: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    if not leaves:
        return []
    return list(
        Occupation.objects.filter(
            authority_id=leaves[0].authority_id,
            leaf__in=leaves,
            starts_at__lt=last,
            ends_at__gt=first,
        ).values_list("starts_at", "ends_at")
    )


def availability_week(
    *, facility: Facility, monday: datetime.date, now: datetime.datetime
) -> list[WeekTable]:
    """One table per unit: hourly rows over the week's opening hours, one column per day."""
    monday = week_start(monday)
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    calendar = OpeningCalendar(facility, days[0], days[-1])
    spans = [span for spans in calendar.hours.values() for span in spans]
    if not spans:
        return []
    first_hour = min(opens for opens, _closes in spans).hour
    last_hour = max(closes.hour + (1 if closes.minute else 0) for _opens, closes in spans)
    period = (at(days[0], datetime.time(0)), at(days[-1], datetime.time(23, 59)))
    tables = []
    for unit in facility_units(facility=facility):
        busy = _busy(unit_leaves(unit=unit), *period)
        table = WeekTable(unit=unit, days=days)
        for hour in range(first_hour, last_hour):
            start_time = datetime.time(hour)
            cells = []
            for day in days:
                starts = at(day, start_time)
                ends = starts + datetime.timedelta(hours=1)
                if calendar.problem(starts, ends):
                    cells.append(Cell("closed", _("Fermé"), starts))
                elif any(b_start < ends and starts < b_end for b_start, b_end in busy):
                    cells.append(Cell("booked", _("Réservé"), starts))
                elif starts < now:
                    cells.append(Cell("past", _("Passé"), starts))
                else:
                    cells.append(Cell("free", _("Libre"), starts))
            table.rows.append((start_time, cells))
        tables.append(table)
    return tables


# --- Bookings -----------------------------------------------------------------------------------


def _bookings(authority_id: int) -> QuerySet[Booking]:
    return Booking.objects.filter(authority_id=authority_id).select_related(
        "unit__facility", "holder", "service", "series", "organisation"
    )


def _yours(user: User) -> Q:
    """A person's own bookings or applications, and those of the organisations they represent
    today: an organisation's rows belong to its current representatives, not to whoever
    made them (who loses them on leaving the organisation)."""
    represented = Representative.objects.active().filter(authority_id=user.authority_id, user=user)
    return Q(organisation__isnull=True, holder=user) | Q(
        organisation_id__in=represented.values("organisation_id")
    )


def bookings_of_holder(*, user: User) -> QuerySet[Booking]:
    return _bookings(user.authority_id).filter(_yours(user)).order_by("-starts_at")


def booking_get_for_holder(*, user: Any, authority: Authority, booking_id: int) -> Booking:
    if not user.is_authenticated or user.authority_id != authority.pk:
        raise Http404
    booking = bookings_of_holder(user=user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return booking


def facilities_for_agent(*, agent: User) -> QuerySet[Facility]:
    facilities = Facility.objects.filter(authority_id=agent.authority_id).select_related("service")
    if agent.is_authority_admin:
        return facilities
    services = Membership.objects.filter(authority_id=agent.authority_id, user=agent).values(
        "service_id"
    )
    return facilities.filter(service_id__in=services)


def facility_get_for_agent(*, agent: User, facility_id: int) -> Facility:
    facility = facilities_for_agent(agent=agent).filter(pk=facility_id).first()
    if facility is None:
        raise Http404
    return facility


def bookings_for_agent(*, agent: User) -> QuerySet[Booking]:
    return _bookings(agent.authority_id).filter(
        unit__facility__in=facilities_for_agent(agent=agent)
    )


def booking_get_for_agent(*, agent: User, booking_id: int) -> Booking:
    booking = bookings_for_agent(agent=agent).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return booking


def bookings_affected_by(*, closure: Closure) -> list[Booking]:
    return list(
        _bookings(closure.authority_id).filter(
            unit__facility_id=closure.facility_id,
            status__in=Booking.HOLDING,
            starts_at__lt=at(closure.ends_on + datetime.timedelta(days=1), datetime.time(0)),
            ends_at__gt=at(closure.starts_on, datetime.time(0)),
        )
    )


# --- Season rounds ------------------------------------------------------------------------------


def season_rounds_open(*, authority: Authority) -> QuerySet[SeasonRound]:
    return SeasonRound.objects.filter(authority=authority).exclude(
        status=SeasonRound.Status.PUBLISHED
    )


def season_round_get_public(*, authority: Authority, round_id: int) -> SeasonRound:
    season = SeasonRound.objects.filter(authority=authority, pk=round_id).first()
    if season is None:
        raise Http404
    return season


def season_units(*, authority: Authority) -> QuerySet[Unit]:
    """Units of the listed facilities open to associations."""
    return (
        Unit.objects.filter(
            authority=authority,
            facility__is_listed=True,
            facility__rules__audience="association",
        )
        .select_related("facility")
        .order_by("facility__name", "position", "name")
    )


def season_rounds_for_agent(*, agent: User) -> QuerySet[SeasonRound]:
    return SeasonRound.objects.filter(authority_id=agent.authority_id)


def season_round_get_for_agent(*, agent: User, round_id: int) -> SeasonRound:
    season = season_rounds_for_agent(agent=agent).filter(pk=round_id).first()
    if season is None:
        raise Http404
    return season


def season_applications_for_agent(*, agent: User) -> QuerySet[SeasonApplication]:
    return SeasonApplication.objects.filter(
        authority_id=agent.authority_id,
        unit__facility__in=facilities_for_agent(agent=agent),
    ).select_related("round", "unit__facility", "holder")


def season_application_get_for_agent(*, agent: User, application_id: int) -> SeasonApplication:
    application = season_applications_for_agent(agent=agent).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def season_applications_of_holder(*, user: User) -> QuerySet[SeasonApplication]:
    return SeasonApplication.objects.filter(
        _yours(user), authority_id=user.authority_id
    ).select_related("round", "unit__facility", "organisation")


def season_application_get_for_holder(
    *, user: Any, authority: Authority, application_id: int
) -> SeasonApplication:
    if not user.is_authenticated or user.authority_id != authority.pk:
        raise Http404
    application = season_applications_of_holder(user=user).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def series_get_for_agent(*, agent: User, series_id: int) -> Series:
    series = (
        Series.objects.filter(
            authority_id=agent.authority_id,
            application__unit__facility__in=facilities_for_agent(agent=agent),
            pk=series_id,
        )
        .select_related("application")
        .first()
    )
    if series is None:
        raise Http404
    return series


@dataclass
class Occurrence:
    day: datetime.date
    conflicts: list[str]


def season_occurrences(*, application: SeasonApplication) -> list[Occurrence]:
    """Every date of the season on the application's weekday, each with its conflicts:
    public holidays, closures, opening hours, bookings already holding the slot."""
    season = application.round
    first = season.season_starts + datetime.timedelta(
        days=(application.weekday - season.season_starts.weekday()) % 7
    )
    days = []
    while first <= season.season_ends:
        days.append(first)
        first += datetime.timedelta(days=7)
    if not days:
        return []
    unit = application.unit
    calendar = OpeningCalendar(unit.facility, days[0], days[-1])
    leaves = unit_leaves(unit=unit)
    taken = list(
        Occupation.objects.filter(
            authority_id=application.authority_id,
            leaf__in=leaves,
            starts_at__lt=at(days[-1], application.ends),
            ends_at__gt=at(days[0], application.starts),
        )
        .exclude(booking__series__application=application)
        .select_related("booking")
    )
    found = []
    for day in days:
        starts, ends = at(day, application.starts), at(day, application.ends)
        conflicts = []
        if problem := calendar.problem(starts, ends):
            conflicts.append(problem)
        holders = sorted(
            {
                occupation.booking.holder_label or occupation.booking.reference
                for occupation in taken
                if occupation.starts_at < ends and starts < occupation.ends_at
            }
        )
        if holders:
            conflicts.append(_("Déjà réservé (%(who)s).") % {"who": ", ".join(holders)})
        found.append(Occurrence(day=day, conflicts=conflicts))
    return found


def season_conflicting_days(*, application: SeasonApplication) -> list[datetime.date]:
    return [o.day for o in season_occurrences(application=application) if o.conflicts]


@dataclass
class PlanningRow:
    facility: str
    unit: str
    weekday: str
    starts: datetime.time
    ends: datetime.time
    holder: str
    activity: str
    dates: int


def season_planning(*, season: SeasonRound, facility: Facility | None = None) -> list[PlanningRow]:
    """The granted series of a round, by facility, unit, weekday and hour."""
    series = Series.objects.filter(
        authority_id=season.authority_id, application__round=season
    ).select_related(
        "application__unit__facility", "application__organisation", "application__holder"
    )
    if facility is not None:
        series = series.filter(application__unit__facility=facility)
    rows = []
    for each in sorted(
        series,
        key=lambda s: (
            s.application.unit.facility.name,
            s.application.unit.position,
            s.application.unit.name,
            s.application.weekday,
            s.application.starts,
        ),
    ):
        application = each.application
        count = each.bookings.filter(
            authority_id=season.authority_id, status__in=Booking.HOLDING
        ).count()
        rows.append(
            PlanningRow(
                facility=application.unit.facility.name,
                unit=application.unit.name,
                weekday=str(application.get_weekday_display()),
                starts=application.starts,
                ends=application.ends,
                holder=str(application.organisation or application.holder.display_name),
                activity=application.activity,
                dates=count,
            )
        )
    return rows


# --- Calendar feeds -----------------------------------------------------------------------------


def feed_bookings_of_facility(*, facility: Facility) -> QuerySet[Booking]:
    return _bookings(facility.authority_id).filter(
        unit__facility=facility, status__in=Booking.HOLDING
    )


def feed_bookings_of_person(*, user: User) -> QuerySet[Booking]:
    return bookings_of_holder(user=user).filter(status__in=Booking.HOLDING)


def bookings_between(
    *, facility: Facility, first: datetime.date, last: datetime.date
) -> QuerySet[Booking]:
    return feed_bookings_of_facility(facility=facility).filter(
        starts_at__lt=at(last + datetime.timedelta(days=1), datetime.time(0)),
        ends_at__gt=at(first, datetime.time(0)),
    )


def local_range(booking: Booking) -> tuple[datetime.datetime, datetime.datetime]:
    return local(booking.starts_at), local(booking.ends_at)


def feed_person(*, authority: Authority, user_id: int | None) -> User:
    user = User.objects.filter(authority=authority, pk=user_id, is_active=True).first()
    if user_id is None or user is None:
        raise Http404
    return user


def facility_prices(*, facility: Facility) -> list[Any]:
    from guichet.facilities.models import Price

    return list(
        Price.objects.filter(authority_id=facility.authority_id, unit__facility=facility)
        .select_related("unit")
        .order_by("unit__position", "unit__name", "audience")
    )


def services_of_authority(*, authority_id: int) -> QuerySet[Any]:
    from guichet.accounts.models import Service

    return Service.objects.filter(authority_id=authority_id)


def services_managed_by(*, agent: User) -> QuerySet[Any]:
    """The services whose facilities an agent may manage: theirs, or all for an admin."""
    found = services_of_authority(authority_id=agent.authority_id)
    if agent.is_authority_admin:
        return found
    return found.filter(
        pk__in=Membership.objects.filter(authority_id=agent.authority_id, user=agent).values(
            "service_id"
        )
    )


def regies_of_authority(*, authority_id: int) -> QuerySet[Regie]:
    return Regie.objects.filter(authority_id=authority_id)


def facility_slug_taken(*, authority_id: int, slug: str, exclude_id: int | None) -> bool:
    return (
        Facility.objects.filter(authority_id=authority_id, slug=slug)
        .exclude(pk=exclude_id)
        .exists()
    )


# --- Occupancy ----------------------------------------------------------------------------------


@dataclass
class MonthOccupancy:
    month: datetime.date
    open_hours: Decimal
    booked_hours: Decimal

    @property
    def rate(self) -> Decimal:
        """Booked hours ÷ open hours, in per cent (one decimal)."""
        if not self.open_hours:
            return Decimal("0.0")
        return (self.booked_hours * 100 / self.open_hours).quantize(Decimal("0.1"))


def occupancy_by_month(*, facility: Facility, year: int) -> list[MonthOccupancy]:
    """Per month: the hours the facility's spaces are open (opening hours of the open days,
    times the number of smallest spaces) and the hours booked in them (a whole hall booked
    one hour counts its two half courts)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    calendar = OpeningCalendar(facility, first, last)
    units = facility_units(facility=facility)
    leaf_count = {unit.pk: len(unit_leaves(unit=unit)) for unit in units}
    leaves_total = sum(1 for unit in units if not any(u.parent_id == unit.pk for u in units))
    months = {
        month: MonthOccupancy(datetime.date(year, month, 1), Decimal("0.00"), Decimal("0.00"))
        for month in range(1, 13)
    }
    day = first
    while day <= last:
        if not calendar.day_closed(day):
            for opens, closes in calendar.hours.get(day.weekday(), []):
                span = hours_between(at(day, opens), at(day, closes))
                months[day.month].open_hours += span * leaves_total
        day += datetime.timedelta(days=1)
    for booking in bookings_between(facility=facility, first=first, last=last):
        starts, ends = local_range(booking)
        months[starts.month].booked_hours += hours_between(starts, ends) * leaf_count.get(
            booking.unit_id, 1
        )
    return list(months.values())


def series_of_application(*, application: SeasonApplication) -> Series | None:
    return Series.objects.filter(
        authority_id=application.authority_id, application=application
    ).first()


# --- Problem reports and work orders ------------------------------------------------------------


def work_orders_open_of_facility(*, facility: Facility) -> QuerySet[WorkOrder]:
    """The work orders not done yet that are linked to the facility."""
    return (
        WorkOrder.objects.filter(
            authority_id=facility.authority_id,
            sources__content_type=ContentType.objects.get_for_model(Facility),
            sources__object_id=facility.pk,
        )
        .exclude(status=WorkOrder.Status.DONE)
        .select_related("assignee")
        .order_by("planned_date", "id")
        .distinct()
    )


def facility_reports_of_reporter(*, user: User) -> QuerySet[FacilityReport]:
    return FacilityReport.objects.filter(
        authority_id=user.authority_id, reporter=user
    ).select_related("facility", "unit")
