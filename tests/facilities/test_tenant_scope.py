"""Every query the facilities pages make on a facilities table is scoped: its WHERE clause
filters on `authority_id`, or on the primary key of a row already fetched through an
access selector. (The rule of `tests/frontoffice/conftest.py`, over this domain's tables.)"""

import datetime

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.utils import timezone

from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.feeds import feed_token
from guichet.facilities.models import Audience, SeasonRound
from tests import factories
from tests.facilities.conftest import association_of
from tests.frontoffice.conftest import STATEMENT

pytestmark = pytest.mark.django_db

TABLES = {
    "facilities_facility",
    "facilities_unit",
    "facilities_openinghours",
    "facilities_closure",
    "facilities_audiencerule",
    "facilities_price",
    "facilities_seasonround",
    "facilities_seasonapplication",
    "facilities_series",
    "facilities_booking",
    "facilities_occupation",
    "facilities_equipment",
    "facilities_loan",
    "facilities_loanline",
    "facilities_equipmenthold",
}


def violation(sql: str) -> str | None:
    match = STATEMENT.match(sql)
    if match is None or match["table"] not in TABLES:
        return None
    table = match["table"]
    _, _, where = sql.partition(" WHERE ")
    if where and ("authority_id" in where or f'"{table}"."id"' in where):
        return None
    return f"unscoped query on {table}: {sql}"


@pytest.fixture
def guard():
    found: list[str] = []
    in_request = [False]

    def started(**kwargs):
        in_request[0] = True

    def finished(**kwargs):
        in_request[0] = False

    def wrapper(execute, sql, params, many, context):
        if in_request[0] and (problem := violation(sql)):
            found.append(problem)
        return execute(sql, params, many, context)

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        with connection.execute_wrapper(wrapper):
            yield found
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)


def test_the_facilities_pages_scope_every_query(city_client, gym, resident, city, guard):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 14)
    booking = services.booking_request(
        unit=gym.half_a,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(day, datetime.time(10)),
        ends_at=at(day, datetime.time(11)),
        purpose="Essai",
    )
    season = SeasonRound.objects.create(
        authority=city,
        name="Saison",
        season_starts=datetime.date(2027, 9, 1),
        season_ends=datetime.date(2027, 10, 31),
        applications_close=datetime.date(2027, 6, 30),
        status=SeasonRound.Status.OPEN,
    )
    application = services.season_apply(
        season=season,
        unit=gym.hall,
        holder=resident,
        organisation=association_of(resident, "Club"),
        weekday=3,
        starts=datetime.time(18),
        ends=datetime.time(20),
        activity="Sport",
    )
    services.season_round_advance(season=season)
    agent = factories.agent(city, "gestion@example.fr", services=("equipements",))
    series = services.season_approve(
        application=application, dates=[datetime.date(2027, 9, 2)], agent=agent
    )
    person_feed = feed_token(kind="person", object_id=resident.pk, authority_id=city.pk)
    facility_feed = feed_token(kind="facility", object_id=gym.facility.pk, authority_id=city.pk)

    city_client.force_login(resident)
    for url in [
        "/equipements/",
        f"/equipements/{gym.facility.slug}/?semaine={day.isoformat()}",
        f"/equipements/{gym.facility.slug}/reserver/",
        "/mes-reservations/",
        f"/reservations/{booking.pk}/",
        f"/reservations/{booking.pk}/lettre.pdf",
        "/creneaux-saison/",
        f"/creneaux-saison/demandes/{application.pk}/",
        f"/agenda/personne/{person_feed}.ics",
        f"/agenda/equipement/{facility_feed}.ics",
    ]:
        assert city_client.get(url).status_code == 200, url
    city_client.force_login(agent)
    for url in [
        "/agents/equipements/",
        f"/agents/equipements/{gym.facility.pk}/",
        f"/agents/equipements/{gym.facility.pk}/registre/",
        f"/agents/equipements/{gym.facility.pk}/occupation/",
        f"/agents/equipements/{gym.facility.pk}/reserver/",
        f"/agents/equipements/reservations/{booking.pk}/",
        "/agents/equipements/saisons/",
        f"/agents/equipements/saisons/{season.pk}/",
        f"/agents/equipements/saisons/{season.pk}/planning.xlsx",
        f"/agents/equipements/candidatures/{application.pk}/",
    ]:
        assert city_client.get(url).status_code == 200, url
    assert series.pk

    assert guard == []
