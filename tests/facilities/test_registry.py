"""Agents keep the registry: a facility, its nested units, hours, rules and prices; a new
nesting rewrites the occupations of the bookings to come, so the guarantee holds."""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.models import Audience, Facility, OpeningHours, Unit
from tests import factories

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would submit for the page's main form (first POST form)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.values[name] = "on"
            else:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.strip()


def form_values(html: str) -> dict[str, str]:
    parser = FormValues()
    parser.feed(html)
    return parser.values


@pytest.fixture
def agent_client(city_client, city):
    city_client.force_login(factories.agent(city, "gestion@example.fr", services=("equipements",)))
    return city_client


def test_an_agent_creates_a_facility_then_adds_units_and_hours(agent_client, gym, city):
    service = factories.service(city, "equipements")
    response = agent_client.post(
        "/agents/equipements/registre/nouveau/",
        {
            "name": "Dojo",
            "slug": "dojo",
            "kind": "gym",
            "service": service.pk,
            "address": "3 rue des Arts martiaux",
            "capacity": "40",
            "closed_on_public_holidays": "on",
            "is_listed": "on",
        },
    )
    dojo = Facility.objects.get(slug="dojo")
    assert response.url == f"/agents/equipements/{dojo.pk}/registre/"
    values = form_values(agent_client.get(response.url).content.decode())
    values.update(
        {
            "units-0-name": "Tatami",
            "units-0-capacity": "40",
            "units-0-position": "0",
            "hours-0-weekday": "2",
            "hours-0-opens": "14:00",
            "hours-0-closes": "21:00",
            "rules-0-audience": "association",
            "rules-0-min_notice_hours": "24",
            "rules-0-max_days_ahead": "60",
            "rules-0-max_duration_minutes": "180",
            "rules-0-buffer_minutes": "0",
            "rules-0-cancel_notice_hours": "24",
        }
    )
    agent_client.post(response.url, values)

    assert list(Unit.objects.filter(facility=dojo).values_list("name", "authority")) == [
        ("Tatami", city.pk)
    ]
    hours = OpeningHours.objects.get(facility=dojo)
    assert (hours.weekday, hours.opens, hours.closes) == (2, datetime.time(14), datetime.time(21))
    assert dojo.rules.get().audience == "association"
    # a slug already used by another facility is refused
    taken = agent_client.post(
        "/agents/equipements/registre/nouveau/",
        {
            "name": "Autre",
            "slug": "dojo",
            "kind": "gym",
            "service": service.pk,
            "address": "x",
            "capacity": "1",
        },
    )
    assert "Cet identifiant est déjà pris." in taken.content.decode()


def test_splitting_a_booked_room_keeps_the_guarantee(agent_client, gym, resident):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 14)
    booking = services.booking_request(
        unit=gym.room,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(day, datetime.time(10)),
        ends_at=at(day, datetime.time(12)),
        purpose="Réunion",
    )
    url = f"/agents/equipements/{gym.room_facility.pk}/registre/"
    values = form_values(agent_client.get(url).content.decode())
    values.update(
        {
            "units-1-name": "Moitié nord",
            "units-1-parent": str(gym.room.pk),
            "units-1-position": "1",
            "units-1-capacity": "20",
        }
    )
    agent_client.post(url, values)

    north = Unit.objects.get(name="Moitié nord")
    assert north.parent == gym.room
    assert list(booking.occupations.values_list("leaf", flat=True)) == [north.pk]
    with pytest.raises(services.SlotTaken):
        services.booking_request(
            unit=north,
            holder=resident,
            audience=Audience.RESIDENT,
            starts_at=at(day, datetime.time(11)),
            ends_at=at(day, datetime.time(12)),
            purpose="Réunion",
        )


def test_the_registry_of_another_service_or_city_is_not_found(city_client, gym, city, other_city):
    city_client.force_login(factories.agent(city, "ec@example.fr", services=("etat-civil",)))
    assert city_client.get(f"/agents/equipements/{gym.facility.pk}/registre/").status_code == 404
    other = factories.agent(other_city, "eq@example.fr", services=("equipements",))
    city_client.force_login(other)
    assert city_client.get(f"/agents/equipements/{gym.facility.pk}/registre/").status_code in (
        404,
        302,
    )


def test_a_photo_is_re_encoded_and_a_fake_image_refused(agent_client, gym):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    url = f"/agents/equipements/{gym.facility.pk}/registre/"
    values = form_values(agent_client.get(url).content.decode())
    picture = BytesIO()
    Image.new("RGB", (3000, 1500), "#336699").save(picture, format="PNG")
    fake = SimpleUploadedFile("photo.png", b"<?php echo 1; ?>", "image/png")
    refused = agent_client.post(url, {**values, "photo_upload": fake, "photo_description": "x"})
    assert "n&#x27;est pas d&#x27;un type accepté" in refused.content.decode()

    upload = SimpleUploadedFile("photo.png", picture.getvalue(), "image/png")
    agent_client.post(
        url, {**values, "photo_upload": upload, "photo_description": "La grande salle vue du fond"}
    )
    gym.facility.refresh_from_db()
    with Image.open(gym.facility.photo.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (1600, 800))
    assert gym.facility.photo_description == "La grande salle vue du fond"
    public = agent_client.get(f"/equipements/{gym.facility.slug}/").content.decode()
    assert 'alt="La grande salle vue du fond"' in public
