"""Writes on real-estate operations. Each is one transaction; e-mails go after commit."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from stdnum.fr import siret as stdnum_siret

from guichet.accounts.models import Service, User
from guichet.core.errors import DomainError, ErrorCode
from guichet.engine import services as engine
from guichet.engine.models import Case
from guichet.notifications.services import email_queue
from guichet.real_estate import selectors
from guichet.real_estate.models import (
    PAYMENT_PERIOD_DAYS,
    Amendment,
    BudgetRevision,
    Contract,
    CouncilDecision,
    Document,
    Invoice,
    Milestone,
    Operation,
    PaymentCredit,
    Phase,
    Photo,
    ProgrammeAuthorisation,
    Reservation,
    Risk,
    Subscription,
    WorksNotice,
    ttc,
)

# The transition of the internal works request that hands it over to an operation.
REQUEST_CONVERT = "convert"


def _already(message: str) -> DomainError:
    return DomainError(ErrorCode.ALREADY_DONE, message)


# --- Operations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OperationData:
    name: str
    kind: str
    address: str
    programme: str = ""
    description: str = ""
    cadastral_parcel: str = ""
    lead: User | None = None
    is_public: bool = True


def _phases_plan(*, start: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """A default schedule from a start date, that the project lead then adjusts."""
    durations = {  # days
        Phase.Kind.PROGRAMMING: 90,
        Phase.Kind.ESQ: 45,
        Phase.Kind.APS: 60,
        Phase.Kind.APD: 60,
        Phase.Kind.PRO: 60,
        Phase.Kind.DCE: 90,
        Phase.Kind.WORKS: 365,
        Phase.Kind.ACCEPTANCE: 30,
        Phase.Kind.WARRANTY: 365,
    }
    plan, cursor = [], start
    for kind, days in durations.items():
        end = cursor + datetime.timedelta(days=days - 1)
        plan.append((kind, cursor, end))
        cursor = end + datetime.timedelta(days=1)
    return plan


@transaction.atomic
def operation_create(
    *,
    service: Service,
    data: OperationData,
    by: User,
    start: datetime.date,
    requesting_service: Service | None = None,
    request_case: Case | None = None,
) -> Operation:
    """Creates an operation with its nine phases planned from `start`."""
    if Operation.objects.filter(authority_id=service.authority_id, name=data.name).exists():
        raise _already(_("Une opération porte déjà ce nom."))
    operation = Operation.objects.create(
        authority_id=service.authority_id,
        service=service,
        requesting_service=requesting_service,
        request_case=request_case,
        name=data.name,
        kind=data.kind,
        address=data.address,
        programme=data.programme,
        description=data.description,
        cadastral_parcel=data.cadastral_parcel,
        lead=data.lead,
        is_public=data.is_public,
    )
    Phase.objects.bulk_create(
        Phase(
            authority_id=operation.authority_id,
            operation=operation,
            kind=kind,
            position=position,
            planned_start=begin,
            planned_end=end,
        )
        for position, (kind, begin, end) in enumerate(_phases_plan(start=start))
    )
    return operation


@transaction.atomic
def operation_update(*, operation: Operation, data: OperationData) -> Operation:
    others = Operation.objects.filter(authority_id=operation.authority_id, name=data.name)
    if others.exclude(pk=operation.pk).exists():
        raise _already(_("Une opération porte déjà ce nom."))
    fields = [
        "name",
        "kind",
        "address",
        "programme",
        "description",
        "cadastral_parcel",
        "lead",
        "is_public",
    ]
    for name in fields:
        setattr(operation, name, getattr(data, name))
    operation.save(update_fields=fields)
    return operation


@transaction.atomic
def operation_create_from_request(
    *,
    case: Case,
    service: Service,
    data: OperationData,
    by: User,
    start: datetime.date,
    requesting_service: Service | None,
) -> Operation:
    """Turns a service's works request (an engine case) into an operation; the case moves
    to its "converted" status, so the requesting service sees it in its own follow-up."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    existing = Operation.objects.filter(request_case=case).first()
    if existing is not None:
        return existing
    operation = operation_create(
        service=service,
        data=data,
        by=by,
        start=start,
        requesting_service=requesting_service,
        request_case=case,
    )
    engine.case_transition(
        case=case,
        name=REQUEST_CONVERT,
        by=by,
        comment=_("Opération créée : %(name)s.") % {"name": operation.name},
    )
    return operation


@transaction.atomic
def phase_dates_set(
    *,
    phase: Phase,
    planned_start: datetime.date,
    planned_end: datetime.date,
    actual_start: datetime.date | None,
    actual_end: datetime.date | None,
) -> Phase:
    """Records a phase's dates; when it is newly finished, the requesting service (if any)
    is told, so that it follows its works without asking."""
    if planned_end < planned_start:
        raise DomainError(ErrorCode.INVALID_DATA, _("La fin prévue précède le début prévu."))
    if actual_end is not None and (actual_start is None or actual_end < actual_start):
        raise DomainError(
            ErrorCode.INVALID_DATA, _("Une phase finie a un début réel antérieur à sa fin.")
        )
    newly_finished = phase.actual_end is None and actual_end is not None
    phase.planned_start, phase.planned_end = planned_start, planned_end
    phase.actual_start, phase.actual_end = actual_start, actual_end
    phase.save(update_fields=["planned_start", "planned_end", "actual_start", "actual_end"])
    operation = phase.operation
    if newly_finished and operation.requesting_service is not None:
        email_queue(
            authority=operation.authority,
            to=operation.requesting_service.email,
            template="real_estate_phase_done",
            context={
                "operation": operation,
                "phase": phase,
                "next_phase": operation.phases.filter(position__gt=phase.position).first(),
            },
        )
    return phase


@transaction.atomic
def milestone_add(
    *, operation: Operation, name: str, planned_on: datetime.date, achieved_on: datetime.date | None
) -> Milestone:
    if operation.milestones.filter(name=name).exists():
        raise _already(_("Ce jalon existe déjà."))
    return Milestone.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        name=name,
        planned_on=planned_on,
        achieved_on=achieved_on,
    )


@transaction.atomic
def decision_attach(
    *,
    operation: Operation,
    reference: str,
    decided_on: datetime.date,
    title: str,
    upload: UploadedFile,
) -> CouncilDecision:
    if operation.decisions.filter(reference=reference).exists():
        raise _already(_("Cette délibération est déjà jointe."))
    return CouncilDecision.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        reference=reference,
        decided_on=decided_on,
        title=title,
        file=upload,
    )


@transaction.atomic
def reservation_note(
    *, operation: Operation, description: str, noted_on: datetime.date
) -> Reservation:
    if operation.reservations.filter(description=description, lifted_on__isnull=True).exists():
        raise _already(_("Cette réserve est déjà notée."))
    return Reservation.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        description=description,
        noted_on=noted_on,
    )


@transaction.atomic
def reservation_lift(*, reservation: Reservation, lifted_on: datetime.date) -> Reservation:
    if lifted_on < reservation.noted_on:
        raise DomainError(ErrorCode.INVALID_DATA, _("Une réserve est levée après avoir été émise."))
    reservation.lifted_on = lifted_on
    reservation.save(update_fields=["lifted_on"])
    return reservation


# --- Budget: AP and CP ------------------------------------------------------------------------


def _schedule(budget: ProgrammeAuthorisation) -> dict[str, str]:
    return {str(c.year): str(c.amount) for c in budget.credits.order_by("year")}


def _schedule_check(*, ap: Decimal, schedule: dict[int, Decimal]) -> None:
    if any(amount < 0 for amount in schedule.values()):
        raise DomainError(ErrorCode.INVALID_DATA, _("Un crédit de paiement est négatif."))
    total = sum(schedule.values(), Decimal(0))
    if total > ap:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Les crédits de paiement (%(total)s €) dépassent l'autorisation (%(ap)s €).")
            % {"total": total, "ap": ap},
        )


def _schedule_write(*, budget: ProgrammeAuthorisation, schedule: dict[int, Decimal]) -> None:
    for year, amount in schedule.items():
        if amount == 0:
            budget.credits.filter(year=year).delete()
            continue
        PaymentCredit.objects.update_or_create(
            budget=budget,
            year=year,
            defaults={"authority_id": budget.authority_id, "amount": amount},
        )


@transaction.atomic
def budget_vote(
    *,
    operation: Operation,
    reference: str,
    amount: Decimal,
    voted_on: datetime.date,
    schedule: dict[int, Decimal],
    by: User,
) -> ProgrammeAuthorisation:
    """Votes the programme authorisation (AP) and its first schedule of payment credits (CP)."""
    if ProgrammeAuthorisation.objects.filter(operation=operation).exists():
        raise _already(_("L'autorisation de programme est déjà votée ; révisez-la."))
    if amount < 0:
        raise DomainError(ErrorCode.INVALID_DATA, _("Le montant est négatif."))
    _schedule_check(ap=amount, schedule=schedule)
    budget = ProgrammeAuthorisation.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        reference=reference,
        amount=amount,
        voted_on=voted_on,
    )
    _schedule_write(budget=budget, schedule=schedule)
    BudgetRevision.objects.create(
        authority_id=operation.authority_id,
        budget=budget,
        kind=BudgetRevision.Kind.VOTE,
        ap_before=Decimal(0),
        ap_after=amount,
        schedule_before={},
        schedule_after=_schedule(budget),
        reason=_("Vote initial"),
        decided_on=voted_on,
        by=by,
    )
    return budget


@transaction.atomic
def budget_revise(
    *,
    budget: ProgrammeAuthorisation,
    amount: Decimal,
    schedule: dict[int, Decimal],
    reason: str,
    decided_on: datetime.date,
    by: User,
) -> BudgetRevision:
    """Revises the AP amount and/or reschedules CP across years; keeps the before/after.

    `schedule` gives the new CP of the years it names; years left out keep theirs."""
    budget = ProgrammeAuthorisation.objects.select_for_update().get(pk=budget.pk)
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Indiquez le motif de la révision."))
    if amount < 0:
        raise DomainError(ErrorCode.INVALID_DATA, _("Le montant est négatif."))
    before = _schedule(budget)
    merged = {int(year): Decimal(value) for year, value in before.items()} | schedule
    _schedule_check(ap=amount, schedule=merged)
    ap_before = budget.amount
    was_overrun = _is_overrun(budget.operation)
    if amount == ap_before and all(
        Decimal(before.get(str(y), "0")) == v for y, v in schedule.items()
    ):
        raise DomainError(ErrorCode.INVALID_DATA, _("Cette révision ne change rien."))
    budget.amount = amount
    budget.save(update_fields=["amount"])
    _schedule_write(budget=budget, schedule=schedule)
    _overrun_alert(operation=budget.operation, was_overrun=was_overrun)
    return BudgetRevision.objects.create(
        authority_id=budget.authority_id,
        budget=budget,
        kind=BudgetRevision.Kind.AP if amount != ap_before else BudgetRevision.Kind.CP,
        ap_before=ap_before,
        ap_after=amount,
        schedule_before=before,
        schedule_after=_schedule(budget),
        reason=reason.strip(),
        decided_on=decided_on,
        by=by,
    )


def _overrun_alert(*, operation: Operation, was_overrun: bool) -> None:
    """E-mails the service and the project lead when the commitments (contracts and
    amendments, TTC) come to exceed the programme authorisation: once, when they cross it."""
    totals = selectors.budget_totals(operation_ids=[operation.pk])[operation.pk]
    if was_overrun or not totals.is_forecast_overrun:
        return
    if not ProgrammeAuthorisation.objects.filter(operation=operation).exists():
        return  # nothing voted yet: no ceiling to exceed
    for to in sorted(
        {operation.service.email, operation.lead.email if operation.lead else ""} - {""}
    ):
        email_queue(
            authority=operation.authority,
            to=to,
            template="real_estate_overrun",
            context={
                "operation": operation,
                "totals": totals,
                "excess": totals.committed - totals.ap,
            },
        )


def _is_overrun(operation: Operation) -> bool:
    return selectors.budget_totals(operation_ids=[operation.pk])[operation.pk].is_forecast_overrun


# --- Contracts and invoices -----------------------------------------------------------------


def siret_check(value: str) -> str:
    compact = stdnum_siret.compact(value)
    if not stdnum_siret.is_valid(compact):
        raise DomainError(ErrorCode.INVALID_DATA, _("Ce numéro SIRET n'est pas valide."))
    return compact


@dataclass(frozen=True, slots=True)
class ContractData:
    lot_number: int
    lot_name: str
    contractor_name: str
    contractor_siret: str
    amount_ht: Decimal
    vat_rate: Decimal
    signed_on: datetime.date


@transaction.atomic
def contract_record(*, operation: Operation, data: ContractData) -> Contract:
    siret = siret_check(data.contractor_siret)
    if data.amount_ht < 0 or not Decimal(0) <= data.vat_rate <= Decimal(100):
        raise DomainError(ErrorCode.INVALID_DATA, _("Montant ou taux de TVA invalide."))
    if operation.contracts.filter(lot_number=data.lot_number).exists():
        raise _already(_("Un marché est déjà enregistré pour ce lot."))
    was_overrun = _is_overrun(operation)
    contract = Contract.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        lot_number=data.lot_number,
        lot_name=data.lot_name,
        contractor_name=data.contractor_name,
        contractor_siret=siret,
        amount_ht=data.amount_ht,
        vat_rate=data.vat_rate,
        amount_ttc=ttc(data.amount_ht, data.vat_rate),
        signed_on=data.signed_on,
    )
    _overrun_alert(operation=operation, was_overrun=was_overrun)
    return contract


@transaction.atomic
def amendment_record(
    *, contract: Contract, amount_ht: Decimal, reason: str, signed_on: datetime.date
) -> Amendment:
    """Records the contract's next amendment (numbered in order); its amount may be negative."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.amendments.filter(amount_ht=amount_ht, reason=reason, signed_on=signed_on).exists():
        # The same amendment twice is a double submission, not a second amendment.
        raise _already(_("Cet avenant est déjà enregistré."))
    total = contract.amount_ht + sum((a.amount_ht for a in contract.amendments.all()), Decimal(0))
    if total + amount_ht < 0:
        raise DomainError(
            ErrorCode.INVALID_DATA, _("L'avenant rendrait le montant du marché négatif.")
        )
    number = contract.amendments.count() + 1
    was_overrun = _is_overrun(contract.operation)
    amendment = Amendment.objects.create(
        authority_id=contract.authority_id,
        contract=contract,
        number=number,
        amount_ht=amount_ht,
        amount_ttc=ttc(amount_ht, contract.vat_rate),
        reason=reason,
        signed_on=signed_on,
    )
    _overrun_alert(operation=contract.operation, was_overrun=was_overrun)
    return amendment


@transaction.atomic
def invoice_receive(
    *, contract: Contract, number: str, received_on: datetime.date, amount_ht: Decimal
) -> Invoice:
    """Records an invoice; the legal period to pay it runs from its receipt."""
    if amount_ht < 0:
        raise DomainError(ErrorCode.INVALID_DATA, _("Le montant est négatif."))
    if contract.invoices.filter(number=number).exists():
        raise _already(_("Cette facture est déjà enregistrée."))
    return Invoice.objects.create(
        authority_id=contract.authority_id,
        contract=contract,
        number=number,
        received_on=received_on,
        due_on=received_on + datetime.timedelta(days=PAYMENT_PERIOD_DAYS),
        amount_ht=amount_ht,
        amount_ttc=ttc(amount_ht, contract.vat_rate),
    )


@transaction.atomic
def invoice_certify(*, invoice: Invoice, certified_on: datetime.date) -> Invoice:
    if invoice.certified_on is not None:
        raise _already(_("Le service fait est déjà constaté."))
    if certified_on < invoice.received_on:
        raise DomainError(ErrorCode.INVALID_DATA, _("Date antérieure à la réception."))
    invoice.certified_on = certified_on
    invoice.save(update_fields=["certified_on"])
    return invoice


@transaction.atomic
def invoice_pay(*, invoice: Invoice, paid_on: datetime.date) -> Invoice:
    if invoice.paid_on is not None:
        raise _already(_("Cette facture est déjà payée."))
    if invoice.certified_on is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, _("Constatez le service fait avant de payer.")
        )
    if paid_on < invoice.certified_on:
        raise DomainError(ErrorCode.INVALID_DATA, _("Date antérieure au service fait."))
    invoice.paid_on = paid_on
    invoice.save(update_fields=["paid_on"])
    return invoice


@transaction.atomic
def invoices_deadline_alert(*, now: datetime.datetime, days_before: int) -> int:
    """E-mails the operation's service and lead about each unpaid invoice whose legal payment
    date is `days_before` days away or less, once. Days are counted in Europe/Paris."""
    today = timezone.localdate(now)
    limit = today + datetime.timedelta(days=days_before)
    due = (
        Invoice.objects.select_for_update(skip_locked=True, of=("self",))
        .unpaid()
        .filter(alerted_at__isnull=True, due_on__lte=limit)
        .select_related(
            "contract", "contract__operation", "contract__operation__service", "authority"
        )
        .select_related("contract__operation__lead")
    )
    count = 0
    for invoice in due:
        operation = invoice.contract.operation
        recipients = {operation.service.email, operation.lead.email if operation.lead else ""}
        for to in sorted(recipients - {""}):
            email_queue(
                authority=invoice.authority,
                to=to,
                template="real_estate_invoice_due",
                context={
                    "invoice": invoice,
                    "operation": operation,
                    "days_left": (invoice.due_on - today).days,
                },
            )
        invoice.alerted_at = now
        invoice.save(update_fields=["alerted_at"])
        count += 1
    return count


# --- Risks, documents, photos ---------------------------------------------------------------


@transaction.atomic
def risk_record(
    *, operation: Operation, title: str, probability: int, impact: int, mitigation: str
) -> Risk:
    if operation.risks.filter(title=title).exists():
        raise _already(_("Ce risque est déjà au registre."))
    return Risk.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        title=title,
        probability=probability,
        impact=impact,
        mitigation=mitigation,
    )


@transaction.atomic
def risk_close(*, risk: Risk) -> Risk:
    risk.is_closed = True
    risk.save(update_fields=["is_closed"])
    return risk


@transaction.atomic
def document_add(
    *, operation: Operation, phase: Phase | None, title: str, upload: UploadedFile, by: User
) -> Document:
    if operation.documents.filter(phase=phase, title=title).exists():
        raise _already(_("Un document de ce titre existe déjà pour cette phase."))
    return Document.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        phase=phase,
        title=title,
        file=upload,
        original_name=upload.name or "document",
        content_type=getattr(upload, "sniffed_type", upload.content_type or ""),
        uploaded_by=by,
    )


def _image_reencoded(upload: UploadedFile) -> tuple[ContentFile, str]:
    """The photo drawn again by Pillow: what is kept is pixels, not whatever else the file
    held (metadata, location, trailing data); large photos are brought down to 2000 px."""
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((2000, 2000))
            is_png = image.format == "PNG" or upload.name.lower().endswith(".png")
            buffer = io.BytesIO()
            if is_png:
                image.save(buffer, "PNG", optimize=True)
            else:
                image.convert("RGB").save(buffer, "JPEG", quality=85)
    except (OSError, Image.DecompressionBombError) as error:
        raise DomainError(ErrorCode.INVALID_FILE, _("Cette image est illisible.")) from error
    name = "photo.png" if is_png else "photo.jpg"
    return ContentFile(buffer.getvalue(), name=name), "image/png" if is_png else "image/jpeg"


@transaction.atomic
def photo_add(
    *,
    operation: Operation,
    upload: UploadedFile,
    caption: str,
    taken_on: datetime.date,
    is_public: bool,
) -> Photo:
    if operation.photos.filter(caption=caption, taken_on=taken_on).exists():
        raise _already(_("Cette photo est déjà ajoutée."))
    content, content_type = _image_reencoded(upload)
    return Photo.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        image=content,
        content_type=content_type,
        caption=caption,
        taken_on=taken_on,
        is_public=is_public,
    )


# --- Residents: notices and subscriptions ---------------------------------------------------


@transaction.atomic
def notice_publish(
    *,
    operation: Operation,
    kind: str,
    title: str,
    body: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    unsubscribe_url: str,
) -> WorksNotice:
    """Publishes a works notice on the public page and e-mails it to confirmed subscribers.

    `unsubscribe_url` holds `{token}`, replaced by each subscription's."""
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(ErrorCode.INVALID_DATA, _("La fin précède le début."))
    if operation.notices.filter(title=title, starts_on=starts_on).exists():
        raise _already(_("Cet avis est déjà publié."))
    notice = WorksNotice.objects.create(
        authority_id=operation.authority_id,
        operation=operation,
        kind=kind,
        title=title,
        body=body,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    for subscription in operation.subscriptions.filter(confirmed_at__isnull=False):
        email_queue(
            authority=operation.authority,
            to=subscription.email,
            template="real_estate_notice",
            context={
                "operation": operation,
                "notice": notice,
                "unsubscribe_url": unsubscribe_url.format(token=subscription.token),
            },
        )
    return notice


@transaction.atomic
def subscription_request(*, operation: Operation, email: str, confirm_url: str) -> Subscription:
    """Asks for a subscription; the address is followed once the link is clicked. The link
    is sent once per address and operation: the form cannot be used to flood a mailbox, and
    the answer is the same whether the address was known or not."""
    email = email.strip().lower()
    subscription, created = Subscription.objects.get_or_create(
        operation=operation, email=email, defaults={"authority_id": operation.authority_id}
    )
    if created:
        email_queue(
            authority=operation.authority,
            to=email,
            template="real_estate_subscription_confirm",
            context={"operation": operation, "url": confirm_url.format(token=subscription.token)},
        )
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription: Subscription, now: datetime.datetime) -> Subscription:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription: Subscription) -> None:
    subscription.delete()
