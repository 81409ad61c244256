"""Residents' pages: registry, availability table, booking, letter, cancellation, feed."""

import datetime
import io
from decimal import Decimal

import icalendar
import pytest
from django.utils import timezone
from pypdf import PdfReader

from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.feeds import feed_token
from guichet.facilities.models import Audience, Booking
from tests import factories

pytestmark = pytest.mark.django_db


def _future_tuesday(weeks: int = 2) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks)


def test_the_registry_lists_facilities_with_their_hours_units_and_prices(city_client, gym):
    listing = city_client.get("/equipements/").content.decode()
    page = city_client.get(f"/equipements/{gym.room_facility.slug}/").content.decode()

    assert "Gymnase Jean-Moulin" in listing
    assert "Maison des associations" in listing
    assert "Lundi 08:00\u201322:00" in page
    assert "Salle Lumière" in page
    assert "<td>12,50 €</td>" in page
    assert "Fermé les jours fériés." in page


def test_the_availability_table_shows_booked_and_free_hours(city_client, gym, resident):
    day = _future_tuesday()
    services.booking_request(
        unit=gym.half_a,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(day, datetime.time(18)),
        ends_at=at(day, datetime.time(20)),
        purpose="Basket",
    )
    page = city_client.get(
        f"/equipements/{gym.facility.slug}/?semaine={day.isoformat()}"
    ).content.decode()

    # three tables (hall, two halves), 14 opening hours each, 7 days
    assert page.count('<table class="availability">') == 3
    # 18:00 and 19:00 taken on the half court, and on the hall that contains it
    assert page.count('<td class="slot-booked">Réservé</td>') == 4
    assert 'scope="row">18:00</th>' in page


def test_a_resident_books_a_room_gets_the_letter_and_cancels(city_client, gym, resident):
    city_client.force_login(resident)
    day = _future_tuesday(3)
    form = city_client.get(
        f"/equipements/{gym.room_facility.slug}/reserver/?espace={gym.room.pk}"
        f"&date={day.isoformat()}&heure=14:00"
    ).content.decode()
    assert 'value="14:00"' in form
    assert 'value="15:00"' in form
    data = {
        "unit": gym.room.pk,
        "day": day.isoformat(),
        "starts": "14:00",
        "ends": "16:00",
        "audience": "resident",
        "purpose": "Anniversaire",
        "attendance": "20",
        "request_key": "cle-unique",
    }
    response = city_client.post(f"/equipements/{gym.room_facility.slug}/reserver/", data)
    again = city_client.post(f"/equipements/{gym.room_facility.slug}/reserver/", data)

    booking = Booking.objects.get()
    assert response.url == f"/reservations/{booking.pk}/"
    assert again.url == response.url  # a double submit makes one booking
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.amount_due == Decimal("25.00")
    letter = city_client.get(f"/reservations/{booking.pk}/lettre.pdf")
    text = PdfReader(io.BytesIO(letter.content)).pages[0].extract_text()
    assert f"Confirmation de réservation {booking.reference}" in text
    assert "Salle Lumière" in text
    assert "Montant dû\n25,00 €" in text

    city_client.post(f"/reservations/{booking.pk}/annuler/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert not booking.occupations.exists()


def test_a_taken_slot_is_refused_with_a_clear_message_and_the_answers_kept(
    city_client, gym, resident
):
    day = _future_tuesday()
    services.booking_request(
        unit=gym.hall,
        holder=factories.person(gym.facility.authority, "autre@example.fr"),
        audience=Audience.RESIDENT,
        starts_at=at(day, datetime.time(10)),
        ends_at=at(day, datetime.time(12)),
        purpose="Tournoi",
    )
    city_client.force_login(resident)
    page = city_client.post(
        f"/equipements/{gym.facility.slug}/reserver/",
        {
            "unit": gym.half_b.pk,
            "day": day.isoformat(),
            "starts": "11:00",
            "ends": "12:00",
            "audience": "resident",
            "purpose": "Badminton entre amis",
            "attendance": "4",
        },
    ).content.decode()

    assert "Ce créneau est déjà réservé." in page
    assert 'value="Badminton entre amis"' in page
    assert Booking.objects.count() == 1


def test_bookings_of_another_authority_or_person_are_not_found(
    city_client, gym, resident, other_city
):
    day = _future_tuesday()
    other_gym = factories_gym(other_city)
    stranger = factories.resident(other_city, "autre@example.fr")
    theirs = services.booking_request(
        unit=other_gym.room,
        holder=stranger,
        audience=Audience.RESIDENT,
        starts_at=at(day, datetime.time(10)),
        ends_at=at(day, datetime.time(11)),
        purpose="Réunion",
    )
    neighbour = factories.person(gym.facility.authority, "voisin@example.fr")
    mine_not = services.booking_request(
        unit=gym.room,
        holder=neighbour,
        audience=Audience.RESIDENT,
        starts_at=at(day, datetime.time(10)),
        ends_at=at(day, datetime.time(11)),
        purpose="Réunion",
    )
    city_client.force_login(resident)
    for booking in (theirs, mine_not):
        for suffix in ("", "lettre.pdf"):
            assert city_client.get(f"/reservations/{booking.pk}/{suffix}").status_code == 404
        assert city_client.post(f"/reservations/{booking.pk}/annuler/").status_code == 404
    assert city_client.get(f"/equipements/{other_gym.facility.slug}/").status_code == 404


def factories_gym(authority):
    from tests.facilities.conftest import make_gym

    return make_gym(authority, slug="gymnase-autre")


def test_the_calendar_feeds_parse_and_list_the_bookings(city_client, gym, resident, city):
    day = _future_tuesday()
    booking = services.booking_request(
        unit=gym.half_a,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(day, datetime.time(18)),
        ends_at=at(day, datetime.time(20)),
        purpose="Basket",
    )
    facility_token = feed_token(kind="facility", object_id=gym.facility.pk, authority_id=city.pk)
    person_token = feed_token(kind="person", object_id=resident.pk, authority_id=city.pk)

    for url, summary in [
        (f"/agenda/equipement/{facility_token}.ics", "Demi-terrain A"),
        (f"/agenda/personne/{person_token}.ics", "Basket — Camille Martin"),
    ]:
        response = city_client.get(url)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert [str(event["summary"]) for event in events] == [summary]
        assert events[0].decoded("dtstart") == booking.starts_at
        assert events[0].decoded("dtend") == booking.ends_at
        assert str(events[0]["uid"]) == f"booking-{booking.pk}@ville-a.localhost"

    # an altered token, or a person token used as a facility token, is not found
    assert city_client.get(f"/agenda/equipement/{facility_token}x.ics").status_code == 404
    assert city_client.get(f"/agenda/equipement/{person_token}.ics").status_code == 404


def test_the_facility_page_speaks_english_on_request(city_client, gym):
    from django.core.management import call_command

    call_command("translations_compile")
    city_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = city_client.get(f"/equipements/{gym.facility.slug}/").content.decode()

    assert '<h2 id="disponibilites">Availability</h2>' in page
    assert "<h2>Opening hours</h2>" in page
    assert "Closed on public holidays." in page
