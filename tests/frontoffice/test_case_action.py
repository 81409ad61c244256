from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.cli.demo_data import TINY_PDF
from guichet.engine import services
from guichet.engine.models import Attachment, CaseTransition
from tests import factories


def test_case_action__applicant_sends_requested_documents(city_client, filed_case, agent, resident):
    services.case_transition(case=filed_case, name="take", by=agent)
    services.case_transition(case=filed_case, name="ask_documents", by=agent, comment="Illisible")
    city_client.force_login(resident)

    response = city_client.post(
        f"/dossiers/{filed_case.pk}/action/send_documents/",
        {
            "comment": "Voici la pièce",
            "documents": SimpleUploadedFile("nouvelle.pdf", TINY_PDF, "application/pdf"),
        },
    )

    assert response["Location"] == f"/dossiers/{filed_case.pk}/"
    filed_case.refresh_from_db()
    assert filed_case.status == "in_review"
    requested = Attachment.objects.get(case=filed_case, kind="requested")
    assert (requested.original_name, requested.uploaded_by) == ("nouvelle.pdf", resident)


def test_case_action__refuses_an_agent_transition_even_to_an_agent_filing_for_themself(
    city_client, procedure
):
    """In the front office an agent is a resident like any other: they cannot decide on
    their own request there."""
    agent_resident = factories.agent(procedure.authority, "agent.habitant@example.fr")
    case = factories.civil_status_case(procedure, agent_resident)
    city_client.force_login(agent_resident)

    response = city_client.post(
        f"/dossiers/{case.pk}/action/take/",
        {"documents": SimpleUploadedFile("x.pdf", TINY_PDF, "application/pdf")},
    )

    assert response["Location"] == f"/dossiers/{case.pk}/"
    case.refresh_from_db()
    assert case.status == "submitted"
    assert CaseTransition.objects.filter(case=case).count() == 1
    assert Attachment.objects.filter(case=case, kind="requested").count() == 0
