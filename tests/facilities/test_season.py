"""Season rounds: one request for a whole season, conflicts listed, all or some dates granted,
another slot proposed, a series cancelled as a whole or one date at a time, planning exported."""

import datetime
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from guichet.core.errors import DomainError
from guichet.facilities import selectors, services
from guichet.facilities.calendar import at
from guichet.facilities.models import (
    Audience,
    Booking,
    Closure,
    SeasonApplication,
    SeasonRound,
)
from guichet.notifications.models import OutgoingEmail
from tests import factories
from tests.facilities.conftest import association_of

THURSDAY = 3
# Thursdays from 2 September to 30 December 2027: 18 dates.
SEASON_DAYS = 18


@pytest.fixture
def season(city):
    return SeasonRound.objects.create(
        authority=city,
        name="Saison 2027-2028",
        season_starts=datetime.date(2027, 9, 1),
        season_ends=datetime.date(2027, 12, 31),
        applications_close=datetime.date(2027, 6, 30),
        status=SeasonRound.Status.OPEN,
    )


@pytest.fixture
def club(city):
    return factories.person(city, "club@example.fr", first_name="Léa", last_name="Roux")


@pytest.fixture
def application(season, gym, club):
    return services.season_apply(
        season=season,
        unit=gym.half_a,
        holder=club,
        organisation=association_of(club),
        weekday=THURSDAY,
        starts=datetime.time(18),
        ends=datetime.time(20),
        activity="Entraînement des jeunes",
    )


def _conflicts_setup(city, gym, resident):
    Closure.objects.create(
        authority=city,
        facility=gym.facility,
        starts_on=datetime.date(2027, 10, 21),
        ends_on=datetime.date(2027, 10, 22),
        reason="Vidange",
    )
    services.booking_request(
        unit=gym.hall,
        holder=resident,
        audience=Audience.INTERNAL,
        service=factories.service(city, "equipements"),
        by_agent=resident,
        starts_at=at(datetime.date(2027, 12, 9), datetime.time(19)),
        ends_at=at(datetime.date(2027, 12, 9), datetime.time(21)),
        purpose="Gala",
    )


def test_a_season_request_with_conflicts_lists_exactly_those_dates(
    city, gym, resident, application
):
    _conflicts_setup(city, gym, resident)

    occurrences = selectors.season_occurrences(application=application)

    assert len(occurrences) == SEASON_DAYS
    assert occurrences[0].day == datetime.date(2027, 9, 2)
    assert [(o.day, o.conflicts) for o in occurrences if o.conflicts] == [
        (
            datetime.date(2027, 10, 21),
            ["L'équipement est fermé le 21/10/2027 : fermeture : Vidange."],
        ),
        (
            datetime.date(2027, 11, 11),
            ["L'équipement est fermé le 11/11/2027 : jour férié (Armistice)."],
        ),
        (datetime.date(2027, 12, 9), ["Déjà réservé (equipements)."]),
    ]


def test_the_agent_grants_some_dates_as_one_series(city, gym, resident, application, season):
    _conflicts_setup(city, gym, resident)
    agent = factories.agent(city, services=("equipements",))
    with pytest.raises(DomainError, match="pendant l'attribution"):
        services.season_approve(application=application, dates=[], agent=agent)
    services.season_round_advance(season=season)  # open → allocation
    free = [o.day for o in selectors.season_occurrences(application=application) if not o.conflicts]

    with pytest.raises(DomainError, match="11/11/2027"):
        services.season_approve(
            application=application, dates=[datetime.date(2027, 11, 11)], agent=agent
        )
    series = services.season_approve(application=application, dates=free[:10], agent=agent)

    application.refresh_from_db()
    assert application.status == SeasonApplication.Status.PARTIAL
    assert series.bookings.count() == 10
    assert set(series.bookings.values_list("status", flat=True)) == {Booking.Status.CONFIRMED}
    assert series.bookings.first().organisation.name == "Basket Club Démo"
    # the granted dates now hold the slot: a resident cannot take the hall then
    with pytest.raises(services.SlotTaken):
        services.booking_request(
            unit=gym.hall,
            holder=resident,
            audience=Audience.INTERNAL,
            service=factories.service(city, "equipements"),
            by_agent=agent,
            starts_at=at(free[0], datetime.time(19)),
            ends_at=at(free[0], datetime.time(21)),
            purpose="Réunion",
        )

    # one date cancelled, then the whole series (what is still to come)
    one = series.bookings.order_by("starts_at").first()
    services.booking_cancel(booking=one, by=agent, as_agent=True)
    assert services.series_cancel(series=series, by=agent) == 9
    assert not series.bookings.filter(status__in=Booking.HOLDING).exists()


def test_the_agent_proposes_another_slot_which_the_association_accepts(
    city, gym, application, season
):
    services.season_round_advance(season=season)
    services.season_propose(
        application=application,
        unit=gym.half_b,
        weekday=1,
        starts=datetime.time(19),
        ends=datetime.time(21),
        note="Le jeudi est complet ; le mardi soir est libre.",
    )
    application.refresh_from_db()
    assert application.status == SeasonApplication.Status.PROPOSED
    services.season_proposal_accept(application=application)
    application.refresh_from_db()
    assert (application.unit, application.weekday, application.starts) == (
        gym.half_b,
        1,
        datetime.time(19),
    )
    assert application.status == SeasonApplication.Status.SUBMITTED
    series = services.season_approve(
        application=application,
        dates=[o.day for o in selectors.season_occurrences(application=application)],
        agent=factories.agent(city, services=("equipements",)),
    )
    application.refresh_from_db()
    assert application.status == SeasonApplication.Status.APPROVED
    assert series.bookings.count() == 17  # Tuesdays from 7 September to 28 December


def test_the_round_moves_step_by_step_and_sends_the_results(city, application, season):
    services.season_round_advance(season=season)
    season = services.season_round_advance(season=season)
    assert season.status == SeasonRound.Status.PUBLISHED
    email = OutgoingEmail.objects.get(authority=city)
    assert email.to == "club@example.fr"
    assert email.subject == "[Ville A] Résultat de votre demande de créneau"
    assert "Entraînement des jeunes" in email.body
    with pytest.raises(DomainError):
        services.season_round_advance(season=season)


def test_the_planning_exports_as_xlsx_and_pdf(city, gym, application, season, client):
    services.season_round_advance(season=season)
    agent = factories.agent(city, services=("equipements",))
    services.season_approve(
        application=application,
        dates=[datetime.date(2027, 9, 2), datetime.date(2027, 9, 9)],
        agent=agent,
    )
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(agent)

    xlsx = client.get(
        f"/agents/equipements/saisons/{season.pk}/planning.xlsx?equipement={gym.facility.pk}"
    )
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Équipement", "Espace", "Jour", "Début", "Fin", "Association", "Activité", "Dates"],
        [
            "Gymnase Jean-Moulin",
            "Demi-terrain A",
            "jeudi",
            "18:00",
            "20:00",
            "Basket Club Démo",
            "Entraînement des jeunes",
            2,
        ],
    ]
    pdf = client.get(f"/agents/equipements/saisons/{season.pk}/planning.pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Planning de saison — Saison 2027-2028" in text
    assert "Basket Club Démo" in text


def test_a_series_changes_hours_as_a_whole_or_one_date_at_a_time(
    city, gym, resident, application, season
):
    services.season_round_advance(season=season)
    agent = factories.agent(city, services=("equipements",))
    days = [datetime.date(2027, 9, 2), datetime.date(2027, 9, 9), datetime.date(2027, 9, 16)]
    series = services.season_approve(application=application, dates=days, agent=agent)
    # someone holds the half court on the 16th from 20:00
    services.booking_request(
        unit=gym.half_a,
        holder=resident,
        audience=Audience.INTERNAL,
        service=factories.service(city, "equipements"),
        by_agent=agent,
        starts_at=at(days[2], datetime.time(20)),
        ends_at=at(days[2], datetime.time(21)),
        purpose="Réunion",
    )

    with pytest.raises(DomainError, match="Le 16/09/2027 : Ce créneau est déjà réservé"):
        services.series_move(series=series, starts=datetime.time(19), ends=datetime.time(21))
    hours = {
        (b.starts_at, b.ends_at) for b in series.bookings.all()
    }  # nothing moved: all or nothing
    assert hours == {(at(d, datetime.time(18)), at(d, datetime.time(20))) for d in days}

    assert (
        services.series_move(series=series, starts=datetime.time(17), ends=datetime.time(19)) == 3
    )
    application.refresh_from_db()
    assert (application.starts, application.ends) == (datetime.time(17), datetime.time(19))

    one = series.bookings.get(starts_at=at(days[0], datetime.time(17)))
    services.booking_move(
        booking=one,
        starts_at=at(datetime.date(2027, 9, 3), datetime.time(10)),
        ends_at=at(datetime.date(2027, 9, 3), datetime.time(12)),
    )
    one.refresh_from_db()
    assert one.occupations.get().starts_at == at(datetime.date(2027, 9, 3), datetime.time(10))
