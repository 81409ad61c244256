"""Documents produced after commit. Tasks take ids and do nothing when replayed."""

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from guichet.documents.pdf import pdf_render
from guichet.engine.definitions import Status, placeholders_fill
from guichet.engine.models import Attachment, Case, CaseTransition

DOCUMENT_TITLES = {"receipt": "Accusé de réception", "decision": "Décision"}


def case_pdf(*, case: Case, document: str, transition: CaseTransition | None = None) -> bytes:
    own = case.version.parsed.documents.get(document)
    if own is not None:
        # The authority's own document, written in the procedure builder.
        values = case_placeholders(case=case, comment=transition.comment if transition else "")
        return pdf_render(
            template="engine/pdf/procedure_text.html",
            context={
                "case": case,
                "authority": case.authority,
                "transition": transition,
                "title": placeholders_fill(own.title, values),
                "body": placeholders_fill(own.body, values),
            },
        )
    return pdf_render(
        template=f"engine/pdf/{document}.html",
        context={
            "case": case,
            "authority": case.authority,
            "transition": transition,
            "title": DOCUMENT_TITLES.get(document, document),
            "answers": case_answers_display(case=case),
        },
    )


def case_placeholders(*, case: Case, comment: str = "") -> dict[str, Any]:
    """The values of an authority's own e-mail and document texts: answers and case facts."""
    return {
        **case.data,
        "numero": case.number,
        "demarche": case.procedure.name,
        "statut": case.status_label,
        "collectivite": case.authority.name,
        "code_suivi": case.tracking_code,
        "demandeur": case.person_name,
        "commentaire": comment,
    }


def case_email_render(
    *, case: Case, template: str, status: Status | None, comment: str = ""
) -> tuple[str, dict[str, Any]]:
    """(file template, context) of an e-mail: the procedure's own text when it defines one
    under that code, else the shipped template of that name."""
    own = case.version.parsed.emails.get(template)
    if own is None:
        return template, {"case": case, "status": status, "comment": comment}
    values = case_placeholders(case=case, comment=comment)
    return "procedure_text", {
        "subject": placeholders_fill(own.title, values).replace("\n", " "),
        "body": placeholders_fill(own.body, values),
    }


def case_answers_display(*, case: Case) -> list[tuple[str, str]]:
    """(label, printable value) for every shown answer."""
    rows = []
    for spec in case.version.parsed.fields:
        if not spec.is_shown(case.data):
            continue
        value = case.data.get(spec.name)
        if value in (None, "", []):
            continue
        if spec.type == "file" and isinstance(value, dict):
            text = value.get("name", "")
        elif spec.type == "yes_no":
            text = "Oui" if value else "Non"
        elif spec.type in {"choice", "multiple_choice"}:
            labels = dict(spec.choices)
            values = value if isinstance(value, list) else [value]
            text = ", ".join(labels.get(v, v) for v in values)
        elif spec.type == "group":
            text = "; ".join(", ".join(str(v) for v in row.values() if v) for row in value)
        elif spec.type == "amount":
            text = f"{value} €"
        else:
            text = str(value)
        rows.append((spec.label, text))
    return rows


def _generated_store(
    *, case_id: int, key: str, filename: str, render: Callable[[Case], bytes]
) -> bool:
    """Renders outside any transaction, then stores under the case's row lock unless a
    replay (or a concurrent run) already stored the same document."""
    case = Case.objects.select_related("authority", "version", "service").get(pk=case_id)
    if case.attachments.filter(kind=Attachment.Kind.GENERATED, field_name=key).exists():
        return False
    content = render(case)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case_id).first()
        if case.attachments.filter(kind=Attachment.Kind.GENERATED, field_name=key).exists():
            return False
        Attachment.objects.create(
            authority_id=case.authority_id,
            case=case,
            kind=Attachment.Kind.GENERATED,
            field_name=key,
            file=ContentFile(content, name=filename),
            original_name=filename,
            content_type="application/pdf",
            size=len(content),
        )
    return True


@task()
def case_receipt_generate(*, case_id: int) -> bool:
    case = Case.objects.only("number").get(pk=case_id)
    return _generated_store(
        case_id=case_id,
        key="receipt",
        filename=f"accuse-reception-{case.number}.pdf",
        render=lambda case: case_pdf(case=case, document="receipt"),
    )


@task()
def case_document_generate(*, case_id: int, document: str, transition_id: int) -> bool:
    transition = CaseTransition.objects.select_related("actor", "case").get(
        pk=transition_id, case_id=case_id
    )
    return _generated_store(
        case_id=case_id,
        key=f"{document}:{transition_id}",
        filename=f"{document}-{transition.case.number}.pdf",
        render=lambda case: case_pdf(case=case, document=document, transition=transition),
    )
