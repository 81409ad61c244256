"""Dates and opening hours: local times, French public holidays, closures."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils.translation import gettext as _

from guichet.facilities.models import Closure, Facility, OpeningHours


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    """An aware datetime for a local date and time."""
    return datetime.datetime.combine(day, moment, tzinfo=local_zone())


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(local_zone())


@cache
def _holidays(year: int) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("FR", years=year, language="fr").items())


def public_holiday(day: datetime.date) -> str:
    """The name of the French public holiday on that day, or ""."""
    return _holidays(day.year).get(day, "")


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def hours_by_weekday(facility: Facility) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    found: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for hours in OpeningHours.objects.filter(
        authority_id=facility.authority_id, facility=facility
    ).order_by("weekday", "opens"):
        found.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
    return found


def closures_between(
    facility: Facility, first: datetime.date, last: datetime.date
) -> list[Closure]:
    return list(
        Closure.objects.filter(
            authority_id=facility.authority_id,
            facility=facility,
            starts_on__lte=last,
            ends_on__gte=first,
        )
    )


class OpeningCalendar:
    """Whether a facility is open, loaded once for a period."""

    def __init__(self, facility: Facility, first: datetime.date, last: datetime.date) -> None:
        self.facility = facility
        self.hours = hours_by_weekday(facility)
        self.closures = closures_between(facility, first, last)

    def day_closed(self, day: datetime.date) -> str:
        """Why the facility is closed all day, or ""."""
        for closure in self.closures:
            if closure.starts_on <= day <= closure.ends_on:
                label = closure.get_kind_display()
                return f"{label} : {closure.reason}" if closure.reason else label
        if self.facility.closed_on_public_holidays and (name := public_holiday(day)):
            return _("jour férié (%(name)s)") % {"name": name}
        if not self.hours.get(day.weekday()):
            return _("fermé ce jour-là")
        return ""

    def problem(self, starts: datetime.datetime, ends: datetime.datetime) -> str:
        """Why [starts, ends) cannot be booked for opening reasons, or ""."""
        starts, ends = local(starts), local(ends)
        if starts.date() != ends.date() and ends.time() != datetime.time(0):
            return _("Une réservation se termine le jour où elle commence.")
        day = starts.date()
        if reason := self.day_closed(day):
            return _("L'équipement est fermé le %(day)s : %(reason)s.") % {
                "day": day.strftime("%d/%m/%Y"),
                "reason": reason,
            }
        end_time = ends.time() if ends.date() == day else datetime.time(23, 59, 59)
        for opens, closes in self.hours.get(day.weekday(), []):
            if opens <= starts.time() and end_time <= closes:
                return ""
        return _("Ce créneau est en dehors des horaires d'ouverture.")


def hours_between(starts: datetime.datetime, ends: datetime.datetime) -> Decimal:
    return (Decimal((ends - starts).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))


def money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
