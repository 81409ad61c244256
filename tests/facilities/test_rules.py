"""Rules per audience and opening hours, as a table: each request and the answer it gets."""

import datetime
from decimal import Decimal

import pytest

from guichet.core.errors import DomainError
from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.models import Audience, AudienceRule, Booking, Closure
from tests.facilities.conftest import DAY, NOW, association_of

T = datetime.time
EASTER_MONDAY = datetime.date(2027, 3, 29)

# (unit, audience, day, start, end, expected: a status or the error message)
CASES = [
    ("room", Audience.RESIDENT, DAY, T(10), T(12), Booking.Status.CONFIRMED),
    ("room", Audience.ASSOCIATION, DAY, T(10), T(12), Booking.Status.PENDING),
    (
        "room",
        Audience.RESIDENT,
        DAY,
        T(7),
        T(9),
        "Ce créneau est en dehors des horaires d'ouverture.",
    ),
    (
        "room",
        Audience.RESIDENT,
        DAY,
        T(21),
        T(23),
        "Ce créneau est en dehors des horaires d'ouverture.",
    ),
    ("room", Audience.RESIDENT, DAY, T(10), T(15), "La durée maximale est de 240 minutes."),
    (
        "room",
        Audience.RESIDENT,
        NOW.date(),
        T(15),
        T(16),
        "Réservez au moins 12 heures à l'avance.",
    ),
    (
        "room",
        Audience.RESIDENT,
        DAY + datetime.timedelta(days=500),
        T(10),
        T(11),
        "Les réservations ouvrent 400 jours à l'avance au plus.",
    ),
    (
        "room",
        Audience.RESIDENT,
        EASTER_MONDAY,
        T(10),
        T(11),
        "L'équipement est fermé le 29/03/2027 : jour férié (Lundi de Pâques).",
    ),
    (
        "room",
        Audience.RESIDENT,
        datetime.date(2027, 3, 10),
        T(10),
        T(11),
        "L'équipement est fermé le 10/03/2027 : travaux ou maintenance : Peinture.",
    ),
    (
        "hall",
        Audience.INTERNAL,
        DAY,
        T(10),
        T(11),
        "Seul un agent réserve pour un service municipal.",
    ),
]


@pytest.mark.parametrize(("unit", "audience", "day", "start", "end", "expected"), CASES)
def test_rules_and_opening_hours(gym, resident, city, unit, audience, day, start, end, expected):
    Closure.objects.create(
        authority=city,
        facility=gym.room_facility,
        kind=Closure.Kind.MAINTENANCE,
        starts_on=datetime.date(2027, 3, 8),
        ends_on=datetime.date(2027, 3, 12),
        reason="Peinture",
    )

    def request():
        return services.booking_request(
            unit=getattr(gym, unit),
            holder=resident,
            audience=audience,
            organisation=association_of(resident, "Club")
            if audience == Audience.ASSOCIATION
            else None,
            starts_at=at(day, start),
            ends_at=at(day, end),
            purpose="Essai",
            now=NOW,
        )

    if expected in Booking.Status.values:
        assert request().status == expected
    else:
        with pytest.raises(DomainError) as raised:
            request()
        assert raised.value.message == expected


def test_an_audience_without_a_rule_cannot_book(gym, resident):
    AudienceRule.objects.filter(facility=gym.room_facility, audience=Audience.RESIDENT).delete()
    with pytest.raises(DomainError, match="n'est pas réservable par ce public"):
        services.booking_request(
            unit=gym.room,
            holder=resident,
            audience=Audience.RESIDENT,
            starts_at=at(DAY, T(10)),
            ends_at=at(DAY, T(11)),
            purpose="Essai",
            now=NOW,
        )


def test_the_amount_due_follows_the_hourly_price(gym, resident):
    booking = services.booking_request(
        unit=gym.hall,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(DAY, T(10)),
        ends_at=at(DAY, T(11, 30)),
        purpose="Essai",
        now=NOW,
    )
    assert booking.amount_due == Decimal("45.00")  # 1.5 h at 30.00


def test_the_holder_cancels_online_only_until_the_notice(gym, resident):
    booking = services.booking_request(
        unit=gym.room,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(DAY, T(10)),
        ends_at=at(DAY, T(11)),
        purpose="Essai",
        now=NOW,
    )
    with pytest.raises(DomainError, match="L'annulation en ligne ferme 48 heures avant le début"):
        services.booking_cancel(booking=booking, by=resident, now=at(DAY, T(8)))
    cancelled = services.booking_cancel(
        booking=booking, by=resident, now=at(DAY - datetime.timedelta(days=3), T(8))
    )
    assert cancelled.status == Booking.Status.CANCELLED
