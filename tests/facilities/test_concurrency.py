"""Many people racing for the same slot: exactly one booking, the others told it is taken.

Real threads, each with its own database connection and transaction, on the database under
test (PostgreSQL's exclusion constraint; SQLite's triggers behind its single writer)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from guichet.facilities import services
from guichet.facilities.models import Audience, Booking, Occupation
from tests import factories
from tests.facilities.conftest import NOW, make_gym, slot

ATTEMPTS = 100
# The server's connections are shared with other test runs: the attempts go through a pool
# of this many connections, the first wave released together by a barrier.
WORKERS = 20 if connection.vendor == "postgresql" else 8


@pytest.mark.django_db(transaction=True)
def test_one_hundred_attempts_on_the_same_slot_make_exactly_one_booking():
    authority = factories.authority("ville-course")
    gym = make_gym(authority)
    people = [factories.person(authority, f"p{n}@example.fr") for n in range(ATTEMPTS)]
    # Half the racers want the whole hall, half one of the half courts: nesting races too.
    units = [gym.hall if n % 2 else gym.half_a for n in range(ATTEMPTS)]
    starts_at, ends_at = slot("18:00", "20:00")
    barrier = threading.Barrier(WORKERS)

    def attempt(n: int) -> str:
        if n < WORKERS:
            barrier.wait()
        try:
            services.booking_request(
                unit=units[n],
                holder=people[n],
                audience=Audience.RESIDENT,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose=f"Essai {n}",
                now=NOW,
            )
        except services.SlotTaken as error:
            return error.message
        finally:
            connections.close_all()
        return "booked"

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = list(pool.map(attempt, range(ATTEMPTS)))

    assert answers.count("booked") == 1
    assert (
        answers.count(
            "Ce créneau est déjà réservé. Choisissez un autre horaire ou un autre espace."
        )
        == ATTEMPTS - 1
    )
    assert Booking.objects.filter(authority=authority).count() == 1
    booking = Booking.objects.get(authority=authority)
    expected_leaves = 2 if booking.unit == gym.hall else 1
    assert Occupation.objects.filter(authority=authority).count() == expected_leaves


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_makes_one_booking():
    authority = factories.authority("ville-double")
    gym = make_gym(authority)
    person = factories.person(authority, "double@example.fr")
    starts_at, ends_at = slot("10:00", "11:00")
    barrier = threading.Barrier(4)

    def attempt(_n: int) -> int:
        barrier.wait()
        try:
            return services.booking_request(
                unit=gym.room,
                holder=person,
                audience=Audience.RESIDENT,
                starts_at=starts_at,
                ends_at=ends_at,
                purpose="Double clic",
                request_key="meme-formulaire",
                now=NOW,
            ).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(attempt, range(4)))

    assert len(ids) == 1
    assert Booking.objects.filter(authority=authority).count() == 1
