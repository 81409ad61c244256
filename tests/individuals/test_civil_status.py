import pytest

from guichet.core.errors import DomainError
from guichet.engine.models import Case, CaseTransition
from guichet.individuals import services
from guichet.individuals.models import CivilStatusRequest
from tests import factories
from tests.individuals.conftest import civil_status_input

pytestmark = pytest.mark.django_db


def test_civil_status_request_file__files_a_case_with_its_structured_request(
    city, procedure, resident
):
    case, created = services.civil_status_request_file(
        authority=city, given=civil_status_input(), applicant=resident
    )

    assert created is True
    assert (case.status, case.channel) == ("submitted", "web")
    assert case.number.endswith("-ACTE-000001")
    request = CivilStatusRequest.objects.get(case=case)
    assert (request.copy_kind, request.relationship, request.copies) == ("full", "self", 2)
    assert case.data["parents"] == "Pierre Martin et Anne Durand"


def test_civil_status_request_file__refuses_a_full_copy_to_a_stranger_and_writes_nothing(
    city, procedure, resident
):
    with pytest.raises(DomainError) as refused:
        services.civil_status_request_file(
            authority=city, given=civil_status_input(relationship="other"), applicant=resident
        )

    assert refused.value.message.startswith("Copie intégrale : elle montre la filiation")
    assert Case.objects.count() == 0
    assert CivilStatusRequest.objects.count() == 0


def test_web_form__files_the_request_and_shows_the_receipt(resident_client):
    response = resident_client.post(
        "/etat-civil/demande/",
        {
            "act_type": "marriage",
            "copy_kind": "extract_filiation",
            "relationship": "spouse",
            "person_last_name": "Martin",
            "person_first_names": "Camille",
            "event_date": "20/06/2015",
            "event_place": "Ville A",
            "delivery_address": "12 rue des Lilas",
            "copies": "1",
        },
    )

    case = Case.objects.get()
    assert response["Location"] == f"/dossiers/{case.pk}/recu/"
    assert case.civil_status_request.act_type == "marriage"


def test_web_form__explains_the_refusal_and_keeps_the_answers(resident_client):
    response = resident_client.post(
        "/etat-civil/demande/",
        {
            "act_type": "birth",
            "copy_kind": "full",
            "relationship": "other",
            "person_last_name": "Dupont",
            "person_first_names": "Jean",
            "event_date": "12/04/1990",
            "event_place": "Ville A",
            "delivery_address": "12 rue des Lilas",
            "copies": "1",
        },
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Vous pouvez demander un extrait sans filiation." in page
    assert 'value="Dupont"' in page
    assert Case.objects.count() == 0


def test_agent__issues_and_sends_the_certificate(agent_client, city, procedure, resident, agent):
    case, _ = services.civil_status_request_file(
        authority=city, given=civil_status_input(), applicant=resident
    )
    page = agent_client.get(f"/agents/etat-civil/{case.pk}/").content.decode()
    assert "ce qui est votre cas" in page

    response = agent_client.post(f"/agents/etat-civil/{case.pk}/", {"action": "issue"})

    assert response["Location"] == "/agents/etat-civil/"
    case.refresh_from_db()
    assert case.status == "accepted"
    assert case.civil_status_request.issued_at is not None
    assert list(CaseTransition.objects.filter(case=case).values_list("to_status", "comment")) == [
        ("submitted", ""),
        ("in_review", ""),
        ("accepted", "Acte délivré et envoyé à : 12 rue des Lilas\n45000 Ville A"),
    ]


def test_agent__rejects_with_the_reason(agent_client, city, procedure, resident):
    case, _ = services.civil_status_request_file(
        authority=city, given=civil_status_input(), applicant=resident
    )

    empty = agent_client.post(f"/agents/etat-civil/{case.pk}/", {"action": "reject"})
    response = agent_client.post(
        f"/agents/etat-civil/{case.pk}/",
        {"action": "reject", "reason": "Aucun acte à ce nom dans nos registres."},
    )

    assert empty.status_code == 422
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "rejected"
    assert case.transitions.last().comment == "Aucun acte à ce nom dans nos registres."


def test_agent__cannot_issue_a_generic_case_the_rule_refuses(agent_client, filed_case):
    """A case filed through the generic form without a relationship: only an extract
    without parentage may be issued."""
    filed_case.data["copy_kind"] = "full"
    filed_case.save(update_fields=["data"])

    response = agent_client.post(f"/agents/etat-civil/{filed_case.pk}/", {"action": "issue"})

    assert response.status_code == 422
    assert "Vous pouvez demander un extrait sans filiation." in response.content.decode()
    filed_case.refresh_from_db()
    assert filed_case.status == "submitted"


def test_agent_pages__a_case_of_another_authority_is_404(agent_client, other_city):
    other_procedure = factories.civil_status_procedure(other_city)
    other_case = factories.civil_status_case(other_procedure, factories.resident(other_city))

    assert agent_client.get(f"/agents/etat-civil/{other_case.pk}/").status_code == 404
    assert (
        agent_client.post(f"/agents/etat-civil/{other_case.pk}/", {"action": "issue"}).status_code
        == 404
    )
    other_case.refresh_from_db()
    assert other_case.status == "submitted"


def test_agent_queue__lists_open_requests_with_the_rule(agent_client, filed_case):
    page = agent_client.get("/agents/etat-civil/").content.decode()

    assert filed_case.number in page
    assert "Délivrable" in page
