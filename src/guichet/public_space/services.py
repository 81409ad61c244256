"""Writes for street reports: filing, following, triage, work orders and closing."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Service, User
from guichet.core.audit import audit_record
from guichet.core.errors import DomainError, ErrorCode
from guichet.documents.images import ImageError, image_reencode
from guichet.engine.models import CaseCounter
from guichet.interventions import services as interventions
from guichet.interventions.models import WorkOrder, WorkOrderPhoto
from guichet.interventions.signals import work_order_done
from guichet.notifications.services import email_queue
from guichet.public_space.models import Category, Report, ReportFollower, ReportPhoto, ReportUpdate

MAX_PHOTOS = 3
DESCRIPTION_MAX = 4000


def _next_number(authority_id: int) -> str:
    """The engine's per-authority yearly counter (code "SIG"): the UPDATE takes the row
    lock, so concurrent filings queue and each gets its own number."""
    year = timezone.localdate().year
    counter, _created = CaseCounter.objects.get_or_create(
        authority_id=authority_id, code="SIG", year=year
    )
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{year}-SIG-{counter.last:06d}"


def answers_clean(category: Category, raw: dict[str, Any]) -> dict[str, Any]:
    """The extra questions' answers, checked against the category (lists: known keys only)."""
    answers: dict[str, Any] = {}
    errors = []
    for question in category.questions:
        code, kind = question["code"], question.get("type", "string")
        value = raw.get(code)
        if kind == "multivaluelist":
            values = [v for v in (value if isinstance(value, list) else [value]) if v]
            known = {item["key"] for item in question.get("values", [])}
            if any(v not in known for v in values):
                errors.append(question["label"])
                continue
            value = values
        else:
            value = (value[0] if isinstance(value, list) and value else value or "").strip()
            known = {item["key"] for item in question.get("values", [])}
            if kind == "singlevaluelist" and value and value not in known:
                errors.append(question["label"])
                continue
            if kind == "number" and value:
                try:
                    Decimal(value)
                except ArithmeticError:
                    errors.append(question["label"])
                    continue
        if question.get("required") and not value:
            errors.append(question["label"])
            continue
        if value:
            answers[code] = value
    if errors:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Réponse manquante ou invalide : %(fields)s.") % {"fields": ", ".join(errors)},
        )
    return answers


def _update(report: Report, description: str = "", photo: Any = None) -> ReportUpdate:
    update = ReportUpdate(
        report=report, status=report.status, description=description, created_at=timezone.now()
    )
    if photo:
        update.photo.name = photo.name  # the same stored file, already without metadata
    update.save()
    return update


def _photo_add(report: Report, upload: UploadedFile, index: int) -> ReportPhoto:
    try:
        clean = image_reencode(upload, name=f"{report.number}-{index}")
    except ImageError as error:
        raise DomainError(
            ErrorCode.INVALID_FILE, _("La photo n'est pas une image lisible (JPEG ou PNG).")
        ) from error
    photo = ReportPhoto(report=report)
    photo.image.save(clean.name, clean, save=True)
    return photo


@transaction.atomic
def report_file(
    *,
    category: Category,
    description: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address: str = "",
    photos: Iterable[UploadedFile] = (),
    answers: dict[str, Any] | None = None,
    reporter: User | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    media_url: str = "",
    channel: str = Report.Channel.WEB,
    submission: str = "",
) -> Report:
    """Files a report; the same `submission` key twice gives back the first report."""
    if submission:
        already = Report.objects.filter(
            authority_id=category.authority_id, submission=submission
        ).first()
        if already is not None:
            return already
    description = (description or "").strip()
    if not description or len(description) > DESCRIPTION_MAX:
        raise DomainError(
            ErrorCode.INVALID_DATA, _("Décrivez le problème (4 000 caractères au plus).")
        )
    if latitude is None and not address.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Indiquez un emplacement ou une adresse."))
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(ErrorCode.INVALID_FILE, _("Trois photos au plus."))
    now = timezone.now()
    if reporter is not None and not contact_email:
        contact_email = reporter.email
    fields = dict(
        authority_id=category.authority_id,
        number=_next_number(category.authority_id),
        category=category,
        service=category.service,
        channel=channel,
        latitude=latitude,
        longitude=longitude,
        address=address.strip()[:300],
        description=description,
        answers=answers_clean(category, answers or {}),
        reporter=reporter,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        media_url=media_url,
        submission=submission[:36],
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(**fields)
    except IntegrityError:
        if not submission:
            raise
        return Report.objects.get(authority_id=category.authority_id, submission=submission)
    for index, upload in enumerate(photos, start=1):
        _photo_add(report, upload, index)
    _update(report, _("Signalement reçu."))
    audit_record(
        authority_id=report.authority_id,
        actor_id=reporter.pk if reporter else None,
        action="report.file",
        obj=report,
        detail={"channel": channel},
    )
    email_queue(
        authority=category.authority,
        to=report.contact_email,
        template="report_received",
        context={"report": report},
    )
    email_queue(
        authority=category.authority,
        to=category.service.email,
        template="report_to_service",
        context={"report": report},
    )
    return report


def report_follow(*, report: Report, email: str, user: User | None = None) -> ReportFollower:
    """A "+1": one row per e-mail (a second click changes nothing)."""
    if not report.is_open:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Ce signalement est déjà clos."))
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(ErrorCode.INVALID_DATA, _("Indiquez votre courriel pour être prévenu."))
    try:
        with transaction.atomic():
            follower, created = ReportFollower.objects.get_or_create(
                report=report, email=email, defaults={"user": user}
            )
    except IntegrityError:
        return ReportFollower.objects.get(report=report, email=email)
    if created:
        email_queue(
            authority=report.authority,
            to=email,
            template="report_followed",
            context={"report": report},
        )
    return follower


def _recipients(report: Report) -> list[str]:
    emails = [report.contact_email] if report.contact_email else []
    emails += [f.email for f in report.followers.all()]
    for duplicate in report.duplicates.all():
        if duplicate.contact_email:
            emails.append(duplicate.contact_email)
        emails += [f.email for f in duplicate.followers.all()]
    return sorted({e.lower() for e in emails if e})


def _notify_all(
    report: Report, template: str, context: dict[str, Any], attachment_path: str = ""
) -> None:
    for email in _recipients(report):
        email_queue(
            authority=report.authority,
            to=email,
            template=template,
            context={"report": report, **context},
            attachment_path=attachment_path,
        )


def _set_status(report: Report, status: str, *, by: User | None, note: str = "") -> Report:
    now = timezone.now()
    report.status = status
    report.updated_at = now
    report.closed_at = None if status in Report.OPEN else now
    report.save(update_fields=["status", "updated_at", "closed_at", "status_notes"])
    audit_record(
        authority_id=report.authority_id,
        actor_id=by.pk if by else None,
        action=f"report.{status}",
        obj=report,
    )
    return report


def _locked(report: Report, *, open_only: bool = True) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if open_only and not report.is_open:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Ce signalement est déjà clos."))
    return report


@transaction.atomic
def report_accept(*, report: Report, by: User) -> Report:
    report = _locked(report)
    if report.status != Report.Status.SUBMITTED:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Ce signalement est déjà pris en compte."))
    _set_status(report, Report.Status.ACCEPTED, by=by)
    _update(report, _("Signalement pris en compte par le service."))
    _notify_all(report, "report_status", {})
    return report


@transaction.atomic
def report_reject(*, report: Report, by: User, message: str, competent_body: str) -> Report:
    """Outside the authority's competence: closed, with who to turn to."""
    if not message.strip() or not competent_body.strip():
        raise DomainError(
            ErrorCode.INVALID_DATA, _("Indiquez le message et l'organisme compétent.")
        )
    report = _locked(report)
    report.status_notes = message.strip()
    report.competent_body = competent_body.strip()
    report.save(update_fields=["status_notes", "competent_body"])
    _set_status(report, Report.Status.REJECTED, by=by)
    _update(
        report,
        _("Hors de la compétence de la collectivité : %(body)s. %(message)s")
        % {"body": report.competent_body, "message": report.status_notes},
    )
    _notify_all(report, "report_rejected", {})
    return report


@transaction.atomic
def report_merge(*, report: Report, into: Report, by: User) -> Report:
    """A duplicate: closed, its reporter and followers now follow `into`."""
    if report.pk == into.pk or report.authority_id != into.authority_id:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez un autre signalement."))
    report = _locked(report)
    into = _locked(into)
    report.duplicate_of = into
    report.save(update_fields=["duplicate_of"])
    _set_status(report, Report.Status.MERGED, by=by)
    _update(report, _("Même problème que le signalement %(number)s.") % {"number": into.number})
    for email in [report.contact_email, *(f.email for f in report.followers.all())]:
        if email:
            ReportFollower.objects.get_or_create(report=into, email=email.lower())
    _notify_all(report, "report_merged", {"into": into})
    return report


@transaction.atomic
def report_reroute(*, report: Report, category: Category, by: User) -> Report:
    """To another category, hence to its service."""
    if category.authority_id != report.authority_id:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Catégorie d'une autre collectivité."))
    report = _locked(report)
    previous = report.service
    report.category = category
    report.service = category.service
    report.updated_at = timezone.now()
    report.save(update_fields=["category", "service", "updated_at"])
    audit_record(
        authority_id=report.authority_id,
        actor_id=by.pk,
        action="report.reroute",
        obj=report,
        detail={"from": previous.slug, "to": category.service.slug},
    )
    email_queue(
        authority=report.authority,
        to=category.service.email,
        template="report_to_service",
        context={"report": report},
    )
    return report


def report_photo_publish(*, photo: ReportPhoto, by: User, public: bool = True) -> ReportPhoto:
    photo.is_public = public
    photo.save(update_fields=["is_public"])
    audit_record(
        authority_id=photo.report.authority_id,
        actor_id=by.pk,
        action="report.photo_publish" if public else "report.photo_hide",
        obj=photo.report,
        detail={"photo": photo.pk},
    )
    return photo


def _open_work_order(report: Report) -> bool:
    return (
        WorkOrder.objects.filter(
            sources__content_type__app_label="public_space",
            sources__content_type__model="report",
            sources__object_id=report.pk,
        )
        .exclude(status=WorkOrder.Status.DONE)
        .exists()
    )


@transaction.atomic
def reports_work_order_create(
    *,
    reports: list[Report],
    by: User,
    service: Service | None = None,
    title: str = "",
    **fields: Any,
) -> WorkOrder:
    """A work order answering `reports` (or none): they become "intervention programmée"."""
    if not reports and service is None:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez un service."))
    for report in reports:
        if report.status == Report.Status.SCHEDULED and _open_work_order(report):
            raise DomainError(
                ErrorCode.ALREADY_DONE,
                _("Un bon d'intervention est déjà en cours pour le signalement %(number)s.")
                % {"number": report.number},
            )
    service = service or reports[0].service
    title = title or (reports[0].category.name if reports else "")
    work_order = interventions.work_order_create(
        service=service, title=title, by=by, sources=reports, **fields
    )
    for report in reports:
        report = _locked(report)
        _set_status(report, Report.Status.SCHEDULED, by=by)
        planned: datetime.date | None = fields.get("planned_date")
        _update(
            report,
            _("Intervention programmée le %(date)s.") % {"date": planned.strftime("%d/%m/%Y")}
            if planned
            else _("Intervention programmée."),
        )
        _notify_all(report, "report_status", {})
    return work_order


@receiver(work_order_done, sender=WorkOrder, dispatch_uid="public_space_reports_close")
def _reports_close(
    sender: Any,
    work_order: WorkOrder,
    sources: list[Any],
    after_photo: WorkOrderPhoto | None,
    by: User,
    **kwargs: Any,
) -> None:
    """Closing the work order closes its reports and tells each reporter and follower."""
    for source in sources:
        if not isinstance(source, Report) or not source.is_open:
            continue
        report = _locked(source)
        _set_status(report, Report.Status.FIXED, by=by)
        photo = after_photo.image if after_photo else None
        update = _update(report, work_order.comment or _("Problème résolu."), photo)
        _notify_all(
            report,
            "report_fixed",
            {"update": update, "work_order": work_order},
            attachment_path=update.photo.name if update.photo else "",
        )
