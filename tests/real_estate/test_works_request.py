"""Another service asks for works through the engine; the operations service turns the
request into an operation; the requesting service follows it."""

import pytest

from guichet.engine import services as engine
from guichet.notifications.models import OutgoingEmail
from guichet.real_estate.models import Operation
from tests import factories

ANSWERS = {
    "building": "École maternelle des Tilleuls",
    "address": "8 allée des Tilleuls, 45000 Ville A",
    "works_kind": "accessibility",
    "description": "Rampe d'accès et sanitaires adaptés.",
}


@pytest.fixture
def works_request(city, django_capture_on_commit_callbacks):
    procedure = factories.procedure_from(city, "real_estate/procedures/works_request.yaml")
    factories.service(city, "ecoles")
    school_agent = factories.agent(city, "directrice@example.fr", services=("ecoles",))
    case = engine.case_start(procedure=procedure, applicant=school_agent)
    engine.case_answers_save(case=case, answers=dict(ANSWERS), uploads={}, by=school_agent)
    with django_capture_on_commit_callbacks(execute=True):
        return engine.case_submit(case=case, by=school_agent), school_agent


def test_works_request__turned_into_an_operation_followed_by_the_school_service(
    city, city_client, client, lead, works_request
):
    case, school_agent = works_request
    city_client.force_login(lead)
    listing = city_client.get("/agents/operations/").content.decode()
    form = city_client.get(f"/agents/operations/demandes/{case.pk}/")
    ecoles = str(school_agent.memberships.get().service_id)
    data = {
        "name": "Accessibilité de l'école des Tilleuls",
        "kind": "accessibility",
        "address": ANSWERS["address"],
        "service": str(lead.memberships.get().service_id),
        "lead": str(lead.pk),
        "requesting_service": ecoles,
        "start": "2026-03-02",
        "is_public": "on",
    }

    response = city_client.post(f"/agents/operations/demandes/{case.pk}/", data)
    again = city_client.post(f"/agents/operations/demandes/{case.pk}/", data)

    operation = Operation.objects.get()
    case.refresh_from_db()
    assert f"Créer l'opération de la demande {case.number}" in listing
    assert 'value="École maternelle des Tilleuls"' in form.content.decode()
    assert f'<option value="{ecoles}" selected>' in form.content.decode()
    assert response.status_code == 302
    assert again.status_code == 404  # the request is closed: one operation only
    assert (operation.request_case_id, operation.requesting_service.slug) == (case.pk, "ecoles")
    assert (case.status, case.is_closed) == ("converted", True)
    assert case.transitions.last().comment == (
        "Opération créée : Accessibilité de l'école des Tilleuls."
    )
    assert OutgoingEmail.objects.filter(to=school_agent.email, case_id=case.pk).count() == 2

    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(school_agent)
    follow = client.get("/agents/operations/suivi/").content.decode()
    detail = client.get(f"/agents/operations/{operation.pk}/")
    assert "Accessibilité de l&#x27;école des Tilleuls" in follow
    assert detail.status_code == 200


def test_works_request__an_agent_of_another_authority_cannot_convert_it(
    client, other_city, works_request
):
    case, _school_agent = works_request
    outsider = factories.person(other_city, "admin@ville-b.fr", is_authority_admin=True)
    client.force_login(outsider)
    client.defaults["HTTP_HOST"] = "ville-b.localhost"

    response = client.post(f"/agents/operations/demandes/{case.pk}/", {"name": "x"})

    case.refresh_from_db()
    assert response.status_code == 404
    assert case.status == "submitted"
    assert Operation.objects.count() == 0


def test_phase_done__the_requesting_service_is_told(city, operation):
    from guichet.real_estate import services

    schools = factories.service(city, "ecoles")
    operation.requesting_service = schools
    operation.save(update_fields=["requesting_service"])
    phase = operation.phases.get(kind="programming")

    for _ in range(2):  # recorded twice: told once
        services.phase_dates_set(
            phase=phase,
            planned_start=phase.planned_start,
            planned_end=phase.planned_end,
            actual_start=phase.planned_start,
            actual_end=phase.planned_end,
        )

    email = OutgoingEmail.objects.get(to="ecoles@ville-a.fr")
    assert email.subject == (
        "[Ville A] Rénovation de l'école Jules-Ferry : phase « Programmation » terminée"
    )
    assert "Phase suivante : Esquisse (ESQ), prévue du 5 avril 2026 au 19 mai 2026." in email.body
