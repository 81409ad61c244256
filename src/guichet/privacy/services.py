"""RGPD by design: the retention sweep, a person's export and account closure.

Each writes a `PrivacyEvent`, so that what was done to personal data can be shown.
"""

import datetime
import json
import tempfile
import zipfile
from typing import IO, Any

from axes.models import AccessAttempt
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from guichet.accounts.models import User
from guichet.core.models import AuditEvent
from guichet.engine.models import (
    Attachment,
    Case,
    CaseCorrection,
    CaseTransition,
    InternalNote,
    Message,
    Procedure,
)
from guichet.privacy.models import CaseErasure, PrivacyEvent
from guichet.security.models import OidcIdentity
from guichet.tenants.models import Authority

DRAFT = "draft"


def _files_delete_on_commit(attachments: list[Attachment]) -> None:
    """Files go once the rows are gone for good (a rollback keeps both)."""
    names = [(attachment.file.storage, attachment.file.name) for attachment in attachments]

    def delete() -> None:
        for storage, name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def case_erase(*, case: Case) -> int:
    """Erases a case's personal data (answers, contact, applicant, files, messages, notes);
    its number, procedure, statuses and dates stay for the statistics. Returns the number
    of files deleted."""
    attachments = list(case.attachments.all())
    _files_delete_on_commit(attachments)
    Attachment.objects.filter(case=case).delete()
    Message.objects.filter(case=case).delete()
    InternalNote.objects.filter(case=case).delete()
    CaseCorrection.objects.filter(case=case).delete()
    CaseTransition.objects.filter(case=case).exclude(comment="").update(comment="")
    Case.objects.filter(pk=case.pk).update(data={}, contact={}, applicant=None, filed_by=None)
    CaseErasure.objects.get_or_create(authority_id=case.authority_id, case=case)
    return len(attachments)


@transaction.atomic
def retention_apply(*, authority: Authority, now: datetime.datetime) -> dict[str, int]:
    """Past their procedure's retention period, closed cases are anonymised; forgotten
    drafts and old logs are deleted. Recorded as one `PrivacyEvent`."""
    counts = {"cases_anonymised": 0, "files_deleted": 0, "drafts_deleted": 0, "logs_deleted": 0}
    for procedure in Procedure.objects.filter(authority=authority):
        cutoff = now - datetime.timedelta(days=procedure.retention_days)
        due = (
            Case.objects.filter(authority=authority, procedure=procedure, closed_at__lt=cutoff)
            .exclude(status=DRAFT)
            .filter(erasure__isnull=True)
        )
        for case in due.iterator():
            counts["files_deleted"] += case_erase(case=case)
            counts["cases_anonymised"] += 1
    draft_cutoff = now - datetime.timedelta(days=settings.GUICHET_DRAFT_RETENTION_DAYS)
    drafts = Case.objects.filter(authority=authority, status=DRAFT, updated_at__lt=draft_cutoff)
    attachments = list(Attachment.objects.filter(case__in=drafts))
    _files_delete_on_commit(attachments)
    counts["files_deleted"] += len(attachments)
    for draft in drafts:
        draft.delete()
        counts["drafts_deleted"] += 1
    log_cutoff = now - datetime.timedelta(days=settings.GUICHET_LOG_RETENTION_DAYS)
    counts["logs_deleted"], _ = AuditEvent.objects.filter(
        authority=authority, at__lt=log_cutoff
    ).delete()
    PrivacyEvent.objects.create(
        authority=authority, kind=PrivacyEvent.Kind.RETENTION_SWEEP, detail=counts
    )
    return counts


def retention_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every authority not swept in the last GUICHET_RETENTION_SWEEP_HOURS (the worker
    runs its sweeps every few minutes; this one is daily), then the login-failure records."""
    now = now or timezone.now()
    recent = now - datetime.timedelta(hours=settings.GUICHET_RETENTION_SWEEP_HOURS)
    swept = PrivacyEvent.objects.filter(
        kind=PrivacyEvent.Kind.RETENTION_SWEEP, at__gt=recent
    ).values("authority_id")
    total: dict[str, int] = {}
    for authority in Authority.objects.exclude(pk__in=swept):
        for key, value in retention_apply(authority=authority, now=now).items():
            total[key] = total.get(key, 0) + value
    log_cutoff = now - datetime.timedelta(days=settings.GUICHET_LOG_RETENTION_DAYS)
    total["login_failures_deleted"], _ = AccessAttempt.objects.filter(
        attempt_time__lt=log_cutoff
    ).delete()
    return total


# --- A person's rights: access (export) and erasure (closure) -------------------------------


def _person_cases(user: User) -> Any:
    return (
        Case.objects.filter(authority_id=user.authority_id)
        .filter(Q(applicant=user) | Q(filed_by=user))
        .select_related("procedure")
        .order_by("created_at", "id")
    )


def person_data(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about the person, as plain data."""
    cases = []
    for case in _person_cases(user):
        cases.append(
            {
                "number": case.number,
                "procedure": case.procedure.name,
                "status": case.status,
                "status_label": str(case.status_label),
                "created_at": case.created_at,
                "submitted_at": case.submitted_at,
                "closed_at": case.closed_at,
                "answers": case.data,
                "contact": case.contact,
                "history": [
                    {"from": t.from_status, "to": t.to_status, "at": t.at, "comment": t.comment}
                    for t in case.transitions.all()
                ],
                "messages": [
                    {"from_me": m.is_from_applicant, "body": m.body, "at": m.at}
                    for m in case.messages.all()
                ],
                "files": [
                    {
                        "name": a.original_name,
                        "type": a.content_type,
                        "size": a.size,
                        "uploaded_at": a.uploaded_at,
                        "path": _attachment_path(case, a),
                    }
                    for a in case.attachments.all()
                ],
            }
        )
    return {
        "generated_at": timezone.now(),
        "authority": user.authority.name if user.authority else "",
        "account": {
            "email": user.email,
            "email_verified": user.is_email_verified,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "address": user.address,
            "birth_date": user.birth_date,
            "created_at": user.date_joined,
            "last_login": user.last_login,
        },
        "identities": [
            {"provider": i.provider, "linked_at": i.created_at, "last_login_at": i.last_login_at}
            for i in OidcIdentity.objects.filter(user=user)
        ],
        "cases": cases,
    }


def _attachment_path(case: Case, attachment: Attachment) -> str:
    folder = case.number or f"brouillon-{case.pk}"
    return f"dossiers/{folder}/{attachment.pk}-{attachment.original_name}"


def person_export(*, user: User) -> IO[bytes]:
    """A ZIP: `donnees.json` and every file the person sent or received."""
    data = person_data(user=user)
    handle = tempfile.TemporaryFile()
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for case in _person_cases(user):
            for attachment in case.attachments.all():
                with attachment.file.open("rb") as source:
                    archive.writestr(_attachment_path(case, attachment), source.read())
    handle.seek(0)
    PrivacyEvent.objects.create(
        authority_id=user.authority_id,
        kind=PrivacyEvent.Kind.DATA_EXPORTED,
        subject_id=user.pk,
        detail={"cases": len(data["cases"])},
    )
    return handle


@transaction.atomic
def account_close(*, user: User) -> dict[str, int]:
    """The person leaves: drafts deleted; filed cases go on under the contact details copied
    into them (the authority must finish them and keep them for their retention period);
    the account is emptied and can no longer log in."""
    drafts = list(_person_cases(user).filter(status=DRAFT))
    attachments = list(Attachment.objects.filter(case__in=drafts))
    _files_delete_on_commit(attachments)
    for draft in drafts:
        draft.delete()
    kept = 0
    for case in _person_cases(user):
        if case.applicant_id == user.pk and not case.contact.get("last_name"):
            case.contact = {
                **case.contact,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
            }
            case.save(update_fields=["contact"])
        kept += 1
    OidcIdentity.objects.filter(user=user).delete()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    user.email = f"compte-ferme-{user.pk}@invalid"
    user.username = f"closed:{user.pk}"
    user.first_name = user.last_name = user.phone = user.address = ""
    user.birth_date = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    detail = {"drafts_deleted": len(drafts), "cases_kept": kept}
    PrivacyEvent.objects.create(
        authority_id=user.authority_id,
        kind=PrivacyEvent.Kind.ACCOUNT_CLOSED,
        subject_id=user.pk,
        detail=detail,
    )
    return detail
