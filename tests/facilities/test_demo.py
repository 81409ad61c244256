from django.core.management import call_command

from guichet.facilities.models import (
    Booking,
    Closure,
    Facility,
    SeasonApplication,
    SeasonRound,
    Series,
)
from guichet.tenants.models import Authority

MODELS = (Facility, Booking, Closure, SeasonRound, SeasonApplication, Series)


def test_the_demo_has_facilities_a_season_planning_bookings_and_a_closure(db):
    call_command("seed_demo", verbosity=0)
    first = {model.__name__: model.objects.count() for model in MODELS}
    call_command("seed_demo", verbosity=0)

    assert {model.__name__: model.objects.count() for model in MODELS} == first
    for authority in Authority.objects.all():
        bookings = Booking.objects.filter(authority=authority)
        assert Facility.objects.filter(authority=authority).count() == 5
        assert set(bookings.values_list("audience", flat=True)) == {
            "resident",
            "association",
            "internal",
        }
        assert Series.objects.filter(authority=authority).count() == 4
        assert Closure.objects.get(authority=authority).kind == "maintenance"
        assert SeasonRound.objects.filter(authority=authority, status="open").count() == 1
