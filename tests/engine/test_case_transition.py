import pytest

from guichet.core.errors import DomainError, ErrorCode
from guichet.engine import services
from guichet.engine.models import CaseTransition
from tests import factories


def _log(case):
    return list(
        CaseTransition.objects.filter(case=case).values_list(
            "from_status", "to_status", "actor", "comment"
        )
    )


def test_case_transition__allowed_role_moves_the_case_and_logs_actor_and_comment(
    filed_case, agent, resident
):
    case = services.case_transition(case=filed_case, name="take", by=agent, comment="  Vu.  ")

    assert case.status == "in_review"
    filed_case.refresh_from_db()
    assert filed_case.status == "in_review"
    assert _log(filed_case) == [
        ("draft", "submitted", resident.pk, ""),
        ("submitted", "in_review", agent.pk, "Vu."),
    ]


def test_case_transition__refuses_applicant_on_an_agent_transition(filed_case, resident):
    before = _log(filed_case)

    with pytest.raises(DomainError) as error:
        services.case_transition(case=filed_case, name="take", by=resident)

    assert error.value.code == ErrorCode.NOT_ALLOWED
    filed_case.refresh_from_db()
    assert filed_case.status == "submitted"
    assert _log(filed_case) == before


def test_case_transition__refuses_an_agent_of_another_service(city, filed_case):
    outsider = factories.agent(city, "voirie@example.fr", services=("voirie",))

    with pytest.raises(DomainError) as error:
        services.case_transition(case=filed_case, name="take", by=outsider)

    assert error.value.code == ErrorCode.NOT_ALLOWED
    filed_case.refresh_from_db()
    assert filed_case.status == "submitted"


def test_case_transition__refuses_without_required_comment(filed_case, agent):
    services.case_transition(case=filed_case, name="take", by=agent)
    before = _log(filed_case)

    with pytest.raises(DomainError) as error:
        services.case_transition(case=filed_case, name="reject", by=agent, comment="   ")

    assert error.value.code == ErrorCode.INVALID_DATA
    assert error.value.message == "Un commentaire est obligatoire pour cette action."
    filed_case.refresh_from_db()
    assert (filed_case.status, filed_case.closed_at) == ("in_review", None)
    assert _log(filed_case) == before


def test_case_transition__refuses_from_the_wrong_source_status(filed_case, agent):
    before = _log(filed_case)

    with pytest.raises(DomainError) as error:
        services.case_transition(case=filed_case, name="accept", by=agent)

    assert error.value.code == ErrorCode.INVALID_TRANSITION
    filed_case.refresh_from_db()
    assert filed_case.status == "submitted"
    assert _log(filed_case) == before


def test_case_transition__applicant_sends_requested_documents(filed_case, agent, resident):
    services.case_transition(case=filed_case, name="take", by=agent)
    services.case_transition(
        case=filed_case, name="ask_documents", by=agent, comment="Pièce illisible"
    )

    case = services.case_transition(case=filed_case, name="send_documents", by=resident)

    assert case.status == "in_review"
    assert _log(filed_case)[-1] == ("waiting_documents", "in_review", resident.pk, "")


def test_case_transition__final_status_closes_the_case(filed_case, agent):
    services.case_transition(case=filed_case, name="take", by=agent)

    case = services.case_transition(case=filed_case, name="accept", by=agent)

    filed_case.refresh_from_db()
    assert (case.status, filed_case.status) == ("accepted", "accepted")
    assert filed_case.closed_at is not None
