"""Writes on payments. A provider's answer is applied once: replayed, it changes nothing."""

import datetime
import logging
import secrets
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.core.errors import DomainError, ErrorCode
from guichet.payments.models import Charge, Payment, PaymentEvent, Regie
from guichet.payments.providers import (
    PaymentProvider,
    PaymentRequest,
    PaymentResponse,
    provider_for,
)
from guichet.tenants.models import Authority

logger = logging.getLogger(__name__)

# purpose → function settling the paid object (registered by the domain owning it, in its
# AppConfig.ready). Called inside the transaction that marks the payment paid, once.
_SETTLERS: dict[str, Callable[[Payment], None]] = {}


def settler_register(*, purpose: str, settle: Callable[[Payment], None]) -> None:
    _SETTLERS[purpose] = settle


def regie_provider(*, regie: Regie) -> PaymentProvider:
    return provider_for(path=regie.provider, merchant_id=regie.merchant_id, secret=regie.secret)


@transaction.atomic
def payment_start(
    *,
    regie: Regie,
    amount: Decimal,
    label: str,
    purpose: str,
    purpose_id: int,
    payer_email: str = "",
) -> Payment:
    if amount <= 0:
        raise DomainError(ErrorCode.INVALID_DATA, _("Rien à payer."))
    if Payment.objects.filter(
        authority_id=regie.authority_id, purpose=purpose, purpose_id=purpose_id, state="paid"
    ).exists():
        raise DomainError(ErrorCode.ALREADY_DONE, _("Déjà payé."))
    return Payment.objects.create(
        authority_id=regie.authority_id,
        regie=regie,
        reference=f"{timezone.localdate():%Y%m%d}-{secrets.token_hex(6).upper()}",
        amount=amount,
        label=label,
        purpose=purpose,
        purpose_id=purpose_id,
        payer_email=payer_email,
    )


def payment_request(*, payment: Payment, return_url: str, notify_url: str) -> PaymentRequest:
    """Where to send the payer. The provider's transaction id, when given now, is kept: its
    answers must then name it."""
    order = regie_provider(regie=payment.regie).request(
        reference=payment.reference,
        amount=payment.amount,
        label=payment.label,
        return_url=return_url,
        notify_url=notify_url,
        email=payment.payer_email,
    )
    if order.transaction_id:
        payment.transaction_id = order.transaction_id
        payment.save(update_fields=["transaction_id"])
    return order


def payment_response_apply(
    *,
    authority: Authority,
    reference: str,
    fields: Mapping[str, str],
    channel: str,
    query_string: str = "",
) -> Payment:
    """Applies a provider's answer (browser return or server notification), read by the
    provider from `query_string`; `fields` is what is kept of it in the event.

    Refused (DomainError, nothing written) when the payment is unknown in this authority,
    the signature does not verify (INVALID_TOKEN: an unsigned answer says nothing), or the
    answer is about another transaction or amount. A payment leaves `created` once: a
    replayed or late answer is recorded as an event and changes nothing."""
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("regie")
            .filter(authority=authority, reference=reference)
            .first()
        )
        if payment is None:
            raise DomainError(ErrorCode.INVALID_DATA, _("Paiement inconnu."))
        response = regie_provider(regie=payment.regie).response(query_string=query_string)
        if not _answers_this_payment(payment=payment, response=response):
            raise DomainError(
                ErrorCode.INVALID_DATA, _("La réponse ne correspond pas au paiement.")
            )
        changed = not payment.is_final and response.result != "waiting"
        if changed:
            payment.state = response.result
            payment.transaction_id = response.transaction_id or payment.transaction_id
            payment.settled_at = timezone.now()
            payment.save(update_fields=["state", "transaction_id", "settled_at"])
            if payment.state == Payment.State.PAID:
                _SETTLERS[payment.purpose](payment)
                _charge_settle_online(payment=payment)
        elif response.result != payment.state:
            logger.warning("payment %s: late answer %s ignored", payment.reference, response.result)
        PaymentEvent.objects.create(
            authority_id=payment.authority_id,
            payment=payment,
            channel=channel,
            result=response.result,
            fields=dict(fields),
            changed_state=changed,
        )
    return payment


def _answers_this_payment(*, payment: Payment, response: PaymentResponse) -> bool:
    """A signed answer is about this payment: it names it, or the provider's transaction
    given at the request; and the amount, when sent back, is the amount asked."""
    if response.amount is not None and response.amount != payment.amount:
        return False
    if response.reference:
        return response.reference == payment.reference
    return bool(payment.transaction_id) and response.transaction_id == payment.transaction_id


# --- The ledger of amounts billed (what K4 measures online payment against) ----------------


def charge_record(
    *,
    authority_id: int,
    domain: str,
    purpose: str,
    purpose_id: int,
    amount: Decimal,
    billed_at: datetime.datetime,
    label: str = "",
    procedure_id: int | None = None,
    case_id: int | None = None,
) -> Charge:
    """Records that a domain billed `amount` for its object (`purpose`, `purpose_id`): once,
    a second call returns the first record unchanged. Call it in the transaction that
    bills."""
    if amount < 0:
        raise DomainError(ErrorCode.INVALID_DATA, _("Un montant facturé ne peut être négatif."))
    charge, _created = Charge.objects.get_or_create(
        authority_id=authority_id,
        purpose=purpose,
        purpose_id=purpose_id,
        defaults={
            "domain": domain,
            "amount": amount,
            "billed_at": billed_at,
            "label": label,
            "procedure_id": procedure_id,
            "case_id": case_id,
        },
    )
    return charge


def charge_settle_otherwise(
    *, authority_id: int, purpose: str, purpose_id: int, at: datetime.datetime
) -> int:
    """Marks a charge paid by another means than online payment (counter, cheque, direct
    debit). A charge is settled once: returns 1 when this call settled it, else 0."""
    return Charge.objects.filter(
        authority_id=authority_id, purpose=purpose, purpose_id=purpose_id, settlement=""
    ).update(settlement=Charge.Settlement.OTHER, settled_at=at)


def charge_withdraw(*, authority_id: int, purpose: str, purpose_id: int) -> int:
    """The billed object was cancelled before it was paid: it no longer counts as billed.
    A settled charge stays (refunds happen off-line). Returns the number withdrawn."""
    withdrawn, _by_model = Charge.objects.filter(
        authority_id=authority_id, purpose=purpose, purpose_id=purpose_id, settlement=""
    ).delete()
    return withdrawn


def _charge_settle_online(*, payment: Payment) -> None:
    """The paid payment settles the charge of its purpose, if the domain recorded one."""
    Charge.objects.filter(
        authority_id=payment.authority_id,
        purpose=payment.purpose,
        purpose_id=payment.purpose_id,
        settlement="",
    ).update(settlement=Charge.Settlement.ONLINE, settled_at=payment.settled_at, payment=payment)
