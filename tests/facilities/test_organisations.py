"""Bookings and season applications name their organisation: only its current
representatives book, see and cancel them; an older row recorded with a name is linked by
the data migration when the name matches an organisation."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from guichet.accounts import services as accounts
from guichet.accounts.models import Representative
from guichet.core.errors import DomainError
from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.models import Audience, Booking, SeasonApplication, SeasonRound
from tests import factories
from tests.facilities.conftest import SIRETS, association_of, make_gym

T = datetime.time


def _day(weeks: int = 3) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks)


def _club_booking(gym, holder, organisation):
    day = _day()
    return services.booking_request(
        unit=gym.half_a,
        holder=holder,
        audience=Audience.ASSOCIATION,
        organisation=organisation,
        starts_at=at(day, T(18)),
        ends_at=at(day, T(20)),
        purpose="Entraînement",
    )


def _join(organisation, inviter, person):
    invitation = accounts.representative_invite(
        organisation=organisation,
        by=inviter,
        email=person.email,
        role="member",
        accept_url="/invitation/{token}/",
    )
    return accounts.invitation_accept(
        authority=organisation.authority, token=invitation.invitation_token, user=person
    )


@pytest.mark.django_db
def test_booking__only_a_representative_books_for_the_organisation(gym, city, resident):
    president = factories.person(city, "president@example.fr")
    club = association_of(president)

    with pytest.raises(DomainError, match="Vous ne représentez pas cette association"):
        _club_booking(gym, resident, club)
    with pytest.raises(DomainError, match="Choisissez l'association"):
        _club_booking(gym, resident, None)

    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_booking_form__the_organisation_is_one_the_person_represents(city_client, gym, city):
    president = factories.person(city, "president@example.fr")
    club = association_of(president)
    intruder = factories.person(city, "intrus@example.fr")
    association_of(intruder, "Autre Club", siret=SIRETS[1])
    city_client.force_login(intruder)
    day = _day()

    page = city_client.post(
        f"/equipements/{gym.facility.slug}/reserver/",
        {
            "unit": gym.half_a.pk,
            "day": day.isoformat(),
            "starts": "18:00",
            "ends": "20:00",
            "audience": Audience.ASSOCIATION,
            "organisation": club.pk,
            "purpose": "Entraînement",
            "attendance": "10",
            "request_key": "k1",
        },
    ).content.decode()

    assert "Sélectionnez un choix valide" in page
    assert 'value="Entraînement"' in page
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_booking__seen_and_cancelled_by_the_representatives_of_its_organisation_only(
    city_client, gym, city
):
    president = factories.person(city, "president@example.fr")
    treasurer = factories.person(city, "tresoriere@example.fr")
    club = association_of(president)
    _join(club, president, treasurer)
    rival = factories.person(city, "rival@example.fr")
    association_of(rival, "Club Rival", siret=SIRETS[1])
    booking = _club_booking(gym, president, club)

    city_client.force_login(rival)
    rival_codes = [
        city_client.get(f"/reservations/{booking.pk}/").status_code,
        city_client.post(f"/reservations/{booking.pk}/annuler/").status_code,
        city_client.get(f"/reservations/{booking.pk}/lettre.pdf").status_code,
    ]
    rival_list = city_client.get("/mes-reservations/").content.decode()
    booking.refresh_from_db()
    assert rival_codes == [404, 404, 404]
    assert booking.reference not in rival_list
    assert booking.status == Booking.Status.PENDING

    city_client.force_login(treasurer)
    page = city_client.get(f"/reservations/{booking.pk}/").content.decode()
    assert "<dt>Association</dt><dd>Basket Club Démo</dd>" in page
    assert booking.reference in city_client.get("/mes-reservations/").content.decode()
    city_client.post(f"/reservations/{booking.pk}/annuler/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


@pytest.mark.django_db
def test_booking__a_representative_who_left_no_longer_sees_it(city_client, gym, city):
    president = factories.person(city, "president@example.fr")
    treasurer = factories.person(city, "tresoriere@example.fr")
    club = association_of(president)
    _join(club, president, treasurer)
    booking = _club_booking(gym, president, club)
    accounts.representative_leave(
        representative=Representative.objects.get(organisation=club, user=president),
        by=president,
    )
    city_client.force_login(president)

    assert city_client.get(f"/reservations/{booking.pk}/").status_code == 404
    assert city_client.post(f"/reservations/{booking.pk}/annuler/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING


@pytest.mark.django_db
def test_season_application__seen_by_its_organisation_only(city_client, gym, city):
    president = factories.person(city, "president@example.fr")
    club = association_of(president)
    rival = factories.person(city, "rival@example.fr")
    association_of(rival, "Club Rival", siret=SIRETS[1])
    season = SeasonRound.objects.create(
        authority=city,
        name="Saison",
        season_starts=datetime.date(2027, 9, 1),
        season_ends=datetime.date(2027, 10, 31),
        applications_close=datetime.date(2027, 6, 30),
        status=SeasonRound.Status.OPEN,
    )
    with pytest.raises(DomainError, match="Vous ne représentez pas cette association"):
        services.season_apply(
            season=season,
            unit=gym.hall,
            holder=rival,
            organisation=club,
            weekday=3,
            starts=T(18),
            ends=T(20),
            activity="Volley",
        )
    application = services.season_apply(
        season=season,
        unit=gym.hall,
        holder=president,
        organisation=club,
        weekday=3,
        starts=T(18),
        ends=T(20),
        activity="Volley",
    )
    city_client.force_login(rival)

    assert city_client.get(f"/creneaux-saison/demandes/{application.pk}/").status_code == 404
    assert (
        city_client.post(f"/creneaux-saison/demandes/{application.pk}/accepter/").status_code == 404
    )
    assert SeasonApplication.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_migration__rows_recorded_with_a_matching_name_are_linked_to_the_organisation():
    executor = MigrationExecutor(connection)
    before = [("facilities", "0003_problem_reports_payments_organisation_links")]
    after = [("facilities", "0005_remove_organisation_names")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    authority = factories.authority("ville-a")
    president = factories.person(authority, "president@example.fr")
    club = association_of(president, "Basket Club Démo")
    gym = make_gym(authority)
    OldBooking = old.get_model("facilities", "Booking")
    common = {
        "authority_id": authority.pk,
        "unit_id": gym.half_a.pk,
        "holder_id": president.pk,
        "audience": "association",
        "status": "confirmed",
    }
    day = _day()
    linked = OldBooking.objects.create(
        organisation_name=" basket club démo ",
        starts_at=at(day, T(10)),
        ends_at=at(day, T(11)),
        purpose="Match",
        reference="R-1",
        **common,
    )
    unknown = OldBooking.objects.create(
        organisation_name="Club inconnu",
        starts_at=at(day, T(12)),
        ends_at=at(day, T(13)),
        purpose="Match",
        reference="R-2",
        **common,
    )

    executor.loader.build_graph()
    executor.migrate(after)

    rows = {
        booking.pk: (booking.organisation_id, booking.purpose)
        for booking in Booking.objects.filter(pk__in=[linked.pk, unknown.pk])
    }
    assert rows == {linked.pk: (club.pk, "Match"), unknown.pk: (None, "Club inconnu — Match")}
