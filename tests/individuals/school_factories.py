"""Factories of the school domain: a city with a régie, an activity and its price grid."""

import datetime
from decimal import Decimal

from guichet.individuals import school
from guichet.individuals.models import Activity, Child, Household, PriceBracket, Session
from guichet.payments.models import Regie


def regie(authority, slug="enfance") -> Regie:
    made, _ = Regie.objects.get_or_create(
        authority=authority,
        slug=slug,
        defaults={
            "name": "Régie enfance",
            "merchant_id": "test-dummy",  # eopayment's dummy backend (tests/settings.py)
        },
    )
    return made


def activity_with_grid(authority, kind="canteen", name="Restaurant scolaire") -> Activity:
    activity = Activity.objects.create(
        authority=authority, kind=kind, name=name, regie=regie(authority)
    )
    for ceiling, price in [("500", "1.05"), ("1000", "2.35"), (None, "4.125")]:
        PriceBracket.objects.create(
            authority=authority,
            activity=activity,
            quotient_max=Decimal(ceiling) if ceiling else None,
            unit_price=Decimal(price),
        )
    return activity


def household_with_child(user, quotient=None) -> tuple[Household, Child]:
    household = school.household_for(user=user)
    if quotient is not None:
        school.quotient_set(household=household, quotient=Decimal(quotient), source="agent")
    child = school.child_add(
        household=household,
        first_name="Léa",
        last_name=user.last_name,
        birth_date=datetime.date(2018, 5, 3),
        school="École Jules Ferry",
        school_class="CE1",
    )
    return household, child


def leisure_session(authority, capacity=2) -> Session:
    activity = activity_with_grid(authority, kind="leisure", name="Centre de loisirs")
    return Session.objects.create(
        authority=authority,
        activity=activity,
        name="Vacances de printemps",
        starts_on=datetime.date(2027, 4, 12),
        ends_on=datetime.date(2027, 4, 23),
        capacity=capacity,
    )
