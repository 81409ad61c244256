from django.core import mail

from guichet.core.models import AuditEvent
from guichet.engine.models import CaseCorrection
from tests import factories


def _answers(**overrides):
    answers = {
        key: value for key, value in factories.CIVIL_STATUS_ANSWERS.items() if key != "id_document"
    }
    return answers | overrides


def test_correct__form_is_prefilled_without_file_fields(agent_client, filed_case):
    content = agent_client.get(f"/agents/dossiers/{filed_case.pk}/corriger/").content.decode()

    assert 'name="last_name" value="Martin"' in content
    assert 'name="id_document"' not in content


def test_correct__traces_each_change_and_tells_the_resident(
    agent_client, filed_case, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            f"/agents/dossiers/{filed_case.pk}/corriger/",
            _answers(last_name="Martine", reason="Faute de frappe signalée au guichet"),
        )

    assert response.status_code == 302
    filed_case.refresh_from_db()
    assert filed_case.data["last_name"] == "Martine"
    corrections = list(
        CaseCorrection.objects.values_list(
            "field_name", "old_value", "new_value", "reason", "agent"
        )
    )
    assert corrections == [
        ("last_name", "Martin", "Martine", "Faute de frappe signalée au guichet", agent.pk)
    ]
    assert [m.to for m in mail.outbox] == [["camille@example.fr"]]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CASE_EDITED).count() == 1


def test_correct__requires_a_reason_and_changes_nothing(agent_client, filed_case):
    response = agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/corriger/", _answers(last_name="Martine")
    )

    assert response.status_code == 422
    assert "Raison de la correction (communiquée au demandeur) : Ce champ est obligatoire." in (
        response.content.decode()
    )
    filed_case.refresh_from_db()
    assert filed_case.data["last_name"] == "Martin"
    assert CaseCorrection.objects.count() == 0
