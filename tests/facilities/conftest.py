"""A gym with a whole hall split into two half courts, and a meeting room."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from guichet.accounts import services as accounts
from guichet.accounts.models import Organisation, User
from guichet.facilities.calendar import at
from guichet.facilities.models import (
    Audience,
    AudienceRule,
    Facility,
    OpeningHours,
    Price,
    Unit,
)
from guichet.payments.models import Regie
from guichet.tenants.models import Authority
from tests import factories

# A Tuesday in term time, without public holiday; "now" is the day before.
DAY = datetime.date(2027, 3, 2)
NOW = at(datetime.date(2027, 3, 1), datetime.time(9))


@dataclass
class Gym:
    facility: Facility
    hall: Unit
    half_a: Unit
    half_b: Unit
    room_facility: Facility
    room: Unit


def make_gym(authority: Authority, *, slug: str = "gymnase-jean-moulin") -> Gym:
    service = factories.service(authority, "equipements")
    facility = Facility.objects.create(
        authority=authority,
        service=service,
        slug=slug,
        name="Gymnase Jean-Moulin",
        kind=Facility.Kind.GYM,
        address="4 rue du Stade",
        capacity=300,
        accessibility="Accès de plain-pied, vestiaires adaptés.",
        step_free=True,
    )
    hall = Unit.objects.create(authority=authority, facility=facility, name="Grande salle")
    half_a = Unit.objects.create(
        authority=authority, facility=facility, parent=hall, name="Demi-terrain A", position=1
    )
    half_b = Unit.objects.create(
        authority=authority, facility=facility, parent=hall, name="Demi-terrain B", position=2
    )
    room_facility = Facility.objects.create(
        authority=authority,
        service=service,
        slug=f"{slug}-salle",
        name="Maison des associations",
        kind=Facility.Kind.MEETING_ROOM,
        address="1 place de la Mairie",
        capacity=40,
    )
    room = Unit.objects.create(
        authority=authority, facility=room_facility, name="Salle Lumière", capacity=40
    )
    for place in (facility, room_facility):
        for weekday in range(7):
            OpeningHours.objects.create(
                authority=authority,
                facility=place,
                weekday=weekday,
                opens=datetime.time(8),
                closes=datetime.time(22),
            )
        for audience, approval in [
            (Audience.RESIDENT, False),
            (Audience.ASSOCIATION, True),
            (Audience.INTERNAL, False),
        ]:
            AudienceRule.objects.create(
                authority=authority,
                facility=place,
                audience=audience,
                needs_approval=approval,
                min_notice_hours=12,
                max_days_ahead=400,
                max_duration_minutes=240,
                cancel_notice_hours=48,
            )
    Price.objects.create(
        authority=authority, unit=room, audience=Audience.RESIDENT, hourly=Decimal("12.50")
    )
    Price.objects.create(
        authority=authority, unit=hall, audience=Audience.RESIDENT, hourly=Decimal("30.00")
    )
    return Gym(facility, hall, half_a, half_b, room_facility, room)


@pytest.fixture
def gym(city):
    return make_gym(city)


def slot(start: str, end: str, day: datetime.date = DAY) -> tuple:
    def parse(text: str) -> datetime.time:
        return datetime.time(*map(int, text.split(":")))

    return at(day, parse(start)), at(day, parse(end))


SIRETS = ("73282932000074", "78945612600018", "35600000000048")


def association_of(
    person: User, name: str = "Basket Club Démo", *, siret: str = SIRETS[0]
) -> Organisation:
    """An organisation registered by `person`, who becomes its first representative."""
    return accounts.organisation_register(
        authority=person.authority,
        by=person,
        name=name,
        siret=siret,
        rna="W451234567",
        address="1 place de la Mairie, 45000 Ville A",
        purpose="Sport pour tous.",
        role="president",
    )


def regie_of(authority: Authority) -> Regie:
    """The régie collecting the facilities' bookings, on eopayment's dummy backend
    (tests/settings.py) and the local dummy payment service."""
    made, _created = Regie.objects.get_or_create(
        authority=authority,
        slug="equipements",
        defaults={
            "name": "Régie des équipements",
            "merchant_id": "test-dummy",
        },
    )
    return made
