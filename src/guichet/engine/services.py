"""Writes on procedures and cases. Each is one transaction; side effects run after commit."""

import datetime
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Min
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Service, User
from guichet.core.audit import audit_record
from guichet.core.errors import DomainError, ErrorCode
from guichet.core.models import AuditEvent
from guichet.documents.archives import zip_file
from guichet.documents.pdf import pdf_render
from guichet.engine import builder, tasks
from guichet.engine.definitions import APPLICANT, Status
from guichet.engine.instruction import transition_check_generic
from guichet.engine.models import (
    DRAFT,
    Attachment,
    Case,
    CaseCorrection,
    CaseCounter,
    CaseTransition,
    Channel,
    Deadline,
    InternalNote,
    Message,
    Procedure,
    ProcedureVersion,
    Satisfaction,
)
from guichet.engine.selectors import (
    agents_for_case,
    case_get_for_agent,
    case_roles,
    case_timeline,
    procedure_current_version,
)
from guichet.notifications.services import email_queue
from guichet.tenants.models import Authority

# An empty field left empty is not a correction.
EMPTY_ANSWERS = (None, "", [])
PROCEDURE_KEYS = ("code", "slug", "name", "description", "domain", "audience", "retention_days")


# --- Procedures -------------------------------------------------------------------------


@transaction.atomic
def procedure_import(*, authority: Authority, raw: dict[str, Any]) -> ProcedureVersion:
    """Creates or updates a procedure from its exported form and publishes the definition
    as a new version when it changed. Published versions are never modified."""
    # Refuses an invalid definition before anything is written, every problem with its path.
    builder.definition_check(raw, whole=True)
    definition = builder.definition_versioned(raw)
    service = Service.objects.filter(authority=authority, slug=raw["service"]).first()
    if service is None:
        raise DomainError(ErrorCode.INVALID_DATA, f"Unknown service {raw['service']!r}")
    procedure, _created = Procedure.objects.update_or_create(
        authority=authority,
        slug=raw["slug"],
        defaults={key: raw[key] for key in PROCEDURE_KEYS if key in raw} | {"service": service},
    )
    current = procedure_current_version(procedure=procedure)
    if current is not None and current.definition == definition:
        return current
    number = (current.number if current else 0) + 1
    return ProcedureVersion.objects.create(
        authority=authority,
        procedure=procedure,
        number=number,
        definition=definition,
        published_at=timezone.now(),
    )


def procedure_export(*, procedure: Procedure) -> dict[str, Any]:
    version = procedure_current_version(procedure=procedure)
    exported: dict[str, Any] = {key: getattr(procedure, key) for key in PROCEDURE_KEYS}
    exported["service"] = procedure.service.slug
    if version is not None:
        exported |= version.definition
    return exported


# --- Drafts and submission ----------------------------------------------------------------


def case_start(
    *,
    procedure: Procedure,
    applicant: User | None,
    channel: str = Channel.WEB,
    filed_by: User | None = None,
    contact: dict[str, str] | None = None,
) -> Case:
    version = procedure_current_version(procedure=procedure)
    if version is None:
        raise DomainError(ErrorCode.NOT_PUBLISHED, _("Cette démarche n'est pas publiée."))
    if channel not in version.parsed.channels:
        raise DomainError(
            ErrorCode.NOT_ALLOWED, _("Cette démarche n'est pas ouverte par ce canal.")
        )
    return Case.objects.create(
        authority_id=procedure.authority_id,
        procedure=procedure,
        version=version,
        service_id=procedure.service_id,
        channel=channel,
        applicant=applicant,
        filed_by=filed_by,
        contact=contact or {},
    )


def _attach(
    *, case: Case, upload: UploadedFile, kind: str, by: User | None, field_name: str = ""
) -> Attachment:
    return Attachment.objects.create(
        authority_id=case.authority_id,
        case=case,
        kind=kind,
        field_name=field_name,
        file=upload,
        original_name=upload.name or "document",
        content_type=getattr(upload, "sniffed_type", upload.content_type or ""),
        size=upload.size or 0,
        uploaded_by=by,
    )


@transaction.atomic
def case_answers_save(
    *,
    case: Case,
    answers: dict[str, Any],
    uploads: dict[str, UploadedFile],
    by: User | None,
    page: int | None = None,
) -> Case:
    """Keeps a draft's answers (even from a page with errors) and its uploaded files."""
    if not case.is_draft:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Ce dossier a déjà été déposé."))
    for field_name, upload in uploads.items():
        case.attachments.filter(kind=Attachment.Kind.FIELD, field_name=field_name).delete()
        attachment = _attach(
            case=case, upload=upload, kind=Attachment.Kind.FIELD, by=by, field_name=field_name
        )
        answers[field_name] = {"attachment": attachment.pk, "name": attachment.original_name}
    case.data = {**case.data, **answers}
    update_fields = ["data", "updated_at"]
    if page is not None:
        case.page = page
        update_fields.append("page")
    case.save(update_fields=update_fields)
    return case


def case_missing_answers(*, case: Case) -> list[str]:
    """Labels of required, shown fields left empty: a case cannot be filed without them."""
    return [
        spec.label
        for spec in case.version.parsed.fields
        if spec.required and spec.is_shown(case.data) and case.data.get(spec.name) in (None, "", [])
    ]


def _case_number_next(*, case: Case, year: int) -> str:
    code = case.procedure.code
    counter, _created = CaseCounter.objects.get_or_create(
        authority_id=case.authority_id, code=code, year=year
    )
    # The UPDATE takes the row lock: concurrent submissions queue here, each gets its number.
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{year}-{code}-{counter.last:06d}"


def case_submit(*, case: Case, by: User | None) -> Case:
    """Files a draft. Submitting twice (a double click) files it once."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("procedure", "version")
            .get(pk=case.pk)
        )
        if not case.is_draft:
            return case
        missing = case_missing_answers(case=case)
        if missing:
            raise DomainError(
                ErrorCode.INVALID_DATA,
                _("Des informations obligatoires manquent : %(fields)s.")
                % {"fields": ", ".join(missing)},
            )
        now = timezone.now()
        case.number = _case_number_next(case=case, year=timezone.localdate(now).year)
        case.submitted_at = now
        initial = case.version.parsed.workflow.initial
        _status_change(case=case, to=initial, by=by, comment="", now=now)
        email_queue(
            authority=case.authority,
            to=case.person_email,
            template="case_received",
            context={"case": case},
            case_id=case.pk,
        )
        transaction.on_commit(lambda: tasks.case_receipt_generate.enqueue(case_id=case.pk))
    return case


# --- Workflow -------------------------------------------------------------------------------


def _status_change(
    *, case: Case, to: str, by: User | None, comment: str, now: datetime.datetime
) -> None:
    workflow = case.version.parsed.workflow
    source = case.status
    target = workflow.status(to)
    leaving = None if source == DRAFT else workflow.status(source)
    case.status = to
    update_fields = ["status", "updated_at", "number", "submitted_at"]
    if target.is_final:
        case.closed_at = now
        update_fields.append("closed_at")
    case.save(update_fields=update_fields)
    log = CaseTransition.objects.create(
        authority_id=case.authority_id,
        case=case,
        from_status=source,
        to_status=to,
        actor=by,
        comment=comment,
    )
    audit_record(
        authority_id=case.authority_id,
        actor_id=by.pk if by else None,
        action=AuditEvent.Action.CASE_TRANSITION,
        obj=case,
        detail={"from": source, "to": to},
    )
    _deadlines_on_status(case=case, leaving=leaving, entering=target, now=now)
    _actions_on_enter(case=case, status=target, transition=log)


def _deadlines_on_status(
    *, case: Case, leaving: Status | None, entering: Status, now: datetime.datetime
) -> None:
    running = Deadline.objects.filter(case=case, done_at__isnull=True)
    if entering.is_final:
        running.update(done_at=now)
        case_next_due_refresh(case=case)
        return
    if entering.waits_for_applicant:
        # The clock stops while the resident is asked for documents ("silence vaut accord").
        running.filter(paused_at__isnull=True).update(paused_at=now)
    elif leaving is not None and leaving.waits_for_applicant:
        for deadline in running.filter(paused_at__isnull=False):
            pause = now - deadline.paused_at
            deadline.due_at += pause
            if deadline.alert_at:
                deadline.alert_at += pause
            deadline.paused_at = None
            deadline.save(update_fields=["due_at", "alert_at", "paused_at"])
    resumed = running.filter(started_in=entering.code, paused_at__isnull=True).exists()
    if entering.deadline is not None and not resumed:
        # Coming back from "waiting for the applicant" resumes the clock; it does not restart it.
        spec = entering.deadline
        due_at = now + datetime.timedelta(days=spec.days)
        Deadline.objects.create(
            authority_id=case.authority_id,
            case=case,
            started_in=entering.code,
            target_status=spec.to,
            is_silence_accord=spec.silence_accord,
            due_at=due_at,
            alert_at=due_at - datetime.timedelta(days=spec.alert_days_before)
            if spec.alert_days_before
            else None,
        )
    case_next_due_refresh(case=case)


def case_next_due_refresh(*, case: Case) -> None:
    """Recomputes `Case.next_due_at` from the case's running deadlines. The engine calls it
    after every change to a case's deadlines; whoever writes deadlines another way (a seed,
    a test) calls it too."""
    running = Deadline.objects.filter(case=case, done_at__isnull=True, paused_at__isnull=True)
    next_due_at = running.aggregate(next_due_at=Min("due_at"))["next_due_at"]
    Case.objects.filter(pk=case.pk).update(next_due_at=next_due_at)
    case.next_due_at = next_due_at


def _actions_on_enter(*, case: Case, status: Status, transition: CaseTransition) -> None:
    for action in status.on_enter:
        if action.action == "notify_applicant":
            template, context = tasks.case_email_render(
                case=case,
                template=action.template or "case_status_changed",
                status=status,
                comment=transition.comment,
            )
            email_queue(
                authority=case.authority,
                to=case.person_email,
                template=template,
                context=context,
                case_id=case.pk,
            )
        elif action.action == "notify_service":
            template, context = tasks.case_email_render(
                case=case, template=action.template or "service_case_arrived", status=status
            )
            email_queue(
                authority=case.authority,
                to=case.service.email,
                template=template,
                context=context,
                case_id=case.pk,
            )
        elif action.action == "generate_pdf":
            document, transition_id = action.document or "decision", transition.pk
            transaction.on_commit(
                lambda document=document, transition_id=transition_id: (
                    tasks.case_document_generate.enqueue(
                        case_id=case.pk, document=document, transition_id=transition_id
                    )
                )
            )


@transaction.atomic
def case_transition(
    *,
    case: Case,
    name: str,
    by: User,
    comment: str = "",
    uploads: list[UploadedFile] | None = None,
    as_applicant: bool = False,
) -> Case:
    """Moves a case along one of its workflow's transitions, if the person's roles allow it.

    `as_applicant` (the front office) counts only the applicant's role: an agent filing
    their own request acts there as a resident, not as the service deciding on it."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("version", "procedure")
        .get(pk=case.pk)
    )
    transition = case.version.parsed.workflow.transition(name)
    if transition.source != case.status:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Le dossier n'est plus dans l'état attendu ; rechargez la page."),
        )
    roles = case_roles(user=by, case=case)
    if as_applicant:
        roles &= {APPLICANT}
    if not roles & set(transition.roles):
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Vous ne pouvez pas faire cette action."))
    if transition.comment_required and not comment.strip():
        raise DomainError(
            ErrorCode.INVALID_DATA, _("Un commentaire est obligatoire pour cette action.")
        )
    for upload in uploads or []:
        _attach(case=case, upload=upload, kind=Attachment.Kind.REQUESTED, by=by)
    _status_change(
        case=case, to=transition.target, by=by, comment=comment.strip(), now=timezone.now()
    )
    return case


def case_transition_generic(
    *,
    case: Case,
    name: str,
    by: User,
    comment: str = "",
    uploads: list[UploadedFile] | None = None,
    as_applicant: bool = False,
) -> Case:
    """A transition taken from a generic case page (the agents', the applicant's) or the
    bulk action: refused when the case's domain takes it on its own pages, where it
    enforces its rules (a subsidy is granted with a committee vote and an amount, its
    report filed with its figures, a certificate issued to whom the law allows…);
    otherwise as `case_transition`."""
    transition_check_generic(procedure=case.procedure, name=name)
    return case_transition(
        case=case,
        name=name,
        by=by,
        comment=comment,
        uploads=uploads,
        as_applicant=as_applicant,
    )


def case_transition_bulk(
    *, case_ids: list[int], name: str, by: User, comment: str = ""
) -> tuple[int, int]:
    """Applies one transition to several cases; returns (done, skipped)."""
    done = skipped = 0
    for case_id in case_ids:
        try:
            case_transition_generic(
                case=case_get_for_agent(agent=by, case_id=case_id),
                name=name,
                by=by,
                comment=comment,
            )
            done += 1
        except (DomainError, Http404):
            # A case outside the agent's services (or gone) is skipped like any refusal.
            skipped += 1
    return done, skipped


@transaction.atomic
def deadlines_process(*, now: datetime.datetime) -> dict[str, int]:
    """Fires due deadlines (automatic transitions) and alerts agents before due dates."""
    fired = alerted = 0
    due = Deadline.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        done_at__isnull=True, paused_at__isnull=True, due_at__lte=now
    )
    for deadline in due.select_related("case", "case__version"):
        case = deadline.case
        deadline.done_at = now
        deadline.save(update_fields=["done_at"])
        case_next_due_refresh(case=case)
        if case.is_closed or not deadline.target_status or case.status == deadline.target_status:
            continue
        # The legal delay, not the calendar time elapsed: pauses do not count.
        spec = case.version.parsed.workflow.status(deadline.started_in).deadline
        days = spec.days if spec else 0
        comment = (
            _(
                "Silence vaut accord : aucune décision n'a été prise dans le délai de %(days)s jours."
            )
            % {"days": days}
            if deadline.is_silence_accord
            else _("Délai échu.")
        )
        _status_change(case=case, to=deadline.target_status, by=None, comment=comment, now=now)
        fired += 1
    to_alert = Deadline.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        done_at__isnull=True, paused_at__isnull=True, alerted_at__isnull=True, alert_at__lte=now
    )
    for deadline in to_alert.select_related("case", "case__service", "case__assigned_to"):
        case = deadline.case
        recipients = {case.service.email, case.assigned_to.email if case.assigned_to else ""}
        for to in sorted(recipients - {""}):
            email_queue(
                authority=case.authority,
                to=to,
                template="deadline_alert",
                context={"case": case, "deadline": deadline},
                case_id=case.pk,
            )
        deadline.alerted_at = now
        deadline.save(update_fields=["alerted_at"])
        alerted += 1
    return {"fired": fired, "alerted": alerted}


@transaction.atomic
def drafts_remind(*, now: datetime.datetime, idle_days: int = 7) -> int:
    """Reminds residents once of drafts left unfiled: saved is not filed."""
    stale = (
        Case.objects.drafts()
        .filter(
            applicant__isnull=False,
            draft_reminded_at__isnull=True,
            updated_at__lte=now - datetime.timedelta(days=idle_days),
        )
        .select_related("applicant", "procedure", "authority")
    )
    count = 0
    for case in stale:
        email_queue(
            authority=case.authority,
            to=case.applicant.email,
            template="draft_reminder",
            context={"case": case},
            case_id=case.pk,
        )
        Case.objects.filter(pk=case.pk).update(draft_reminded_at=now)
        count += 1
    return count


# --- Around the case ------------------------------------------------------------------------


@transaction.atomic
def message_send(*, case: Case, by: User, body: str) -> Message:
    if not body.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Le message est vide."))
    is_from_applicant = case.applicant_id == by.pk
    message = Message.objects.create(
        authority_id=case.authority_id,
        case=case,
        author=by,
        is_from_applicant=is_from_applicant,
        body=body.strip(),
    )
    if is_from_applicant:
        to = case.assigned_to.email if case.assigned_to else case.service.email
        email_queue(
            authority=case.authority,
            to=to,
            template="message_to_agent",
            context={"case": case, "message": message},
            case_id=case.pk,
        )
    else:
        email_queue(
            authority=case.authority,
            to=case.person_email,
            template="message_to_applicant",
            context={"case": case, "message": message},
            case_id=case.pk,
        )
    return message


def note_add(*, case: Case, by: User, body: str) -> InternalNote:
    if not body.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("La note est vide."))
    return InternalNote.objects.create(
        authority_id=case.authority_id, case=case, author=by, body=body.strip()
    )


@transaction.atomic
def case_assign(*, case: Case, agent: User | None, by: User) -> Case:
    if agent is not None and agent not in agents_for_case(case=case):
        raise DomainError(
            ErrorCode.NOT_ALLOWED, _("Cet agent ne traite pas les dossiers de ce service.")
        )
    case.assigned_to = agent
    case.save(update_fields=["assigned_to", "updated_at"])
    audit_record(
        authority_id=case.authority_id,
        actor_id=by.pk,
        action=AuditEvent.Action.CASE_ASSIGNED,
        obj=case,
        detail={"agent": agent.pk if agent else None},
    )
    return case


@transaction.atomic
def case_correct(
    *, case: Case, by: User, answers: dict[str, Any], reason: str
) -> list[CaseCorrection]:
    """An agent corrects a resident's answers; each change is traced and the resident told."""
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Indiquez la raison de la correction."))
    corrections = []
    for name, value in answers.items():
        old = case.data.get(name)
        if old == value or (old in EMPTY_ANSWERS and value in EMPTY_ANSWERS):
            continue
        corrections.append(
            CaseCorrection.objects.create(
                authority_id=case.authority_id,
                case=case,
                agent=by,
                field_name=name,
                old_value=old,
                new_value=value,
                reason=reason.strip(),
            )
        )
        case.data[name] = value
    if corrections:
        case.save(update_fields=["data", "updated_at"])
        audit_record(
            authority_id=case.authority_id,
            actor_id=by.pk,
            action=AuditEvent.Action.CASE_EDITED,
            obj=case,
            detail={"fields": [c.field_name for c in corrections]},
        )
        email_queue(
            authority=case.authority,
            to=case.person_email,
            template="case_corrected",
            context={"case": case, "corrections": corrections, "reason": reason},
            case_id=case.pk,
        )
    return corrections


@transaction.atomic
def case_claim(*, case: Case, user: User) -> Case:
    """The person concerned takes a case over online with its tracking code
    (a case taken at the counter, or filed for them by someone else)."""
    if case.applicant_id == user.pk:
        return case
    if case.authority_id != user.authority_id:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Ce dossier n'existe pas."))
    filed_for_someone = bool(case.contact) and case.applicant_id == case.filed_by_id
    if case.applicant_id is not None and not filed_for_someone:
        # A resident's own case stays theirs; only cases filed for someone, or without an
        # account, can be taken over — once: after that, they are the person's own.
        raise DomainError(
            ErrorCode.NOT_ALLOWED, _("Ce dossier est déjà suivi dans le compte de son demandeur.")
        )
    case.applicant = user
    case.save(update_fields=["applicant", "updated_at"])
    return case


def case_viewed_by_agent(*, case: Case, agent: User) -> None:
    audit_record(
        authority_id=case.authority_id,
        actor_id=agent.pk,
        action=AuditEvent.Action.CASE_VIEWED,
        obj=case,
    )


@transaction.atomic
def satisfaction_record(
    *, case: Case, by: User | None, rating: str, understood: int
) -> Satisfaction:
    if not case.is_closed:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Le dossier n'est pas encore clos."))
    if rating not in Satisfaction.Rating.values or not 1 <= understood <= 5:
        raise DomainError(ErrorCode.INVALID_DATA, _("Réponse invalide."))
    satisfaction, _created = Satisfaction.objects.get_or_create(
        case=case,
        defaults={"authority_id": case.authority_id, "rating": rating, "understood": understood},
    )
    return satisfaction


@transaction.atomic
def case_intake(
    *,
    procedure: Procedure,
    agent: User,
    channel: str,
    contact: dict[str, str],
    answers: dict[str, Any],
    uploads: dict[str, UploadedFile],
    scan: UploadedFile | None,
    applicant: User | None = None,
) -> Case:
    """An agent records a request received at the counter, by phone, post or e-mail."""
    if channel == Channel.WEB:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez le canal de réception."))
    case = case_start(
        procedure=procedure, applicant=applicant, channel=channel, filed_by=agent, contact=contact
    )
    case_answers_save(case=case, answers=answers, uploads=uploads, by=agent)
    if scan is not None:
        _attach(case=case, upload=scan, kind=Attachment.Kind.SCAN, by=agent)
    return case_submit(case=case, by=agent)


# --- Agents' exports and downloads ------------------------------------------------------------


def cases_exported_record(*, agent: User, count: int, file_format: str) -> None:
    """Traces that an agent took a list of cases (personal data) out of the application."""
    audit_record(
        authority_id=agent.authority_id,
        actor_id=agent.pk,
        action=AuditEvent.Action.CASE_EXPORTED,
        obj=agent.authority,
        detail={"count": count, "format": file_format},
    )


def case_archive(*, case: Case, by: User) -> IO[bytes]:
    """The whole case as a ZIP: a summary PDF (answers and history) and every document."""
    summary = pdf_render(
        template="engine/pdf/summary.html",
        context={
            "case": case,
            "authority": case.authority,
            "title": _("Dossier"),
            "answers": tasks.case_answers_display(case=case),
            "timeline": case_timeline(case=case),
        },
    )
    entries: list[tuple[str, IO[bytes] | bytes]] = [(f"dossier-{case.number}.pdf", summary)]
    names: set[str] = set()
    for attachment in case.attachments.all():
        name = attachment.original_name
        if name in names:
            name = f"{attachment.pk}-{name}"
        names.add(name)
        entries.append((f"pieces/{name}", attachment.file.open("rb")))
    try:
        archive = zip_file(entries=entries)
    finally:
        for _name, content in entries:
            if not isinstance(content, bytes):
                content.close()
    audit_record(
        authority_id=case.authority_id,
        actor_id=by.pk,
        action=AuditEvent.Action.CASE_DOWNLOADED,
        obj=case,
    )
    return archive
