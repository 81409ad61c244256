"""Documents produced after a subsidy decision. Tasks take ids and do nothing when replayed."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from guichet.associations.models import SubsidyApplication
from guichet.documents.pdf import pdf_render
from guichet.engine.models import Attachment, Case


def subsidy_pdf(*, application: SubsidyApplication, document: str) -> bytes:
    case = application.case
    return pdf_render(
        template=f"associations/pdf/{document}.html",
        context={
            "application": application,
            "case": case,
            "authority": case.authority,
            "organisation": application.organisation,
            "instalments": list(application.instalments.all()),
            "decision": case.transitions.filter(to_status__in=["granted", "refused"]).last(),
            "threshold": settings.GUICHET_SUBSIDY_AGREEMENT_THRESHOLD,
            "reference": case.number,
            "title": TITLES[document],
        },
    )


def _store(*, case: Case, key: str, filename: str, content: bytes) -> bool:
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
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


def subsidy_documents_needed(*, application: SubsidyApplication) -> list[str]:
    """The notification letter always; the agreement above the legal threshold (23,000 €)."""
    documents = ["notification"]
    granted = application.amount_granted or 0
    if granted > settings.GUICHET_SUBSIDY_AGREEMENT_THRESHOLD:
        documents.append("agreement")
    return documents


TITLES = {"notification": "Notification de décision", "agreement": "Convention"}
FILENAMES = {"notification": "notification-{number}.pdf", "agreement": "convention-{number}.pdf"}


@task()
def subsidy_documents_generate(*, application_id: int) -> list[str]:
    """Renders outside any transaction, stores under the case's row lock."""
    application = SubsidyApplication.objects.select_related(
        "case", "case__authority", "case__service", "case__version", "organisation"
    ).get(pk=application_id)
    case = application.case
    stored = []
    for document in subsidy_documents_needed(application=application):
        if case.attachments.filter(kind=Attachment.Kind.GENERATED, field_name=document).exists():
            continue
        content = subsidy_pdf(application=application, document=document)
        filename = FILENAMES[document].format(number=case.number)
        if _store(case=case, key=document, filename=filename, content=content):
            stored.append(document)
    return stored
