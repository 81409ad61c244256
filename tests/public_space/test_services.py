import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from PIL import Image

from guichet.core.errors import DomainError
from guichet.interventions import services as interventions
from guichet.interventions.models import WorkOrder
from guichet.notifications.models import OutgoingEmail
from guichet.public_space import selectors, services
from guichet.public_space.models import Report
from tests import factories
from tests.public_space.conftest import HERE, photo_upload

pytestmark = pytest.mark.django_db(transaction=False)


def file_pothole(category, **fields):
    defaults = {
        "description": "Un trou profond",
        "latitude": HERE[0],
        "longitude": HERE[1],
        "address": "18 avenue de la République",
        "answers": {"surface": "chaussee"},
        "contact_email": "alice@example.fr",
    }
    return services.report_file(category=category, **{**defaults, **fields})


def test_filing_numbers_routes_and_strips_photos(pothole):
    report = file_pothole(
        pothole,
        photos=[photo_upload()],
        answers={"surface": "trottoir", "nature": ["trou", "fissure"]},
    )

    assert report.number.endswith("-SIG-000001")
    assert report.service == pothole.service
    assert report.status == Report.Status.SUBMITTED
    assert report.answers == {"surface": "trottoir", "nature": ["trou", "fissure"]}
    photo = report.photos.get()
    assert photo.is_public is False
    stored = Image.open(io.BytesIO(photo.image.read()))
    assert dict(stored.getexif()) == {}
    subjects = sorted(OutgoingEmail.objects.values_list("to", "subject"))
    assert subjects == [
        ("alice@example.fr", f"[Ville A] Signalement {report.number} reçu"),
        ("voirie@ville-a.fr", f"[Ville A] Nouveau signalement {report.number} : Nid-de-poule"),
    ]
    assert file_pothole(pothole).number.endswith("-SIG-000002")


def test_filing_checks_questions_location_and_description(pothole):
    with pytest.raises(DomainError, match="Où se trouve le défaut"):
        file_pothole(pothole, answers={})
    with pytest.raises(DomainError, match="Où se trouve le défaut"):
        file_pothole(pothole, answers={"surface": "ciel"})
    with pytest.raises(DomainError, match="emplacement"):
        file_pothole(pothole, latitude=None, longitude=None, address="")
    with pytest.raises(DomainError, match="4 000"):
        file_pothole(pothole, description="x" * 4001)
    assert Report.objects.count() == 0


def test_anonymous_report_has_no_contact(pothole):
    report = file_pothole(pothole, contact_email="")
    assert (report.reporter, report.contact_email) == (None, "")
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["voirie@ville-a.fr"]


def test_nearby_finds_open_reports_of_the_category_within_the_radius(pothole, lighting):
    close = file_pothole(pothole)  # same point
    thirty_m = file_pothole(pothole, latitude=HERE[0] + Decimal("0.00027"))  # ~30 m north
    file_pothole(pothole, latitude=HERE[0] + Decimal("0.00072"))  # ~80 m north
    services.report_file(category=lighting, description="x", latitude=HERE[0], longitude=HERE[1])
    closed = file_pothole(pothole)
    closed.status = Report.Status.FIXED
    closed.save()

    found = selectors.reports_nearby(
        category=pothole, latitude=HERE[0], longitude=HERE[1], radius_m=50
    )

    assert [(r.pk, d) for r, d in found] == [(close.pk, 0), (thirty_m.pk, 30)]


def test_following_twice_adds_one_follower(pothole):
    report = file_pothole(pothole)
    services.report_follow(report=report, email="Bob@Example.fr")
    services.report_follow(report=report, email="bob@example.fr")
    assert list(report.followers.values_list("email", flat=True)) == ["bob@example.fr"]
    assert OutgoingEmail.objects.filter(to="bob@example.fr").count() == 1


def test_reject_names_the_competent_body_and_tells_the_reporter(pothole, road_agent):
    report = file_pothole(pothole)
    with pytest.raises(DomainError):
        services.report_reject(report=report, by=road_agent, message="", competent_body="")
    services.report_reject(
        report=report, by=road_agent, message="Route départementale.", competent_body="Département"
    )
    report.refresh_from_db()
    assert (report.status, report.open311_status, report.competent_body) == (
        "rejected",
        "closed",
        "Département",
    )
    email = OutgoingEmail.objects.get(to="alice@example.fr", subject__contains="compétence")
    assert "Organisme compétent : Département" in email.body


def test_merge_moves_reporter_and_followers_to_the_kept_report(pothole, road_agent):
    kept = file_pothole(pothole, contact_email="first@example.fr")
    duplicate = file_pothole(pothole, contact_email="second@example.fr")
    services.report_follow(report=duplicate, email="third@example.fr")

    services.report_merge(report=duplicate, into=kept, by=road_agent)

    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == ("merged", kept)
    assert sorted(kept.followers.values_list("email", flat=True)) == [
        "second@example.fr",
        "third@example.fr",
    ]
    with pytest.raises(DomainError):
        services.report_merge(report=kept, into=kept, by=road_agent)


def test_reroute_changes_category_and_service(pothole, lighting, road_agent):
    report = file_pothole(pothole)
    services.report_reroute(report=report, category=lighting, by=road_agent)
    report.refresh_from_db()
    assert (report.category, report.service.slug) == (lighting, "eclairage")
    assert OutgoingEmail.objects.filter(to="eclairage@ville-a.fr").count() == 1


def test_closing_the_work_order_closes_reports_and_notifies_everyone_with_the_photo(
    pothole, road_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = file_pothole(pothole, contact_email="alice@example.fr")
        second = file_pothole(pothole, contact_email="")
        services.report_follow(report=first, email="bob@example.fr")
        services.report_merge(report=second, into=first, by=road_agent)
        order = services.reports_work_order_create(
            reports=[first],
            by=road_agent,
            team="Équipe A",
            assignee=road_agent,
            priority="high",
            planned_date=datetime.date(2026, 12, 3),
            materials="Enrobé à froid",
        )
    first.refresh_from_db()
    assert (first.status, order.status, order.number[-8:]) == ("scheduled", "planned", "BI-00001")
    assert selectors.reports_for_agent(agent=road_agent).count() == 1
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        interventions.work_order_start(work_order=order, by=road_agent)
        interventions.work_order_close(
            work_order=order, by=road_agent, comment="Trou rebouché.", photo=photo_upload()
        )

    first.refresh_from_db()
    assert (first.status, first.open311_status) == ("fixed", "closed")
    assert WorkOrder.objects.get().status == "done"
    fixed = {m.to[0]: m for m in mail.outbox if "résolu" in m.subject}
    assert sorted(fixed) == ["alice@example.fr", "bob@example.fr"]
    _name, content, kind = fixed["bob@example.fr"].attachments[0]
    assert kind == "image/jpeg"
    assert dict(Image.open(io.BytesIO(content)).getexif()) == {}
    assert "Trou rebouché." in fixed["alice@example.fr"].body
    last = first.updates.last()
    assert (last.status, last.description) == ("fixed", "Trou rebouché.")
    with pytest.raises(DomainError):
        interventions.work_order_close(work_order=order, by=road_agent)


def test_work_order_on_its_own(city, roads, road_agent):
    order = interventions.work_order_create(service=roads, title="Élagage rue Haute", by=road_agent)
    assert (order.sources.count(), order.title) == (0, "Élagage rue Haute")
    other = factories.authority("ville-z")
    with pytest.raises(DomainError):
        interventions.work_order_create(
            service=roads, title="x", by=road_agent, assignee=factories.resident(other)
        )
