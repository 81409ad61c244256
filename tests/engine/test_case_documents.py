import io

from pypdf import PdfReader

from guichet.engine import services, tasks
from guichet.engine.models import Attachment


def _pdf_text(attachment: Attachment) -> str:
    with attachment.file.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_case_transition__accepting_produces_the_decision_pdf_once(
    filed_case, agent, django_capture_on_commit_callbacks
):
    services.case_transition(case=filed_case, name="take", by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(
            case=filed_case, name="accept", by=agent, comment="Envoyé par courrier."
        )
    decision_log = filed_case.transitions.get(to_status="accepted")

    replayed = tasks.case_document_generate.call(
        case_id=filed_case.pk, document="decision", transition_id=decision_log.pk
    )

    decisions = Attachment.objects.filter(case=filed_case, field_name=f"decision:{decision_log.pk}")
    assert replayed is False
    assert decisions.count() == 1
    decision = decisions.get()
    assert decision.original_name == f"decision-{filed_case.number}.pdf"
    text = _pdf_text(decision)
    assert "Décision" in text
    assert filed_case.number in text
    assert "Acte délivré" in text
    assert "Envoyé par courrier." in text


def test_case_receipt_generate__writes_number_and_tracking_code(filed_case):
    assert tasks.case_receipt_generate.call(case_id=filed_case.pk) is True
    assert tasks.case_receipt_generate.call(case_id=filed_case.pk) is False

    receipt = Attachment.objects.get(case=filed_case, field_name="receipt")
    text = _pdf_text(receipt)
    assert "Accusé de réception" in text
    assert filed_case.number in text
    assert filed_case.tracking_code in text
