"""The database refuses overlaps: touching ranges pass, overlapping ones fail, nested units
included. On each database (SQLite triggers, PostgreSQL exclusion constraint)."""

import pytest
from django.db import IntegrityError, transaction

from guichet.facilities import services
from guichet.facilities.models import Audience, Booking, Occupation
from tests.facilities.conftest import NOW, slot


def book(unit, holder, start, end, **kwargs):
    starts_at, ends_at = slot(start, end)
    return services.booking_request(
        unit=unit,
        holder=holder,
        audience=Audience.RESIDENT,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose="Entraînement",
        now=NOW,
        **kwargs,
    )


# (first booking, second booking, second accepted?)
OVERLAPS = [
    (("10:00", "12:00"), ("12:00", "14:00"), True),  # touching after
    (("10:00", "12:00"), ("08:00", "10:00"), True),  # touching before
    (("10:00", "12:00"), ("11:59", "13:00"), False),  # overlaps the end
    (("10:00", "12:00"), ("09:00", "10:01"), False),  # overlaps the start
    (("10:00", "12:00"), ("10:00", "12:00"), False),  # the same range
    (("10:00", "12:00"), ("10:30", "11:30"), False),  # inside
    (("10:00", "12:00"), ("09:00", "13:00"), False),  # around
    (("10:00", "12:00"), ("14:00", "16:00"), True),  # apart
]


@pytest.mark.parametrize(("first", "second", "accepted"), OVERLAPS)
def test_overlap_rules_on_one_unit(gym, resident, first, second, accepted):
    book(gym.room, resident, *first)
    if accepted:
        assert book(gym.room, resident, *second).status == Booking.Status.CONFIRMED
    else:
        with pytest.raises(services.SlotTaken, match="déjà réservé"):
            book(gym.room, resident, *second)
    assert Booking.objects.filter(unit=gym.room).count() == (2 if accepted else 1)


# (unit booked first, unit booked second, second accepted?) over the same hours
NESTING = [
    ("hall", "half_a", False),
    ("hall", "half_b", False),
    ("half_a", "hall", False),
    ("half_b", "hall", False),
    ("half_a", "half_b", True),
    ("half_a", "half_a", False),
    ("hall", "room", True),
]


@pytest.mark.parametrize(("first", "second", "accepted"), NESTING)
def test_nested_units_block_each_other(gym, resident, first, second, accepted):
    book(getattr(gym, first), resident, "10:00", "12:00")
    if accepted:
        book(getattr(gym, second), resident, "11:00", "13:00")
    else:
        with pytest.raises(services.SlotTaken):
            book(getattr(gym, second), resident, "11:00", "13:00")


def test_the_database_itself_refuses_an_overlapping_occupation(gym, resident):
    """Without the service: a raw insert of an overlapping occupation fails."""
    booking = book(gym.hall, resident, "10:00", "12:00")
    starts_at, ends_at = slot("11:00", "11:30")
    with pytest.raises(IntegrityError, match="facilities_no_overlap"), transaction.atomic():
        Occupation.objects.create(
            authority=booking.authority,
            leaf=gym.half_a,
            booking=booking,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    # and an update that moves an occupation onto another one
    other = book(gym.half_a, resident, "14:00", "15:00")
    occupation = other.occupations.get()
    occupation.starts_at, occupation.ends_at = slot("11:00", "15:00")
    with pytest.raises(IntegrityError, match="facilities_no_overlap"), transaction.atomic():
        occupation.save()


def test_a_cancelled_booking_frees_the_slot(gym, resident):
    booking = book(gym.hall, resident, "10:00", "12:00")
    services.booking_cancel(booking=booking, by=resident, as_agent=True)
    assert book(gym.half_a, resident, "10:00", "12:00").status == Booking.Status.CONFIRMED


def test_the_buffer_keeps_time_after_a_booking(gym, resident):
    gym.room_facility.rules.filter(audience=Audience.RESIDENT).update(buffer_minutes=30)
    book(gym.room, resident, "10:00", "12:00")
    with pytest.raises(services.SlotTaken):
        book(gym.room, resident, "12:00", "13:00")
    assert book(gym.room, resident, "12:30", "13:30").status == Booking.Status.CONFIRMED
