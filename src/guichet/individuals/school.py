"""School and early childhood: households, enrolments with limited places, prices by family
quotient, attendance, monthly invoices paid online. Writes here, one transaction each."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import User
from guichet.core.errors import DomainError, ErrorCode
from guichet.documents.pdf import pdf_render
from guichet.individuals.models import (
    Activity,
    Attendance,
    Child,
    Creche,
    CrecheRequest,
    Enrolment,
    Household,
    Invoice,
    InvoiceLine,
    PriceBracket,
    Session,
)
from guichet.notifications.services import email_queue
from guichet.payments.models import Payment, Regie
from guichet.payments.services import charge_record, payment_start
from guichet.tenants.models import Authority

CENT = Decimal("0.01")
INVOICE_PURPOSE = "individuals.invoice"


def money(amount: Decimal) -> Decimal:
    """Rounded to the cent, halves away from zero (as a cash office does)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Household ------------------------------------------------------------------------------


@transaction.atomic
def household_for(*, user: User) -> Household:
    """The family account of a person, created on their first visit."""
    household = user.households.filter(authority_id=user.authority_id).first()
    if household is None:
        household = Household.objects.create(
            authority_id=user.authority_id, name=user.last_name or user.email
        )
        household.adults.add(user)
    return household


def child_add(
    *,
    household: Household,
    first_name: str,
    last_name: str,
    birth_date: datetime.date,
    school: str = "",
    school_class: str = "",
) -> Child:
    return Child.objects.create(
        authority_id=household.authority_id,
        household=household,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        school=school,
        school_class=school_class,
    )


def quotient_set(
    *, household: Household, quotient: Decimal, source: str, document: object = None
) -> Household:
    if quotient < 0:
        raise DomainError(ErrorCode.INVALID_DATA, _("Le quotient familial est positif."))
    household.quotient = quotient
    household.quotient_source = source
    update_fields = ["quotient", "quotient_source"]
    if document is not None:
        household.quotient_document = document  # type: ignore[assignment]
        update_fields.append("quotient_document")
    household.save(update_fields=update_fields)
    return household


# --- Enrolment ------------------------------------------------------------------------------


def session_enrol(*, child: Child, session: Session) -> Enrolment:
    """Enrols a child in a session with limited places: a place if one is left, else the
    waiting list. Never more confirmed children than places, even when many families submit
    at the same second: the session's row is locked (PostgreSQL) while places are counted;
    the same child twice gets the first enrolment back."""
    if child.authority_id != session.authority_id:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Cette session n'existe pas."))
    # Read before the session's row is locked: at an opening every family waits for that
    # lock in turn, so it is held only for the statements that need it.
    adults = list(child.household.adults.all())
    authority = child.authority
    try:
        with transaction.atomic():
            locked = (
                Session.objects.select_for_update(of=("self",))
                .select_related("activity")
                .get(pk=session.pk)
            )
            existing = _active_enrolment(child=child, session=locked)
            if existing is not None:
                return existing
            taken = Enrolment.objects.filter(
                session=locked, status=Enrolment.Status.CONFIRMED
            ).count()
            status = (
                Enrolment.Status.CONFIRMED if taken < locked.capacity else Enrolment.Status.WAITING
            )
            enrolment = Enrolment.objects.create(
                authority_id=child.authority_id,
                child=child,
                activity_id=locked.activity_id,
                session=locked,
                status=status,
            )
            _enrolment_announce(enrolment=enrolment, adults=adults, authority=authority)
            return enrolment
    except IntegrityError:
        # The same child sent twice at once: the first one holds the enrolment.
        existing = _active_enrolment(child=child, session=session)
        if existing is None:
            raise
        return existing


def _enrolment_announce(*, enrolment: Enrolment, adults: list[User], authority: Authority) -> None:
    """Each adult of the family learns the outcome by e-mail: a place or the waiting list."""
    child = enrolment.child
    for adult in adults:
        email_queue(
            authority=authority,
            to=adult.email,
            template="session_enrolment",
            context={"enrolment": enrolment, "child": child, "session": enrolment.session},
        )


def _active_enrolment(*, child: Child, session: Session) -> Enrolment | None:
    return (
        Enrolment.objects.filter(child=child, session=session)
        .exclude(status=Enrolment.Status.CANCELLED)
        .first()
    )


def activity_enrol(*, child: Child, activity: Activity, weekdays: list[int]) -> Enrolment:
    """Enrols a child in a regular activity (canteen, after-school care) on some weekdays
    (0 = Monday … 4 = Friday); enrolling again changes the days."""
    days = sorted({day for day in weekdays if 0 <= day <= 4})
    if not days:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez au moins un jour."))
    if activity.kind == Activity.Kind.LEISURE:
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez une session."))
    enrolment, created = Enrolment.objects.get_or_create(
        authority_id=child.authority_id,
        child=child,
        activity=activity,
        session=None,
        status=Enrolment.Status.CONFIRMED,
        defaults={"weekdays": days},
    )
    if not created and enrolment.weekdays != days:
        enrolment.weekdays = days
        enrolment.save(update_fields=["weekdays"])
    return enrolment


def attendance_record(
    *, enrolment: Enrolment, date: datetime.date, is_present: bool, by: User
) -> Attendance:
    attendance, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        date=date,
        defaults={"authority_id": enrolment.authority_id, "is_present": is_present, "taken_by": by},
    )
    return attendance


# --- Prices and invoices --------------------------------------------------------------------


def unit_price(*, activity: Activity, quotient: Decimal | None) -> Decimal:
    """The bracket's price for this quotient; without a declared quotient, the top bracket."""
    brackets = list(PriceBracket.objects.filter(activity=activity))
    if not brackets:
        raise DomainError(ErrorCode.INVALID_DATA, _("Aucun tarif pour cette activité."))
    if quotient is not None:
        for bracket in brackets:  # ordered by ceiling, the open one last
            if bracket.quotient_max is None or quotient <= bracket.quotient_max:
                return bracket.unit_price
    return brackets[-1].unit_price


def _month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def invoice_lines_compute(
    *, household: Household, regie: Regie, month: datetime.date
) -> list[InvoiceLine]:
    """One line per child and activity: the days present in the month times the unit price of
    the household's bracket, rounded to the cent. Unsaved."""
    start, end = _month_bounds(month)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    attendances = Attendance.objects.filter(
        authority_id=household.authority_id,
        enrolment__child__household=household,
        enrolment__activity__regie=regie,
        date__gte=start,
        date__lt=end,
        is_present=True,
    ).select_related("enrolment")
    for attendance in attendances:
        counts[(attendance.enrolment.child_id, attendance.enrolment.activity_id)] += 1
    children = {child.pk: child for child in household.children.all()}
    activities = {a.pk: a for a in Activity.objects.filter(pk__in={a for _c, a in counts})}
    lines = []
    for (child_id, activity_id), quantity in sorted(counts.items()):
        activity = activities[activity_id]
        price = unit_price(activity=activity, quotient=household.quotient)
        lines.append(
            InvoiceLine(
                authority_id=household.authority_id,
                label=f"{activity.name} — {children[child_id].first_name}",
                quantity=quantity,
                unit_price=price,
                amount=money(price * quantity),
            )
        )
    return lines


@transaction.atomic
def invoice_issue(*, household: Household, regie: Regie, month: datetime.date) -> Invoice | None:
    """The month's invoice of a household for a régie; issued once (None: nothing to bill)."""
    start, _end = _month_bounds(month)
    existing = Invoice.objects.filter(household=household, regie=regie, month=start).first()
    if existing is not None:
        return existing
    lines = invoice_lines_compute(household=household, regie=regie, month=start)
    if not lines:
        return None
    invoice = Invoice.objects.create(
        authority_id=household.authority_id,
        household=household,
        regie=regie,
        number=f"{regie.slug.upper()[:8]}-{start:%Y%m}-{household.pk:06d}",
        month=start,
        total=money(sum((line.amount for line in lines), Decimal(0))),
        due_date=_month_bounds(start)[1] + datetime.timedelta(days=14),
    )
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    if invoice.total > 0:  # the ledger the barometer measures online payment against (K4)
        charge_record(
            authority_id=invoice.authority_id,
            domain="individuals",
            purpose=INVOICE_PURPOSE,
            purpose_id=invoice.pk,
            amount=invoice.total,
            billed_at=invoice.issued_at,
            label=invoice.number,
        )
    return invoice


def invoices_issue(*, authority: Authority, month: datetime.date) -> int:
    count = 0
    for regie in Regie.objects.filter(authority=authority):
        for household in Household.objects.filter(authority=authority):
            if invoice_issue(household=household, regie=regie, month=month):
                count += 1
    return count


def invoice_settle(payment: Payment) -> None:
    """Marks the invoice paid by this payment (called once, by payments, in its transaction)."""
    Invoice.objects.filter(
        authority_id=payment.authority_id, pk=payment.purpose_id, paid_at__isnull=True
    ).update(paid_at=timezone.now(), payment_reference=payment.reference)


@transaction.atomic
def invoices_remind(*, now: datetime.datetime) -> int:
    """E-mails the family once about each invoice still unpaid some days after its due date."""
    late = timezone.localdate(now) - datetime.timedelta(days=settings.GUICHET_INVOICE_REMINDER_DAYS)
    overdue = (
        Invoice.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(Q(paid_at__isnull=True), reminded_at__isnull=True, due_date__lt=late)
        .select_related("authority", "household")
    )
    count = 0
    for invoice in overdue:
        for adult in invoice.household.adults.all():
            email_queue(
                authority=invoice.authority,
                to=adult.email,
                template="invoice_reminder",
                context={"invoice": invoice},
            )
        invoice.reminded_at = now
        invoice.save(update_fields=["reminded_at"])
        count += 1
    return count


def invoice_pdf(*, invoice: Invoice) -> bytes:
    return pdf_render(
        template="individuals/pdf/invoice.html",
        context={
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "authority": invoice.authority,
        },
    )


def invoice_payment_start(*, invoice: Invoice, payer: User) -> Payment:
    if invoice.is_paid:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cette facture est déjà payée."))
    return payment_start(
        regie=invoice.regie,
        amount=invoice.total,
        label=_("Facture %(number)s") % {"number": invoice.number},
        purpose=INVOICE_PURPOSE,
        purpose_id=invoice.pk,
        payer_email=payer.email,
    )


# --- Crèche waiting list --------------------------------------------------------------------

# The authority's priority rules, in points (the committee sees the total and the reasons).
PRIORITY_CRITERIA = {
    "single_parent": (3, gettext_lazy("Famille monoparentale")),
    "disability": (3, gettext_lazy("Enfant ou parent en situation de handicap")),
    "both_working": (2, gettext_lazy("Parents qui travaillent ou en formation")),
    "sibling": (1, gettext_lazy("Frère ou sœur déjà accueilli")),
}


@transaction.atomic
def creche_request_file(
    *,
    household: Household,
    child: Child,
    date_needed: datetime.date,
    weekdays: list[int],
    criteria: list[str],
) -> CrecheRequest:
    if child.household_id != household.pk:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Cet enfant n'est pas de votre foyer."))
    known = [code for code in criteria if code in PRIORITY_CRITERIA]
    existing = child.creche_requests.exclude(status=CrecheRequest.Status.DECLINED).first()
    if existing is not None:
        return existing
    return CrecheRequest.objects.create(
        authority_id=household.authority_id,
        household=household,
        child=child,
        date_needed=date_needed,
        weekdays=sorted(set(weekdays)),
        criteria=known,
        priority=sum(PRIORITY_CRITERIA[code][0] for code in known),
    )


@transaction.atomic
def creche_place_offer(*, request: CrecheRequest, creche: Creche, by: User) -> CrecheRequest:
    """The committee offers a place, within the crèche's capacity (offers pending count)."""
    creche = Creche.objects.select_for_update().get(pk=creche.pk)
    request = CrecheRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CrecheRequest.Status.WAITING:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cette demande n'est plus en attente."))
    taken = CrecheRequest.objects.filter(
        creche=creche,
        status__in=[CrecheRequest.Status.OFFERED, CrecheRequest.Status.ACCEPTED],
    ).count()
    if taken >= creche.capacity:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Plus de place libre dans cette crèche."))
    request.status = CrecheRequest.Status.OFFERED
    request.creche = creche
    request.offered_at = timezone.now()
    request.save(update_fields=["status", "creche", "offered_at"])
    for adult in request.household.adults.all():
        email_queue(
            authority=request.household.authority,
            to=adult.email,
            template="creche_place_offered",
            context={"request": request},
        )
    return request


@transaction.atomic
def creche_offer_answer(*, request: CrecheRequest, is_accepted: bool) -> CrecheRequest:
    request = CrecheRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CrecheRequest.Status.OFFERED:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Aucune place n'est proposée."))
    request.status = CrecheRequest.Status.ACCEPTED if is_accepted else CrecheRequest.Status.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request
