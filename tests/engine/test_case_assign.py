import pytest

from guichet.core.errors import DomainError
from guichet.core.models import AuditEvent
from guichet.engine import services
from tests import factories


def test_case_assign__to_an_agent_of_the_service_is_audited(filed_case, agent, city):
    colleague = factories.agent(city, "collegue@example.fr")

    services.case_assign(case=filed_case, agent=colleague, by=agent)

    filed_case.refresh_from_db()
    assert filed_case.assigned_to == colleague
    event = AuditEvent.objects.get(action=AuditEvent.Action.CASE_ASSIGNED)
    assert (event.actor, event.object_id, event.detail) == (
        agent,
        str(filed_case.pk),
        {"agent": colleague.pk},
    )


def test_case_assign__refuses_an_agent_of_another_service_and_changes_nothing(
    filed_case, agent, city
):
    roads_agent = factories.agent(city, "voirie@example.fr", services=("voirie",))

    with pytest.raises(DomainError) as error:
        services.case_assign(case=filed_case, agent=roads_agent, by=agent)

    assert error.value.message == "Cet agent ne traite pas les dossiers de ce service."
    filed_case.refresh_from_db()
    assert filed_case.assigned_to is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CASE_ASSIGNED).exists()


def test_case_correct__an_empty_answer_left_empty_is_not_a_correction(filed_case, agent):
    corrections = services.case_correct(
        case=filed_case, by=agent, answers={"phone": "", "copies": "2"}, reason="Erreur de saisie."
    )

    assert [(c.field_name, c.old_value, c.new_value) for c in corrections] == [("copies", "1", "2")]
