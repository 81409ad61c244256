import pytest
from django.core import mail

from guichet.core.errors import DomainError
from guichet.engine import services
from guichet.engine.models import Case, CaseTransition
from tests import factories


def test_case_submit__numbers_the_case_and_logs_the_initial_status(procedure, resident):
    draft = factories.civil_status_draft(procedure, resident)

    case = services.case_submit(case=draft, by=resident)

    assert case.number.endswith("-ACTE-000001")
    assert case.status == "submitted"
    log = CaseTransition.objects.get(case=case)
    assert (log.from_status, log.to_status, log.actor) == ("draft", "submitted", resident)


def test_case_submit__twice_files_once(procedure, resident):
    draft = factories.civil_status_draft(procedure, resident)

    first = services.case_submit(case=draft, by=resident)
    second = services.case_submit(case=draft, by=resident)

    assert first.number == second.number
    assert CaseTransition.objects.filter(case=draft).count() == 1


def test_case_submit__rejects_incomplete_form_and_changes_nothing(procedure, resident):
    case = services.case_start(procedure=procedure, applicant=resident)

    with pytest.raises(DomainError) as error:
        services.case_submit(case=case, by=resident)

    assert "Type d'acte" in error.value.message
    case.refresh_from_db()
    assert (case.status, case.number) == ("draft", "")


def test_case_submit__sends_the_receipt_after_commit(
    procedure, resident, django_capture_on_commit_callbacks
):
    draft = factories.civil_status_draft(procedure, resident)

    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_submit(case=draft, by=resident)

    receipts = [m for m in mail.outbox if m.to == [resident.email]]
    assert len(receipts) == 1
    assert receipts[0].subject == f"[Ville A] Votre demande {case.number} a bien été reçue"
    assert case.tracking_code in receipts[0].body
    assert Case.objects.get(pk=case.pk).attachments.filter(field_name="receipt").count() == 1
