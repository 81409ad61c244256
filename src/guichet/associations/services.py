"""Writes of the associations domain. Each is one transaction; documents and e-mails follow
after commit."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Membership, Organisation, Representative, Service, User
from guichet.accounts.services import representative_leave, representative_require
from guichet.associations import tasks
from guichet.associations.budget import (
    REQUESTED_CATEGORY,
    ZERO,
    BudgetEntry,
    BudgetTotals,
    budget_totals,
)
from guichet.associations.models import (
    BudgetLine,
    CallForProjects,
    CommitteeSession,
    FinalReport,
    Instalment,
    Opinion,
    SubsidyApplication,
    VaultDocument,
)
from guichet.associations.selectors import (
    SUBSIDY_DOCUMENTS,
    SUBSIDY_PROCEDURE_SLUG,
    vault_current,
)
from guichet.core.errors import DomainError, ErrorCode
from guichet.engine import services as engine
from guichet.engine.models import Attachment, Case, Procedure
from guichet.engine.selectors import case_roles
from guichet.notifications.services import email_queue
from guichet.tenants.models import Authority


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day (31 August + 6 → 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- Document vault ------------------------------------------------------------------------


@transaction.atomic
def vault_document_store(
    *,
    organisation: Organisation,
    by: User,
    kind: str,
    upload: UploadedFile,
    valid_until: datetime.date | None,
    iban: str = "",
) -> VaultDocument:
    """Puts a document in the vault; it replaces the current one of the same kind.

    `iban` comes normalised (bank details only); `upload` was checked by content."""
    representative_require(organisation=organisation, user=by)
    if kind not in VaultDocument.Kind.values:
        raise DomainError(ErrorCode.INVALID_DATA, _("Type de document inconnu."))
    if kind == VaultDocument.Kind.BANK_DETAILS and not iban:
        raise DomainError(ErrorCode.INVALID_DATA, _("Saisissez l'IBAN du relevé bancaire."))
    now = timezone.now()
    VaultDocument.objects.filter(
        organisation=organisation, kind=kind, replaced_at__isnull=True
    ).update(replaced_at=now)
    return VaultDocument.objects.create(
        authority_id=organisation.authority_id,
        organisation=organisation,
        kind=kind,
        file=upload,
        original_name=upload.name or "document",
        content_type=getattr(upload, "sniffed_type", upload.content_type or ""),
        size=upload.size or 0,
        iban=iban if kind == VaultDocument.Kind.BANK_DETAILS else "",
        valid_until=valid_until,
        uploaded_by=by,
    )


def vault_expiry_remind(*, today: datetime.date) -> int:
    """E-mails the representatives once about each current document that expires soon
    (or has expired), so that they renew it before an application needs it."""
    horizon = today + datetime.timedelta(days=settings.GUICHET_VAULT_REMINDER_DAYS)
    expiring = VaultDocument.objects.filter(
        replaced_at__isnull=True,
        reminded_at__isnull=True,
        valid_until__isnull=False,
        valid_until__lte=horizon,
    ).select_related("organisation", "organisation__authority")
    count = 0
    for document in expiring:
        with transaction.atomic():
            claimed = VaultDocument.objects.filter(pk=document.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue  # another worker sent it
            recipients = Representative.objects.active().filter(organisation=document.organisation)
            for representative in recipients.select_related("user"):
                email_queue(
                    authority=document.organisation.authority,
                    to=representative.user.email,
                    template="vault_document_expiring",
                    context={"document": document, "organisation": document.organisation},
                )
            count += 1
    return count


def _vault_attach(
    *, case: Case, document: VaultDocument, field_name: str, by: User
) -> dict[str, Any]:
    """A copy of the vault's file joined to a case; returns the answer a file field stores.

    A copy, not the same stored file: erasing the case at the end of its retention period
    (or deleting a draft) deletes its files, and the vault's must stay."""
    with document.file.open("rb") as handle:
        content = ContentFile(handle.read(), name=document.original_name)
    attachment = Attachment.objects.create(
        authority_id=case.authority_id,
        case=case,
        kind=Attachment.Kind.FIELD,
        field_name=field_name,
        file=content,
        original_name=document.original_name,
        content_type=document.content_type,
        size=document.size,
        uploaded_by=by,
    )
    return {"attachment": attachment.pk, "name": attachment.original_name}


# Values a procedure's field may take from the organisation (`prefill: organisation.siret`);
# a file field may take a vault document (`prefill: vault.insurance`).
ORGANISATION_PREFILLS = ("name", "siret", "rna", "address", "purpose")


@transaction.atomic
def case_act_for(*, case: Case, organisation: Organisation, by: User) -> Case:
    """Records on a draft that the person acts for the organisation, and prefills what the
    procedure asks of the organisation and of its vault ("Dites-le-nous une fois"). The
    case keeps the list of prefilled fields and documents for the barometer."""
    representative_require(organisation=organisation, user=by)
    if not case.is_draft:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Ce dossier a déjà été déposé."))
    values = {f"organisation.{key}": getattr(organisation, key) for key in ORGANISATION_PREFILLS}
    vault = vault_current(organisation=organisation, today=timezone.localdate())
    answers: dict[str, Any] = {}
    fields, documents = [], []
    for spec in case.version.parsed.fields:
        if spec.name in case.data:
            continue
        if values.get(spec.prefill):
            answers[spec.name] = values[spec.prefill]
            fields.append(spec.name)
        elif spec.type == "file" and spec.prefill.startswith("vault."):
            document = vault.get(spec.prefill.removeprefix("vault."))
            if document is not None:
                answers[spec.name] = _vault_attach(
                    case=case, document=document, field_name=spec.name, by=by
                )
                documents.append(document.kind)
    case.organisation = organisation
    case.prefilled = {"fields": sorted(fields), "documents": documents}
    case.save(update_fields=["organisation", "prefilled", "updated_at"])
    return engine.case_answers_save(case=case, answers=answers, uploads={}, by=by)


# --- Calls for projects -------------------------------------------------------------------


def call_create(
    *,
    authority: Authority,
    title: str,
    description: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    envelope: Decimal,
) -> CallForProjects:
    if closes_on < opens_on:
        raise DomainError(
            ErrorCode.INVALID_DATA, _("La date de clôture doit suivre la date d'ouverture.")
        )
    # The same form sent twice creates one call.
    call, _created = CallForProjects.objects.get_or_create(
        authority=authority,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        defaults={"description": description.strip(), "envelope": envelope},
    )
    return call


# --- Subsidy application ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Project:
    title: str
    goals: str
    public: str
    place: str
    starts_on: datetime.date
    ends_on: datetime.date


def subsidy_prefill(*, organisation: Organisation, user: User) -> dict[str, Any]:
    """The identification part of the CERFA, from the organisation and the person."""
    representative = representative_require(organisation=organisation, user=user)
    return {
        "organisation_name": organisation.name,
        "siret": organisation.siret,
        "rna": organisation.rna,
        "organisation_address": organisation.address,
        "representative": user.display_name,
        "representative_role": representative.get_role_display(),
        "email": user.email,
    }


def _budget_refuse(difference: Decimal) -> DomainError:
    missing = _("charges") if difference < 0 else _("produits")
    return DomainError(
        ErrorCode.INVALID_DATA,
        _(
            "Le budget n'est pas équilibré : les charges et les produits (montant demandé "
            "compris) diffèrent de %(difference)s €. Ajoutez %(difference)s € de %(missing)s "
            "ou corrigez les montants."
        )
        % {"difference": f"{abs(difference):.2f}".replace(".", ","), "missing": missing},
    )


def subsidy_apply(
    *,
    call: CallForProjects,
    organisation: Organisation,
    by: User,
    submission_key: str,
    project: Project,
    entries: list[BudgetEntry],
    amount_requested: Decimal,
    other_funders: str,
    sworn_statement: bool,
    uploads: dict[str, UploadedFile],
    today: datetime.date,
) -> SubsidyApplication:
    """Files a subsidy application (a case of the subsidy procedure) for the organisation.

    Documents not uploaded come from the vault (and the case records them as prefilled);
    those uploaded go to the vault too. The same form submitted twice files once."""
    existing = SubsidyApplication.objects.filter(
        authority_id=call.authority_id, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing
    representative_require(organisation=organisation, user=by)
    if not call.is_open_on(today):
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Cet appel à projets n'est pas ouvert."))
    if project.ends_on < project.starts_on:
        raise DomainError(
            ErrorCode.INVALID_DATA, _("La date de fin du projet doit suivre sa date de début.")
        )
    totals = budget_totals(entries=entries, amount_requested=amount_requested)
    if not totals.is_balanced:
        raise _budget_refuse(totals.difference)
    if not sworn_statement:
        raise DomainError(ErrorCode.INVALID_DATA, _("Cochez la déclaration sur l'honneur."))
    vault = vault_current(organisation=organisation, today=today)
    missing = [
        str(VaultDocument.Kind(kind).label)
        for kind in SUBSIDY_DOCUMENTS
        if kind not in uploads and kind not in vault
    ]
    if missing:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Pièces manquantes ou périmées : %(documents)s.") % {"documents": ", ".join(missing)},
        )
    procedure = Procedure.objects.get(authority_id=call.authority_id, slug=SUBSIDY_PROCEDURE_SLUG)
    try:
        with transaction.atomic():
            return _subsidy_file(
                call=call,
                organisation=organisation,
                by=by,
                procedure=procedure,
                submission_key=submission_key,
                project=project,
                entries=entries,
                amount_requested=amount_requested,
                other_funders=other_funders,
                uploads=uploads,
                vault=vault,
                totals=totals,
            )
    except IntegrityError:
        # A concurrent submission of the same form won the race.
        return SubsidyApplication.objects.get(
            authority_id=call.authority_id, submission_key=submission_key
        )


def _subsidy_file(
    *,
    call: CallForProjects,
    organisation: Organisation,
    by: User,
    procedure: Procedure,
    submission_key: str,
    project: Project,
    entries: list[BudgetEntry],
    amount_requested: Decimal,
    other_funders: str,
    uploads: dict[str, UploadedFile],
    vault: dict[str, VaultDocument],
    totals: BudgetTotals,
) -> SubsidyApplication:
    prefill = subsidy_prefill(organisation=organisation, user=by)
    case = engine.case_start(procedure=procedure, applicant=by)
    answers: dict[str, Any] = prefill | {
        "call": call.title,
        "project_title": project.title,
        "project_goals": project.goals,
        "project_public": project.public,
        "project_place": project.place,
        "starts_on": project.starts_on.isoformat(),
        "ends_on": project.ends_on.isoformat(),
        "total_charges": f"{totals.charges:.2f}",
        "total_resources": f"{totals.resources:.2f}",
        "amount_requested": f"{amount_requested:.2f}",
        "other_funders": other_funders.strip(),
        "sworn_statement": True,
    }
    reused = []
    for kind in SUBSIDY_DOCUMENTS + [
        k for k in VaultDocument.Kind.values if k not in SUBSIDY_DOCUMENTS
    ]:
        if kind in uploads:
            document = vault_document_store(
                organisation=organisation, by=by, kind=kind, upload=uploads[kind], valid_until=None
            )
        elif kind in vault:
            document = vault[kind]
            reused.append(kind)
        else:
            continue
        answers[kind] = _vault_attach(case=case, document=document, field_name=kind, by=by)
    case.organisation = organisation
    case.prefilled = {"fields": sorted(prefill), "documents": reused}
    case.save(update_fields=["organisation", "prefilled"])
    engine.case_answers_save(case=case, answers=answers, uploads={}, by=by)
    application = SubsidyApplication.objects.create(
        authority_id=call.authority_id,
        case=case,
        call=call,
        organisation=organisation,
        submission_key=submission_key,
        project_title=project.title.strip(),
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        total_charges=totals.charges,
        total_resources=totals.resources,
        amount_requested=amount_requested,
    )
    lines = [
        *entries,
        BudgetEntry("resource", REQUESTED_CATEGORY, call.authority.name, amount_requested),
    ]
    BudgetLine.objects.bulk_create(
        BudgetLine(
            authority_id=call.authority_id,
            application=application,
            side=entry.side,
            category=entry.category,
            label=entry.label.strip(),
            amount=entry.amount,
            position=position,
        )
        for position, entry in enumerate(lines)
    )
    application.case = engine.case_submit(case=case, by=by)
    return application


# --- Instruction ------------------------------------------------------------------------------


def _agent_of(*, case: Case, by: User) -> None:
    if not case_roles(user=by, case=case) & {Membership.Role.AGENT, Membership.Role.MANAGER}:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Vous ne pouvez pas faire cette action."))


@transaction.atomic
def opinions_request(
    *, case: Case, services: list[Service], by: User, question: str
) -> list[Opinion]:
    """Asks several services at once for their opinion; asking a service twice asks once."""
    _agent_of(case=case, by=by)
    opinions = []
    for service in services:
        if service.authority_id != case.authority_id:
            raise DomainError(ErrorCode.NOT_ALLOWED, _("Service inconnu."))
        opinion, created = Opinion.objects.get_or_create(
            case=case,
            service=service,
            defaults={
                "authority_id": case.authority_id,
                "asked_by": by,
                "question": question.strip(),
            },
        )
        if created:
            email_queue(
                authority=case.authority,
                to=service.email,
                template="opinion_requested",
                context={"case": case, "opinion": opinion},
                case_id=case.pk,
            )
        opinions.append(opinion)
    return opinions


@transaction.atomic
def opinion_give(*, opinion: Opinion, by: User, verdict: str, comment: str) -> Opinion:
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.is_given:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cet avis a déjà été donné."))
    is_member = Membership.objects.filter(user=by, service_id=opinion.service_id).exists()
    if not (is_member or by.is_authority_admin) or by.authority_id != opinion.authority_id:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Cet avis est demandé à un autre service."))
    if verdict not in Opinion.Verdict.values:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez un avis."))
    if verdict != Opinion.Verdict.FAVOURABLE and not comment.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Motivez un avis réservé ou défavorable."))
    opinion.verdict = verdict
    opinion.comment = comment.strip()
    opinion.given_by = by
    opinion.given_at = timezone.now()
    opinion.save(update_fields=["verdict", "comment", "given_by", "given_at"])
    return opinion


def session_create(
    *, authority: Authority, title: str, meets_on: datetime.date, place: str
) -> CommitteeSession:
    session, _created = CommitteeSession.objects.get_or_create(
        authority=authority,
        title=title.strip(),
        meets_on=meets_on,
        defaults={"place": place.strip()},
    )
    return session


@transaction.atomic
def application_schedule(
    *,
    application: SubsidyApplication,
    session: CommitteeSession,
    by: User,
    amount_proposed: Decimal,
) -> SubsidyApplication:
    """Puts an application on a committee's agenda with the amount the service proposes."""
    case = Case.objects.select_related("version").get(pk=application.case_id)
    _agent_of(case=case, by=by)
    if session.authority_id != application.authority_id:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Séance inconnue."))
    if amount_proposed < ZERO or amount_proposed > application.amount_requested:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Le montant proposé doit être compris entre 0 et le montant demandé (%(amount)s €).")
            % {"amount": application.amount_requested},
        )
    if case.status == "instruction":
        engine.case_transition(case=case, name="schedule", by=by)
    elif case.status != "committee":
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("La demande doit être recevable avant d'être inscrite en commission."),
        )
    application.session = session
    application.amount_proposed = amount_proposed
    application.save(update_fields=["session", "amount_proposed"])
    return application


def instalments_plan(
    *, amount: Decimal, starts_on: datetime.date, today: datetime.date
) -> list[tuple[datetime.date, Decimal]]:
    """Above the agreement threshold: 50 % now, 30 % at mid-project, the balance after the
    final report; below: one payment now. Cents go to the last instalment."""
    if amount <= settings.GUICHET_SUBSIDY_AGREEMENT_THRESHOLD:
        return [(today, amount)]
    first = (amount * Decimal("0.50")).quantize(Decimal("0.01"))
    second = (amount * Decimal("0.30")).quantize(Decimal("0.01"))
    return [
        (today, first),
        (max(today, months_later(starts_on, 3)), second),
        (max(today, months_later(starts_on, 9)), amount - first - second),
    ]


@transaction.atomic
def subsidy_decide(
    *,
    application: SubsidyApplication,
    by: User,
    is_granted: bool,
    amount: Decimal,
    votes_for: int,
    votes_against: int,
    votes_abstaining: int,
    comment: str,
    today: datetime.date,
) -> SubsidyApplication:
    """Records the committee's vote and the decision: the case moves to granted or refused,
    the notification letter (and the agreement above the threshold) follow after commit,
    with the payment schedule and the final report's due date."""
    application = SubsidyApplication.objects.select_for_update().get(pk=application.pk)
    if application.decided_at is not None:
        return application
    case = application.case
    if application.session_id is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("La demande n'est inscrite à aucune séance.")
        )
    if is_granted and not ZERO < amount <= application.amount_requested:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _(
                "Le montant accordé doit être positif et ne pas dépasser le montant demandé (%(amount)s €)."
            )
            % {"amount": application.amount_requested},
        )
    target = "granted" if is_granted else "refused"
    if case.status == "committee":
        engine.case_transition(
            case=case, name="grant" if is_granted else "refuse", by=by, comment=comment
        )
    elif case.status != target:
        # Moved on from the generic case page without an amount: the decision recorded
        # here must agree with it.
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Le dossier n'est plus dans l'état attendu ; rechargez la page."),
        )
    application.amount_granted = amount if is_granted else ZERO
    application.votes_for, application.votes_against = votes_for, votes_against
    application.votes_abstaining = votes_abstaining
    application.decided_at = timezone.now()
    update_fields = [
        "amount_granted",
        "votes_for",
        "votes_against",
        "votes_abstaining",
        "decided_at",
    ]
    if is_granted:
        application.report_due_on = months_later(application.ends_on, 6)
        update_fields.append("report_due_on")
        Instalment.objects.bulk_create(
            Instalment(
                authority_id=application.authority_id,
                application=application,
                position=position,
                due_on=due_on,
                amount=part,
            )
            for position, (due_on, part) in enumerate(
                instalments_plan(amount=amount, starts_on=application.starts_on, today=today), 1
            )
        )
    application.save(update_fields=update_fields)
    transaction.on_commit(
        lambda: tasks.subsidy_documents_generate.enqueue(application_id=application.pk)
    )
    return application


@transaction.atomic
def instalment_pay(*, instalment: Instalment, by: User, paid_on: datetime.date) -> Instalment:
    _agent_of(case=instalment.application.case, by=by)
    if instalment.paid_on is None:
        instalment.paid_on = paid_on
        instalment.save(update_fields=["paid_on"])
    return instalment


@transaction.atomic
def final_report_file(
    *,
    application: SubsidyApplication,
    by: User,
    actions_done: str,
    public_reached: int,
    charges_executed: Decimal,
    resources_executed: Decimal,
    gaps_explained: str,
) -> FinalReport:
    """The CERFA 15059 "compte rendu financier"; filing it twice files it once."""
    existing = FinalReport.objects.filter(application=application).first()
    if existing is not None:
        return existing
    representative_require(organisation=application.organisation, user=by)
    if application.case.status != "granted":
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Le compte rendu se dépose après l'attribution.")
        )
    report = FinalReport.objects.create(
        authority_id=application.authority_id,
        application=application,
        actions_done=actions_done.strip(),
        public_reached=public_reached,
        charges_executed=charges_executed,
        resources_executed=resources_executed,
        gaps_explained=gaps_explained.strip(),
        filed_by=by,
    )
    # The representative files for the organisation, whoever filed the application.
    case = application.case
    if case.applicant_id != by.pk:
        Case.objects.filter(pk=case.pk).update(applicant=by)
        case.applicant = by
    engine.case_transition(case=case, name="file_report", by=by, as_applicant=True)
    return report


def final_report_remind(*, today: datetime.date) -> int:
    """Reminds the representatives before the final report is due, and once more after."""
    days = settings.GUICHET_FINAL_REPORT_REMINDER_DAYS
    pending = SubsidyApplication.objects.filter(
        report_due_on__isnull=False, final_report__isnull=True, case__status="granted"
    ).select_related("organisation", "authority", "case")
    before = pending.filter(
        report_reminded_before_at__isnull=True,
        report_due_on__lte=today + datetime.timedelta(days=days),
        report_due_on__gte=today,
    )
    after = pending.filter(report_reminded_after_at__isnull=True, report_due_on__lt=today)
    count = 0
    for queryset, field, template in (
        (before, "report_reminded_before_at", "final_report_due_soon"),
        (after, "report_reminded_after_at", "final_report_overdue"),
    ):
        for application in queryset:
            claimed = SubsidyApplication.objects.filter(
                pk=application.pk, **{f"{field}__isnull": True}
            ).update(**{field: timezone.now()})
            if not claimed:
                continue
            for representative in (
                Representative.objects.active()
                .filter(organisation=application.organisation)
                .select_related("user")
            ):
                email_queue(
                    authority=application.authority,
                    to=representative.user.email,
                    template=template,
                    context={"application": application, "case": application.case},
                    case_id=application.case_id,
                )
            count += 1
    return count


# --- Representatives leaving ---------------------------------------------------------------------


@transaction.atomic
def organisation_leave(*, representative: Representative, by: User) -> Representative:
    """Ends a representation at once. The organisation's cases the person was following
    pass to a remaining representative: the cases belong to the organisation, and their
    transition log keeps who acted."""
    left = representative_leave(representative=representative, by=by)
    successor = (
        Representative.objects.active()
        .filter(organisation_id=left.organisation_id)
        .order_by("joined_at", "id")
        .first()
    )
    if successor is not None and left.user_id is not None:
        Case.objects.filter(
            authority_id=left.authority_id,
            organisation_id=left.organisation_id,
            applicant_id=left.user_id,
        ).update(applicant=successor.user)
    return left
