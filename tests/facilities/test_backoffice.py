"""Agents' pages: bookings to decide, closures listing the bookings they affect, season
allocation, internal bookings; nothing reachable outside the agent's services or authority."""

import datetime

import pytest
from django.utils import timezone

from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.models import Audience, Booking, SeasonRound
from guichet.notifications.models import OutgoingEmail
from tests import factories
from tests.facilities.conftest import association_of, make_gym

pytestmark = pytest.mark.django_db


def _day(weeks: int = 2) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture
def manager(city):
    return factories.agent(city, "gestion@example.fr", services=("equipements",))


@pytest.fixture
def agent_client(city_client, manager):
    city_client.force_login(manager)
    return city_client


def _association_booking(gym, holder, hour=18):
    day = _day()
    return services.booking_request(
        unit=gym.half_a,
        holder=holder,
        audience=Audience.ASSOCIATION,
        organisation=association_of(holder, "Judo Club"),
        starts_at=at(day, datetime.time(hour)),
        ends_at=at(day, datetime.time(hour + 2)),
        purpose="Stage",
    )


def test_an_association_booking_waits_for_the_agent_who_confirms_it(agent_client, gym, resident):
    booking = _association_booking(gym, resident)
    assert booking.status == Booking.Status.PENDING

    home = agent_client.get("/agents/equipements/").content.decode()
    assert booking.reference in home
    assert "Judo Club" in home
    agent_client.post(
        f"/agents/equipements/reservations/{booking.pk}/decision/", {"action": "approve"}
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    subjects = list(
        OutgoingEmail.objects.filter(to=resident.email).values_list("subject", flat=True)
    )
    assert subjects == [
        f"[Ville A] Réservation {booking.reference} confirmée",
        f"[Ville A] Demande de réservation {booking.reference} reçue",
    ]


def test_a_refused_booking_frees_its_slot(agent_client, gym, resident):
    booking = _association_booking(gym, resident)
    agent_client.post(
        f"/agents/equipements/reservations/{booking.pk}/decision/",
        {"action": "refuse", "note": "Gymnase réservé aux scolaires"},
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REFUSED
    assert booking.decision_note == "Gymnase réservé aux scolaires"
    assert not booking.occupations.exists()


def test_a_closure_lists_the_bookings_it_affects_and_warns_their_holders(
    agent_client, gym, resident
):
    booking = _association_booking(gym, resident)
    day = _day()
    page = agent_client.post(
        f"/agents/equipements/{gym.facility.pk}/",
        {
            "closure-kind": "maintenance",
            "closure-starts_on": day.isoformat(),
            "closure-ends_on": day.isoformat(),
            "closure-reason": "Réfection du parquet",
        },
    ).content.decode()

    assert "Réservations concernées par la fermeture" in page
    assert booking.reference in page
    warned = OutgoingEmail.objects.filter(to=resident.email, subject__contains="fermeture").get()
    assert "Réfection du parquet" in warned.body
    # and the facility is now closed that day for new requests
    with pytest.raises(services.DomainError, match="travaux ou maintenance"):
        _association_booking(gym, resident, hour=10)


def test_an_agent_books_for_a_service(agent_client, gym, city):
    day = _day()
    service = factories.service(city, "equipements")
    response = agent_client.post(
        f"/agents/equipements/{gym.facility.pk}/reserver/",
        {
            "unit": gym.hall.pk,
            "service": service.pk,
            "day": day.isoformat(),
            "starts": "08:00",
            "ends": "12:00",
            "purpose": "Journée sportive des écoles",
            "attendance": "120",
            "request_key": "k1",
        },
    )
    booking = Booking.objects.get()
    assert response.url == f"/agents/equipements/reservations/{booking.pk}/"
    assert (booking.audience, booking.service, booking.status) == (
        Audience.INTERNAL,
        service,
        Booking.Status.CONFIRMED,
    )
    assert booking.occupations.count() == 2


def test_the_season_pages_list_applications_and_conflicts(agent_client, gym, city):
    season = SeasonRound.objects.create(
        authority=city,
        name="Saison",
        season_starts=datetime.date(2027, 9, 1),
        season_ends=datetime.date(2027, 11, 30),
        applications_close=datetime.date(2027, 6, 30),
        status=SeasonRound.Status.OPEN,
    )
    club = factories.person(city, "club@example.fr")
    application = services.season_apply(
        season=season,
        unit=gym.hall,
        holder=club,
        organisation=association_of(club, "Volley Démo"),
        weekday=3,
        starts=datetime.time(18),
        ends=datetime.time(20),
        activity="Volley",
    )
    agent_client.post(f"/agents/equipements/saisons/{season.pk}/etape-suivante/")
    round_page = agent_client.get(f"/agents/equipements/saisons/{season.pk}/").content.decode()
    page = agent_client.get(f"/agents/equipements/candidatures/{application.pk}/").content.decode()

    assert "Volley Démo" in round_page
    assert "1 date en conflit" in page
    assert "jeudi 11 novembre 2027" in page
    assert page.count('name="dates"') == 12  # 13 Thursdays, the 11th of November excluded

    agent_client.post(
        f"/agents/equipements/candidatures/{application.pk}/",
        {"action": "approve", "dates": ["2027-09-02", "2027-09-09"]},
    )
    application.refresh_from_db()
    assert application.series.bookings.count() == 2
    series = application.series
    granted = agent_client.get(f"/agents/equipements/candidatures/{application.pk}/")
    assert "Changer l'horaire de toute la série (dates à venir)" in granted.content.decode()
    one = series.bookings.first()
    assert (
        "Déplacer la réservation"
        in agent_client.get(f"/agents/equipements/reservations/{one.pk}/").content.decode()
    )
    agent_client.post(f"/agents/equipements/series/{series.pk}/annuler/")
    assert not series.bookings.filter(status__in=Booking.HOLDING).exists()


def test_agents_reach_only_their_services_and_authority(
    city_client, gym, city, other_city, resident
):
    booking = _association_booking(gym, resident)
    other = make_gym(other_city, slug="gymnase-b")
    other_agent = factories.agent(other_city, "agent@example.fr", services=("equipements",))
    stranger = factories.person(other_city, "x@example.fr")
    theirs = services.booking_request(
        unit=other.room,
        holder=stranger,
        audience=Audience.RESIDENT,
        starts_at=at(_day(), datetime.time(10)),
        ends_at=at(_day(), datetime.time(11)),
        purpose="Réunion",
    )
    civil_status_agent = factories.agent(city, "ec@example.fr", services=("etat-civil",))
    city_client.force_login(civil_status_agent)
    for url in (
        f"/agents/equipements/{gym.facility.pk}/",
        f"/agents/equipements/reservations/{booking.pk}/",
        f"/agents/equipements/{gym.facility.pk}/reserver/",
    ):
        assert city_client.get(url).status_code == 404
    assert (
        city_client.post(
            f"/agents/equipements/reservations/{booking.pk}/decision/", {"action": "approve"}
        ).status_code
        == 404
    )
    city_client.force_login(factories.agent(city, "eq@example.fr", services=("equipements",)))
    for url in (
        f"/agents/equipements/{other.facility.pk}/",
        f"/agents/equipements/reservations/{theirs.pk}/",
    ):
        assert city_client.get(url).status_code == 404
    assert other_agent.pk  # the other city's agent exists, and its facility is not reachable
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING


def test_occupancy_per_month_counts_booked_over_open_hours(agent_client, gym, city):
    # March 2027: 31 days open 08:00-22:00 but Easter Monday (29th), 2 half courts: 840 hours.
    service = factories.service(city, "equipements")
    for day, unit, hours in [(2, gym.hall, (8, 12)), (3, gym.half_a, (18, 20))]:
        services.booking_request(
            unit=unit,
            holder=None,
            audience=Audience.INTERNAL,
            service=service,
            by_agent=factories.person(city, f"a{day}@example.fr"),
            starts_at=at(datetime.date(2027, 3, day), datetime.time(hours[0])),
            ends_at=at(datetime.date(2027, 3, day), datetime.time(hours[1])),
            purpose="Essai",
        )
    page = agent_client.get(
        f"/agents/equipements/{gym.facility.pk}/occupation/?annee=2027"
    ).content.decode()

    # 4 h for 2 half courts + 2 h for 1 = 10 booked hours; 10 / 840 = 1.2 %
    assert (
        '<tr><th scope="row">mars 2027</th><td>840,00</td><td>10,00</td><td>1,2 %</td></tr>' in page
    )
    # April: 30 days, none closed; May: four public holidays (1st, 6th, 8th, 17th): 27 days
    assert (
        '<tr><th scope="row">avril 2027</th><td>840,00</td><td>0,00</td><td>0,0 %</td></tr>' in page
    )
    assert '<svg role="img"' in page
