"""Social aid (APA, PCH, RSA): application, documents, assessment, decision, payment plan,
followed online by the beneficiary. Writes here, one transaction each; the engine case
carries the workflow, messages and documents."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import User
from guichet.core.errors import DomainError, ErrorCode
from guichet.documents.pdf import pdf_render
from guichet.engine import services as engine
from guichet.engine.models import Attachment, Case
from guichet.individuals.models import (
    AidApplication,
    AidDocument,
    AidInstalment,
    AidKind,
    SituationChange,
)
from guichet.individuals.school import money
from guichet.individuals.selectors import procedure_by_slug
from guichet.tenants.models import Authority

AID_PROCEDURE = "aide-sociale"
CHANGE_PROCEDURE = "changement-situation"
# APA is for the most dependent: GIR 1 to 4 (code de l'action sociale, art. R232-3).
APA_ELIGIBLE_GIR = range(1, 5)
PLAN_MONTHS = 12

CHECKLISTS = {
    AidKind.APA: [
        ("identity", gettext_lazy("Pièce d'identité")),
        ("tax_notice", gettext_lazy("Dernier avis d'imposition")),
        ("bank_details", gettext_lazy("Relevé d'identité bancaire")),
    ],
    AidKind.PCH: [
        ("identity", gettext_lazy("Pièce d'identité")),
        ("medical_certificate", gettext_lazy("Certificat médical de moins d'un an")),
        ("bank_details", gettext_lazy("Relevé d'identité bancaire")),
    ],
    AidKind.RSA: [
        ("identity", gettext_lazy("Pièce d'identité")),
        ("resources", gettext_lazy("Justificatifs de ressources des trois derniers mois")),
        ("bank_details", gettext_lazy("Relevé d'identité bancaire")),
    ],
}


@transaction.atomic
def aid_apply(
    *,
    authority: Authority,
    applicant: User,
    kind: str,
    household_size: int,
    household: str,
    monthly_resources: Decimal,
) -> AidApplication:
    """Files an application and asks for the documents of the aid's checklist."""
    if kind not in AidKind.values:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez une aide."))
    if monthly_resources < 0 or household_size < 1:
        raise DomainError(ErrorCode.INVALID_DATA, _("Le foyer ou les ressources sont invalides."))
    procedure = procedure_by_slug(authority=authority, slug=AID_PROCEDURE)
    case = engine.case_start(procedure=procedure, applicant=applicant)
    engine.case_answers_save(
        case=case,
        answers={
            "kind": kind,
            "household_size": household_size,
            "household": household,
            "monthly_resources": str(money(monthly_resources)),
        },
        uploads={},
        by=applicant,
    )
    case = engine.case_submit(case=case, by=applicant)
    application = AidApplication.objects.create(
        authority=authority,
        case=case,
        kind=kind,
        household_size=household_size,
        household=household,
        monthly_resources=money(monthly_resources),
    )
    AidDocument.objects.bulk_create(
        AidDocument(authority=authority, application=application, code=code, label=str(label))
        for code, label in CHECKLISTS[AidKind(kind)]
    )
    return application


@transaction.atomic
def aid_document_send(
    *, application: AidApplication, code: str, upload: UploadedFile, by: User
) -> AidDocument:
    """The beneficiary sends a document of the checklist (again, to replace it). When the
    case waited for documents and none is missing, it goes back to the service."""
    document = application.documents.filter(code=code).first()
    if document is None:
        raise DomainError(ErrorCode.INVALID_DATA, _("Cette pièce n'est pas demandée."))
    attachment = Attachment.objects.create(
        authority_id=application.authority_id,
        case=application.case,
        kind=Attachment.Kind.REQUESTED,
        field_name=f"aid:{code}",
        file=upload,
        original_name=upload.name or "document",
        content_type=getattr(upload, "sniffed_type", upload.content_type or ""),
        size=upload.size or 0,
        uploaded_by=by,
    )
    document.attachment = attachment
    document.save(update_fields=["attachment"])
    case = application.case
    case.refresh_from_db(fields=["status", "closed_at"])
    complete = not application.documents.filter(attachment__isnull=True).exists()
    if complete and case.status == "waiting_documents":
        engine.case_transition(case=case, name="send_documents", by=by)
    return document


@transaction.atomic
def aid_appointment_set(
    *, application: AidApplication, at: datetime.datetime, place: str, by: User
) -> AidApplication:
    """Sets the assessment appointment (at home for APA) and tells the beneficiary."""
    case = application.case
    case.refresh_from_db(fields=["status", "closed_at"])
    if case.status == "submitted":
        application.case = case = engine.case_transition(case=case, name="assess", by=by)
    elif case.status != "assessment":
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Le dossier n'est pas à l'étape de l'évaluation.")
        )
    application.appointment_at = at
    application.appointment_place = place
    application.save(update_fields=["appointment_at", "appointment_place"])
    engine.message_send(
        case=case,
        by=by,
        body=_("Rendez-vous d'évaluation le %(date)s, %(place)s.")
        % {"date": date_format(at, "DATETIME_FORMAT"), "place": place},
    )
    return application


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


@transaction.atomic
def aid_decide(
    *,
    application: AidApplication,
    by: User,
    monthly_amount: Decimal,
    start_date: datetime.date,
    gir: int | None = None,
) -> AidApplication:
    """Grants the aid: the amount, the start date, the payment plan (12 monthly payments
    from the start month), the notification letter (PDF) on the case."""
    if application.kind == AidKind.APA:
        if gir is None or not 1 <= gir <= 6:
            raise DomainError(ErrorCode.INVALID_DATA, _("Indiquez le GIR, de 1 à 6."))
        if gir not in APA_ELIGIBLE_GIR:
            raise DomainError(
                ErrorCode.NOT_ALLOWED,
                _("L'APA est accordée aux GIR 1 à 4 ; en GIR %(gir)s, refusez l'aide.")
                % {"gir": gir},
            )
    if monthly_amount <= 0:
        raise DomainError(ErrorCode.INVALID_DATA, _("Le montant doit être positif."))
    case = application.case
    case.refresh_from_db(fields=["status", "closed_at"])
    if case.status != "assessment":
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Le dossier n'est pas à l'étape de l'évaluation.")
        )
    application.gir = gir
    application.monthly_amount = money(monthly_amount)
    application.start_date = start_date
    application.decided_at = timezone.now()
    comment = _("%(amount)s € par mois à partir du %(start)s.") % {
        "amount": application.monthly_amount,
        "start": date_format(start_date, "DATE_FORMAT"),
    }
    application.case = case = engine.case_transition(
        case=case, name="grant", by=by, comment=comment
    )
    first = _first_of_month(start_date)
    AidInstalment.objects.bulk_create(
        AidInstalment(
            authority_id=application.authority_id,
            application=application,
            due_date=_add_months(first, month),
            amount=application.monthly_amount,
        )
        for month in range(PLAN_MONTHS)
    )
    application.letter = _letter_attach(application=application, case=case)
    application.save(update_fields=["gir", "monthly_amount", "start_date", "decided_at", "letter"])
    return application


def _letter_attach(*, application: AidApplication, case: Case) -> Attachment:
    content = pdf_render(
        template="individuals/pdf/aid_letter.html",
        context={
            "application": application,
            "case": case,
            "authority": case.authority,
            "instalments": list(application.instalments.all()),
        },
    )
    name = f"notification-{case.number}.pdf"
    return Attachment.objects.create(
        authority_id=case.authority_id,
        case=case,
        kind=Attachment.Kind.GENERATED,
        field_name="aid:letter",
        file=ContentFile(content, name=name),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
    )


@transaction.atomic
def aid_refuse(
    *, application: AidApplication, by: User, reason: str, gir: int | None = None
) -> AidApplication:
    if gir is not None and not 1 <= gir <= 6:
        raise DomainError(ErrorCode.INVALID_DATA, _("Indiquez le GIR, de 1 à 6."))
    application.case = engine.case_transition(
        case=application.case, name="refuse", by=by, comment=reason
    )
    application.gir = gir
    application.decided_at = timezone.now()
    application.save(update_fields=["gir", "decided_at"])
    return application


@transaction.atomic
def situation_change_report(
    *, application: AidApplication, by: User, change_date: datetime.date, description: str
) -> SituationChange:
    """A change of situation: its own case, linked to the aid's."""
    if not description.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Dites ce qui a changé."))
    procedure = procedure_by_slug(authority=application.case.authority, slug=CHANGE_PROCEDURE)
    case = engine.case_start(procedure=procedure, applicant=by)
    engine.case_answers_save(
        case=case,
        answers={"change_date": change_date.isoformat(), "description": description.strip()},
        uploads={},
        by=by,
    )
    case = engine.case_submit(case=case, by=by)
    return SituationChange.objects.create(
        authority_id=application.authority_id, application=application, case=case
    )
