"""Maintenance: a problem reported in a facility becomes a work order of its service, and
closing the work order closes the report; a facility made unavailable lists exactly the
bookings it affects and warns each holder once."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guichet.facilities import services
from guichet.facilities.calendar import at
from guichet.facilities.models import Audience, Closure, FacilityReport, Unit
from guichet.interventions import services as interventions
from guichet.interventions.models import WorkOrder, WorkOrderPhoto
from guichet.notifications.models import OutgoingEmail
from tests import factories
from tests.facilities.conftest import DAY, NOW

pytestmark = pytest.mark.django_db
T = datetime.time


def _png(name: str = "fuite.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _sources(work_order: WorkOrder) -> set[tuple[str, int]]:
    return {
        (link.content_type.model, link.object_id)
        for link in work_order.sources.select_related("content_type")
    }


@pytest.fixture
def manager(city):
    return factories.agent(city, "gestion@example.fr", services=("equipements",))


def test_facility_report__from_the_front_office_becomes_one_work_order_of_the_service(
    city_client, gym, resident
):
    city_client.force_login(resident)
    form = {
        "unit": gym.half_a.pk,
        "description": "Le panneau de basket penche dangereusement.",
        "request_key": "signalement-1",
    }
    first = city_client.post(
        f"/equipements/{gym.facility.slug}/signaler/", form | {"photo": _png()}
    )
    again = city_client.post(f"/equipements/{gym.facility.slug}/signaler/", form)

    assert (first.status_code, first.url) == (302, f"/equipements/{gym.facility.slug}/")
    assert again.url == first.url
    report = FacilityReport.objects.get()
    assert (report.facility, report.unit, report.reporter, report.status) == (
        gym.facility,
        gym.half_a,
        resident,
        FacilityReport.Status.OPEN,
    )
    work_order = WorkOrder.objects.get()
    assert (work_order.service, work_order.title, work_order.description, work_order.status) == (
        gym.facility.service,
        "Gymnase Jean-Moulin — Demi-terrain A : problème signalé",
        "Le panneau de basket penche dangereusement.",
        WorkOrder.Status.PLANNED,
    )
    assert _sources(work_order) == {
        ("facilityreport", report.pk),
        ("facility", gym.facility.pk),
        ("unit", gym.half_a.pk),
    }
    assert list(work_order.photos.values_list("kind", flat=True)) == [WorkOrderPhoto.Kind.BEFORE]
    received = OutgoingEmail.objects.get(to=resident.email)
    assert received.subject == ("[Ville A] Votre signalement à Gymnase Jean-Moulin est enregistré")
    assert work_order.number in received.body


def test_facility_report__a_file_that_is_not_an_image_is_refused_and_the_text_kept(
    city_client, gym, resident
):
    city_client.force_login(resident)
    page = city_client.post(
        f"/equipements/{gym.facility.slug}/signaler/",
        {
            "unit": "",
            "description": "Fuite d'eau dans le vestiaire des filles.",
            "photo": SimpleUploadedFile("fuite.png", b"pas une image", "image/png"),
        },
    ).content.decode()

    assert "n&#x27;est pas d&#x27;un type accepté (JPEG, PNG)" in page
    assert "Fuite d&#x27;eau dans le vestiaire des filles." in page
    assert (FacilityReport.objects.count(), WorkOrder.objects.count()) == (0, 0)


def test_facility_report__needs_a_login_and_the_facility_of_the_authority(
    city_client, gym, other_city
):
    anonymous = city_client.post(
        f"/equipements/{gym.facility.slug}/signaler/", {"description": "Fuite"}
    )
    elsewhere = factories.resident(other_city, "autre@example.fr")
    city_client.force_login(elsewhere)
    foreign = city_client.post(
        f"/equipements/{gym.facility.slug}/signaler/", {"description": "Fuite"}
    )

    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/connexion/")
    assert foreign.status_code == 404
    assert (FacilityReport.objects.count(), WorkOrder.objects.count()) == (0, 0)


def test_work_order_done__closes_the_report_and_tells_the_reporter_once(
    city_client, gym, resident, manager
):
    report, work_order = services.facility_report_file(
        facility=gym.facility, reporter=resident, description="Néon grillé dans le hall."
    )

    interventions.work_order_close(
        work_order=work_order, by=manager, comment="Néon remplacé le matin même."
    )

    report.refresh_from_db()
    assert (report.status, report.resolution) == (
        FacilityReport.Status.CLOSED,
        "Néon remplacé le matin même.",
    )
    assert report.closed_at is not None
    closed = OutgoingEmail.objects.filter(to=resident.email, subject__contains="réglé")
    assert list(closed.values_list("subject", flat=True)) == [
        "[Ville A] Problème réglé à Gymnase Jean-Moulin"
    ]
    assert "Néon remplacé le matin même." in closed.get().body


def test_facility_page__lists_its_open_work_orders_and_files_an_agents_report(
    city_client, gym, manager
):
    city_client.force_login(manager)
    response = city_client.post(
        f"/agents/equipements/{gym.facility.pk}/signaler/",
        {
            "report-unit": gym.hall.pk,
            "report-description": "Filet de séparation déchiré.",
            "report-request_key": "agent-1",
        },
    )
    work_order = WorkOrder.objects.get()
    page = city_client.get(f"/agents/equipements/{gym.facility.pk}/").content.decode()
    other_page = city_client.get(f"/agents/equipements/{gym.room_facility.pk}/").content.decode()

    assert response.url == f"/agents/equipements/{gym.facility.pk}/"
    assert work_order.created_by == manager
    assert f'/agents/interventions/{work_order.pk}/">{work_order.number}</a>' in page
    assert work_order.number not in other_page
    # an agent's report tells no one by e-mail: the agent follows the work order
    assert OutgoingEmail.objects.count() == 0

    interventions.work_order_close(work_order=work_order, by=manager, comment="Filet changé.")
    page = city_client.get(f"/agents/equipements/{gym.facility.pk}/").content.decode()
    assert work_order.number not in page
    assert "Aucune intervention en cours." in page
    assert FacilityReport.objects.get().status == FacilityReport.Status.CLOSED


def test_facility_page__an_agent_of_another_service_or_authority_cannot_report(
    city_client, gym, city, other_city
):
    outsider = factories.agent(city, "etat-civil@example.fr", services=("etat-civil",))
    foreign = factories.agent(other_city, "agent@ville-b.fr", services=("equipements",))
    codes = []
    for agent in (outsider, foreign):
        city_client.force_login(agent)
        codes.append(
            city_client.post(
                f"/agents/equipements/{gym.facility.pk}/signaler/",
                {"report-description": "Fuite"},
            ).status_code
        )

    assert codes == [404, 404]
    assert (FacilityReport.objects.count(), WorkOrder.objects.count()) == (0, 0)


def test_work_order_sources__a_public_space_work_order_leaves_facility_reports_alone(gym, manager):
    report, _work_order = services.facility_report_file(
        facility=gym.facility, reporter=manager, description="Porte coupe-feu bloquée."
    )
    unrelated = interventions.work_order_create(
        service=gym.facility.service, title="Élagage", by=manager
    )

    interventions.work_order_close(work_order=unrelated, by=manager)

    report.refresh_from_db()
    assert report.status == FacilityReport.Status.OPEN


def _book(unit: Unit, holder, day: datetime.date, start: int, end: int):
    return services.booking_request(
        unit=unit,
        holder=holder,
        audience=Audience.RESIDENT,
        starts_at=at(day, T(start)),
        ends_at=at(day, T(end)),
        purpose="Essai",
        now=NOW,
    )


def test_closure__lists_exactly_the_affected_bookings_and_warns_each_holder_once(
    city, gym, resident
):
    other = factories.resident(city, "dominique@example.fr")
    next_day = DAY + datetime.timedelta(days=1)
    after = DAY + datetime.timedelta(days=2)
    first = _book(gym.hall, resident, DAY, 10, 12)
    second = _book(gym.half_a, resident, next_day, 18, 20)
    others = _book(gym.half_b, other, next_day, 9, 10)
    _book(gym.hall, resident, after, 10, 11)  # the day after the period
    cancelled = _book(gym.half_b, other, DAY, 14, 15)
    services.booking_cancel(booking=cancelled, by=other, as_agent=True, now=NOW)
    _book(gym.room, other, DAY, 10, 11)  # another facility
    OutgoingEmail.objects.all().delete()

    _closure, affected = services.closure_create(
        facility=gym.facility,
        kind=Closure.Kind.MAINTENANCE,
        starts_on=DAY,
        ends_on=next_day,
        reason="Réfection du parquet",
    )

    assert [booking.reference for booking in affected] == [
        first.reference,
        others.reference,
        second.reference,
    ]
    warned = OutgoingEmail.objects.order_by("to")
    assert list(warned.values_list("to", "subject")) == [
        (resident.email, "[Ville A] Vos réservations sont concernées par une fermeture"),
        (
            other.email,
            f"[Ville A] Votre réservation {others.reference} est concernée par une fermeture",
        ),
    ]
    body = warned.get(to=resident.email).body
    assert (first.reference in body, second.reference in body) == (True, True)
    assert "Réfection du parquet" in body


def test_facility_report__the_unit_must_be_in_the_facility(gym, resident):
    with pytest.raises(services.DomainError, match="Cet espace n'est pas dans l'équipement"):
        services.facility_report_file(
            facility=gym.facility, reporter=resident, unit=gym.room, description="Fuite"
        )
    assert FacilityReport.objects.count() == 0


def test_work_order_links__a_facility_and_its_report_show_on_the_work_order_page(
    city_client, gym, manager
):
    _report, work_order = services.facility_report_file(
        facility=gym.facility, reporter=manager, description="Porte bloquée."
    )
    city_client.force_login(manager)
    page = city_client.get(f"/agents/interventions/{work_order.pk}/").content.decode()

    assert f'href="/agents/equipements/{gym.facility.pk}/"' in page
    assert "Signalement : Porte bloquée." in page
