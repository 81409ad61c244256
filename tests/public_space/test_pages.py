import io

import pytest
from django.urls import reverse
from PIL import Image

from guichet.interventions.models import WorkOrder
from guichet.notifications.models import OutgoingEmail
from guichet.public_space import services
from guichet.public_space.models import Category, Report, ReportFollower
from tests import factories
from tests.public_space.conftest import HERE, photo_upload

NEW = "frontoffice:public_space_report_new"


def _file(category, **fields):
    return services.report_file(
        category=category,
        description="Un trou",
        latitude=HERE[0],
        longitude=HERE[1],
        address="18 avenue de la République",
        answers={"surface": "chaussee"},
        contact_email="alice@example.fr",
        contact_phone="0612345678",
        **fields,
    )


def test_categories_page_lists_the_authority_categories(city_client, pothole, other_city):
    Category.objects.create(
        authority=other_city, code="x", name="Autre ville", service=factories.service(other_city)
    )
    page = city_client.get(reverse("frontoffice:public_space_categories")).content.decode()
    assert "Nid-de-poule" in page
    assert "Autre ville" not in page


def test_without_javascript_coordinates_typed_as_the_address_place_the_report(city_client, pothole):
    url = reverse(NEW, args=["nid-de-poule"])
    page = city_client.get(url, {"address": "47.902964, 1.909251"}).content.decode()
    assert "Aucun signalement de cette catégorie n'est en cours à moins de 50 m." in page
    assert 'name="latitude" value="47.902964"' in page

    response = city_client.post(
        url,
        {
            "address": "",
            "latitude": "47.902964",
            "longitude": "1.909251",
            "description": "Trou profond",
            "attribute_surface": "trottoir",
            "photos": [photo_upload()],
            "contact_email": "",
        },
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frontoffice:public_space_report", args=[report.number])
    assert (report.latitude, report.longitude, report.contact_email, report.reporter) == (
        HERE[0],
        HERE[1],
        "",
        None,
    )
    assert report.answers == {"surface": "trottoir"}
    assert report.photos.count() == 1


def test_an_unknown_address_offline_asks_for_the_map_or_coordinates(city_client, pothole):
    page = city_client.get(
        reverse(NEW, args=["nid-de-poule"]), {"address": "rue Inconnue"}
    ).content.decode()
    assert "Adresse introuvable" in page
    assert "Envoyer le signalement" not in page


def test_a_missing_answer_keeps_what_was_typed(city_client, pothole):
    response = city_client.post(
        reverse(NEW, args=["nid-de-poule"]),
        {"latitude": "47.902964", "longitude": "1.909251", "description": "Trou profond"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trou profond" in page
    assert "Ce champ est obligatoire." in page
    assert Report.objects.count() == 0


def test_a_nearby_open_report_is_proposed_and_can_be_followed(city_client, pothole):
    existing = _file(pothole)
    page = city_client.get(
        reverse(NEW, args=["nid-de-poule"]), {"latitude": "47.903100", "longitude": "1.909251"}
    ).content.decode()
    assert existing.number in page
    assert "à 15 m" in page

    response = city_client.post(
        reverse("frontoffice:public_space_follow", args=[existing.number]),
        {"email": "bob@example.fr"},
    )
    city_client.post(
        reverse("frontoffice:public_space_follow", args=[existing.number]),
        {"email": "bob@example.fr"},
    )
    assert response.status_code == 302
    assert list(ReportFollower.objects.values_list("email", flat=True)) == ["bob@example.fr"]


def test_public_pages_show_no_personal_data_and_only_published_photos(
    city_client, pothole, road_agent
):
    report = _file(pothole, photos=[photo_upload(), photo_upload()])
    first, second = report.photos.all()
    services.report_photo_publish(photo=first, by=road_agent)

    listing = city_client.get(reverse("frontoffice:public_space_map")).content.decode()
    detail = city_client.get(
        reverse("frontoffice:public_space_report", args=[report.number])
    ).content.decode()

    for page in (listing, detail):
        assert report.number in page
        assert "alice@example.fr" not in page
        assert "0612345678" not in page
    assert reverse("frontoffice:public_space_photo", args=[report.number, first.pk]) in detail
    assert reverse("frontoffice:public_space_photo", args=[report.number, second.pk]) not in detail
    served = city_client.get(
        reverse("frontoffice:public_space_photo", args=[report.number, first.pk])
    )
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert dict(image.getexif()) == {}
    hidden = city_client.get(
        reverse("frontoffice:public_space_photo", args=[report.number, second.pk])
    )
    assert hidden.status_code == 404


def test_public_map_filters_by_state_and_category(city_client, pothole, lighting, road_agent):
    open_one = _file(pothole)
    closed = _file(pothole)
    services.report_reject(report=closed, by=road_agent, message="m", competent_body="Département")
    lamp = services.report_file(category=lighting, description="x", address="Place")
    url = reverse("frontoffice:public_space_map")
    assert [r.pk for r in city_client.get(url, {"status": "open"}).context["page"]] == [
        lamp.pk,
        open_one.pk,
    ]
    assert [r.pk for r in city_client.get(url, {"status": "closed"}).context["page"]] == [closed.pk]
    assert [r.pk for r in city_client.get(url, {"category": "eclairage"}).context["page"]] == [
        lamp.pk
    ]


def test_report_of_another_authority_is_a_404_everywhere(city_client, client, pothole, other_city):
    other_service = factories.service(other_city, "voirie")
    other_category = Category.objects.create(
        authority=other_city, code="nid-de-poule", name="x", service=other_service
    )
    foreign = _file(other_category)
    photo_report = _file(other_category, photos=[photo_upload()])
    photo = photo_report.photos.get()
    photo.is_public = True
    photo.save()
    agent = factories.agent(pothole.authority, "a@ville-a.fr", services=("voirie",))
    order = WorkOrder.objects.create(
        authority=other_city, service=other_service, number="X-1", title="x"
    )

    assert (
        city_client.get(
            reverse("frontoffice:public_space_report", args=[foreign.number])
        ).status_code
        == 404
    )
    assert (
        city_client.get(
            reverse("frontoffice:public_space_photo", args=[photo_report.number, photo.pk])
        ).status_code
        == 404
    )
    assert (
        city_client.post(
            reverse("frontoffice:public_space_follow", args=[foreign.number]),
            {"email": "x@example.fr"},
        ).status_code
        == 404
    )
    city_client.force_login(agent)
    for url in [
        reverse("backoffice:public_space_report", args=[foreign.pk]),
        reverse("backoffice:public_space_photo", args=[photo_report.pk, photo.pk]),
        reverse("backoffice:interventions_work_order", args=[order.pk]),
        reverse("backoffice:interventions_photo", args=[order.pk, 1]),
    ]:
        assert city_client.get(url).status_code == 404, url
    assert (
        city_client.post(
            reverse("backoffice:public_space_triage", args=[foreign.pk]), {"action": "accept"}
        ).status_code
        == 404
    )
    assert (
        city_client.post(
            reverse("backoffice:interventions_progress", args=[order.pk]), {"action": "done"}
        ).status_code
        == 404
    )


def test_agents_of_another_service_do_not_see_the_report(city_client, pothole, agent):
    report = _file(pothole)
    city_client.force_login(agent)  # état civil only
    assert (
        city_client.get(reverse("backoffice:public_space_report", args=[report.pk])).status_code
        == 404
    )
    assert (
        report.number
        not in city_client.get(reverse("backoffice:public_space_reports")).content.decode()
    )


def test_triage_and_work_order_from_the_back_office(city_client, pothole, road_agent):
    report = _file(pothole)
    city_client.force_login(road_agent)
    triage = reverse("backoffice:public_space_triage", args=[report.pk])

    assert city_client.post(triage, {"action": "accept"}).status_code == 302
    rejected = city_client.post(triage, {"action": "reject", "competent_body": "", "message": ""})
    assert rejected.status_code == 422
    assert "Ce champ est obligatoire." in rejected.content.decode()
    merge = city_client.post(triage, {"action": "merge", "into": "2099-SIG-999999"})
    assert "Aucun signalement en cours ne porte ce numéro." in merge.content.decode()

    response = city_client.post(
        reverse("backoffice:public_space_work_order_create", args=[report.pk]),
        {
            "title": "Reboucher le trou",
            "service": report.service_id,
            "team": "Équipe A",
            "assignee": road_agent.pk,
            "priority": "urgent",
            "planned_date": "2026-12-02",
            "materials": "Enrobé",
        },
    )
    order = WorkOrder.objects.get()
    assert response["Location"] == reverse("backoffice:interventions_work_order", args=[order.pk])
    report.refresh_from_db()
    assert (report.status, order.priority, order.team, order.assignee) == (
        "scheduled",
        "urgent",
        "Équipe A",
        road_agent,
    )

    today = city_client.get(reverse("backoffice:interventions_today")).content.decode()
    assert order.number in today
    done = city_client.post(
        reverse("backoffice:interventions_progress", args=[order.pk]),
        {"action": "done", "comment": "Rebouché", "photo": photo_upload(), "back": "today"},
    )
    assert done["Location"] == reverse("backoffice:interventions_today")
    report.refresh_from_db()
    assert report.status == "fixed"
    assert (
        OutgoingEmail.objects.filter(to="alice@example.fr", subject__contains="résolu").count() == 1
    )
    assert (
        order.number
        not in city_client.get(reverse("backoffice:interventions_today")).content.decode()
    )


def test_a_work_order_on_its_own_from_the_back_office(city_client, roads, road_agent):
    city_client.force_login(road_agent)
    response = city_client.post(
        reverse("backoffice:interventions_work_order_new"),
        {"title": "Élagage", "service": roads.pk, "priority": "low"},
    )
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert (order.title, order.sources.count()) == ("Élagage", 0)
    assert (
        "Élagage"
        in city_client.get(reverse("backoffice:interventions_work_orders")).content.decode()
    )


@pytest.mark.parametrize(
    "name", ["public_space_reports", "interventions_work_orders", "interventions_today"]
)
def test_back_office_pages_need_an_agent(city_client, resident, name):
    assert city_client.get(reverse(f"backoffice:{name}")).status_code == 302
    city_client.force_login(resident)
    assert city_client.get(reverse(f"backoffice:{name}")).status_code == 404


def test_submitting_the_same_form_twice_files_one_report(city_client, pothole):
    url = reverse(NEW, args=["nid-de-poule"])
    page = city_client.get(url, {"latitude": "47.902964", "longitude": "1.909251"})
    submission = page.context["form"].initial["submission"]
    data = {
        "submission": str(submission),
        "latitude": "47.902964",
        "longitude": "1.909251",
        "description": "Trou",
        "attribute_surface": "chaussee",
    }
    first = city_client.post(url, data)
    second = city_client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


def test_a_second_work_order_for_the_same_report_is_refused(city_client, pothole, road_agent):
    report = _file(pothole)
    city_client.force_login(road_agent)
    data = {"title": "Reboucher", "service": report.service_id, "priority": "normal"}
    url = reverse("backoffice:public_space_work_order_create", args=[report.pk])
    assert city_client.post(url, data).status_code == 302
    again = city_client.post(url, data)
    assert again.status_code == 422
    assert "Un bon d&#x27;intervention est déjà en cours" in again.content.decode()
    assert WorkOrder.objects.count() == 1


def test_one_work_order_for_several_nearby_reports(city_client, pothole, road_agent):
    first = _file(pothole)
    second = _file(pothole)
    city_client.force_login(road_agent)
    page = city_client.get(
        reverse("backoffice:public_space_report", args=[first.pk])
    ).content.decode()
    assert f'name="also" value="{second.pk}"' in page
    city_client.post(
        reverse("backoffice:public_space_work_order_create", args=[first.pk]),
        {
            "title": "Reboucher",
            "service": first.service_id,
            "priority": "normal",
            "also": [second.pk],
        },
    )
    order = WorkOrder.objects.get()
    assert sorted(s.object_id for s in order.sources.all()) == [first.pk, second.pk]
    assert set(Report.objects.values_list("status", flat=True)) == {"scheduled"}
    page = city_client.get(
        reverse("backoffice:interventions_work_order", args=[order.pk])
    ).content.decode()
    for report in (first, second):
        assert (
            f'<a href="{reverse("backoffice:public_space_report", args=[report.pk])}">{report.number}</a>'
            in page
        )


def test_the_map_opens_where_the_reports_are(city_client, pothole):
    url = reverse(NEW, args=["nid-de-poule"])
    assert "data-centre-lat" not in city_client.get(url).content.decode()
    _file(pothole)
    page = city_client.get(url).content.decode()
    assert 'data-centre-lat="47.902964" data-centre-lng="1.909251"' in page
