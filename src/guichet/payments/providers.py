"""Payment providers behind one protocol, chosen per régie by dotted path.

`EopaymentProvider` reaches the French payment services through `eopayment` (PayFiP,
Systempay, Paybox, Ogone, Mollie…), and in the demo and the tests eopayment's `dummy`
backend, pointed at the local stand-in of Entr'ouvert's dummy payment service
(`/paiement/banque-fictive/`). See docs/payments.md and ADR 0022.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import urlsplit

import eopayment
from django.conf import settings
from django.utils.module_loading import import_string

from guichet.core.errors import DomainError, ErrorCode


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """Where to send the browser, and the fields of the form posted there."""

    url: str
    method: str
    fields: dict[str, str]
    transaction_id: str = ""  # the provider's id of the transaction, when known at once


@dataclass(frozen=True, slots=True)
class PaymentResponse:
    """A verified answer of the provider."""

    reference: str  # ours, when the provider sends it back ("" otherwise)
    amount: Decimal | None  # None when the provider does not send it back
    result: str  # paid | cancelled | refused | waiting
    transaction_id: str


class PaymentProvider(Protocol):
    def request(
        self,
        *,
        reference: str,
        amount: Decimal,
        label: str,
        return_url: str,
        notify_url: str,
        email: str = "",
    ) -> PaymentRequest: ...

    def response(self, *, query_string: str) -> PaymentResponse:
        """Raises `DomainError(INVALID_TOKEN)` unless the answer's signature verifies."""
        ...


def provider_for(*, path: str, merchant_id: str, secret: str) -> PaymentProvider:
    provider_class = import_string(path)
    return provider_class(merchant_id=merchant_id, secret=secret)


def amount_from_cents(cents: str) -> Decimal:
    if not cents.isdigit():
        raise DomainError(ErrorCode.INVALID_DATA, "amount")
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


# The local stand-in for Entr'ouvert's dummy payment service (frontoffice.payments).
DUMMY_SERVICE_PATH = "/paiement/banque-fictive/"
# The legacy TIPI backend has no signature at all (PayFiP's web service, payfip_ws, replaces it).
REFUSED_BACKENDS = {"tipi"}
# eopayment's result codes → ours. An unknown or failed answer ends the attempt as refused:
# nothing was debited and the payer may start again.
EOPAYMENT_RESULTS = {
    eopayment.RECEIVED: "waiting",
    eopayment.ACCEPTED: "waiting",
    eopayment.WAITING: "waiting",
    eopayment.PAID: "paid",
    eopayment.DENIED: "refused",
    eopayment.CANCELLED: "cancelled",
    eopayment.EXPIRED: "cancelled",
    eopayment.ERROR: "refused",
}
# Fields a backend echoes under its signature: our reference and the amount in cents, checked
# against the payment (a signed answer about another order or amount is refused).
ECHOED_FIELDS = {
    "systempayv2": ("vads_order_id", "vads_amount"),
    "payzen": ("vads_order_id", "vads_amount"),
}


def dummy_backend_allowed() -> bool:
    return bool(settings.GUICHET_PAYMENT_ALLOW_DUMMY)


class EopaymentProvider:
    """The régie's `merchant_id` names its entry in `GUICHET_PAYMENT_EOPAYMENT`
    (`{"<merchant_id>": {"backend": "payfip_ws", "options": {...}}}`), where the provider's
    credentials live, out of the database.

    eopayment reports a result even for an answer whose signature failed: only a `signed`
    answer is accepted. The `dummy` backend, whose "signature" is a flag anyone can set, only
    when `GUICHET_PAYMENT_ALLOW_DUMMY` is on; `tipi` never.
    """

    def __init__(self, *, merchant_id: str, secret: str = "") -> None:
        config = settings.GUICHET_PAYMENT_EOPAYMENT.get(merchant_id)
        if not config:
            raise DomainError(
                ErrorCode.INVALID_DATA, f"no eopayment configuration for {merchant_id}"
            )
        self.backend: str = config["backend"]
        self.options: dict[str, Any] = dict(config.get("options", {}))
        if self.backend in REFUSED_BACKENDS:
            raise DomainError(ErrorCode.NOT_ALLOWED, f"{self.backend}: answers not verifiable")
        if self.backend == "dummy" and not dummy_backend_allowed():
            raise DomainError(
                ErrorCode.NOT_ALLOWED, "dummy: demo and tests only (GUICHET_PAYMENT_ALLOW_DUMMY)"
            )
        if self.options.get("consider_all_response_signed"):
            # The dummy's switch that would count an unsigned browser return as signed.
            raise DomainError(ErrorCode.NOT_ALLOWED, "consider_all_response_signed is refused")

    def _payment(self, **urls: str) -> eopayment.Payment:
        return eopayment.Payment(self.backend, self.options | urls)

    def request(
        self,
        *,
        reference: str,
        amount: Decimal,
        label: str,
        return_url: str,
        notify_url: str,
        email: str = "",
    ) -> PaymentRequest:
        # eopayment takes the return URLs as options of the backend, not per request.
        payment = self._payment(normal_return_url=return_url, automatic_return_url=notify_url)
        try:
            transaction_id, kind, data = payment.request(
                amount, orderid=reference, subject=label, email=email or None
            )
        except (eopayment.PaymentException, ValueError) as exc:  # PayFiP's web service, checks
            raise DomainError(ErrorCode.INVALID_DATA, str(exc)) from exc
        if kind == eopayment.URL:
            url = self._dummy_service(data) if self.backend == "dummy" else data
            return PaymentRequest(url=url, method="get", fields={}, transaction_id=transaction_id)
        if kind == eopayment.FORM:
            fields = {field["name"]: str(field["value"]) for field in data.fields}
            return PaymentRequest(
                url=data.url,
                method=data.method.lower(),
                fields=fields,
                transaction_id=transaction_id,
            )
        raise DomainError(ErrorCode.INVALID_DATA, "eopayment HTML answers are not supported")

    def _dummy_service(self, url: str) -> str:
        """eopayment's dummy ignores its `dummy_service_url` option and always sends the payer
        to Entr'ouvert's public service: keep its query, on the configured service (by default
        the local one)."""
        service = self.options.get("dummy_service_url") or DUMMY_SERVICE_PATH
        return f"{service}?{urlsplit(url).query}"

    def response(self, *, query_string: str) -> PaymentResponse:
        try:
            answer = self._payment().response(query_string)
        except (eopayment.PaymentException, ValueError, KeyError) as exc:
            raise DomainError(ErrorCode.INVALID_DATA, str(exc)) from exc
        if answer.signed is not True:
            raise DomainError(
                ErrorCode.INVALID_TOKEN, "the signature is missing or does not verify"
            )
        reference_field, amount_field = ECHOED_FIELDS.get(self.backend, ("", ""))
        bank_data = answer.bank_data or {}
        amount = bank_data.get(amount_field) if amount_field else None
        return PaymentResponse(
            reference=str(bank_data.get(reference_field, "")) if reference_field else "",
            amount=amount_from_cents(str(amount)) if amount is not None else None,
            result=EOPAYMENT_RESULTS.get(answer.result, "refused"),
            # The id request() gave: eopayment's `order_id` (PayFiP's `transaction_id` adds
            # the refdet and the authorisation number to it).
            transaction_id=answer.order_id or answer.transaction_id or "",
        )
