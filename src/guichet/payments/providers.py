"""Payment providers behind one protocol, chosen per régie by dotted path.

`FakeSignedFormProvider` is the local provider of the demo and the tests. It speaks a
signed-form protocol of the kind French banks use (Systempay, Paybox, PayFiP's successors):
the citizen's browser is sent to the provider with the order's fields and an HMAC-SHA256
signature; the provider answers twice — the browser comes back to the return URL, and the
provider calls the notification URL server to server — with the result and a signature.
A response whose signature does not verify is refused, whatever it says.
"""

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

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
        self, *, reference: str, amount: Decimal, label: str, return_url: str, notify_url: str
    ) -> PaymentRequest: ...

    def response(self, *, fields: Mapping[str, str], query_string: str) -> PaymentResponse:
        """Raises `DomainError(INVALID_TOKEN)` unless the answer's signature verifies."""
        ...


def provider_for(*, path: str, merchant_id: str, secret: str) -> PaymentProvider:
    provider_class = import_string(path)
    return provider_class(merchant_id=merchant_id, secret=secret)


def signature(*, fields: Mapping[str, str], secret: str) -> str:
    """HMAC-SHA256 of `key=value` lines sorted by key, every field but the signature."""
    message = "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "signature")
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def amount_to_cents(amount: Decimal) -> str:
    return str(int((amount * 100).to_integral_exact()))


def amount_from_cents(cents: str) -> Decimal:
    if not cents.isdigit():
        raise DomainError(ErrorCode.INVALID_DATA, "amount")
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


class FakeSignedFormProvider:
    results = ("paid", "cancelled", "refused")

    def __init__(self, *, merchant_id: str, secret: str) -> None:
        self.merchant_id = merchant_id
        self.secret = secret

    def request(
        self, *, reference: str, amount: Decimal, label: str, return_url: str, notify_url: str
    ) -> PaymentRequest:
        fields = {
            "merchant": self.merchant_id,
            "reference": reference,
            "amount": amount_to_cents(amount),
            "currency": "EUR",
            "label": label,
            "return_url": return_url,
            "notify_url": notify_url,
        }
        fields["signature"] = signature(fields=fields, secret=self.secret)
        return PaymentRequest(url=settings.GUICHET_PAYMENT_FAKE_URL, method="get", fields=fields)

    def verify_request(self, *, fields: Mapping[str, str]) -> None:
        self._verify(fields)

    def answer(self, *, request_fields: Mapping[str, str], result: str) -> dict[str, str]:
        """What the fake bank sends back once the citizen has chosen (the bank's side)."""
        fields = {
            "merchant": self.merchant_id,
            "reference": request_fields["reference"],
            "amount": request_fields["amount"],
            "result": result,
            "transaction_id": secrets.token_hex(8) if result == "paid" else "",
        }
        fields["signature"] = signature(fields=fields, secret=self.secret)
        return fields

    def response(self, *, fields: Mapping[str, str], query_string: str = "") -> PaymentResponse:
        self._verify(fields)
        result = fields.get("result", "")
        if result not in self.results or fields.get("merchant") != self.merchant_id:
            raise DomainError(ErrorCode.INVALID_DATA, "result")
        return PaymentResponse(
            reference=fields.get("reference", ""),
            amount=amount_from_cents(fields.get("amount", "")),
            result=result,
            transaction_id=fields.get("transaction_id", ""),
        )

    def _verify(self, fields: Mapping[str, str]) -> None:
        given = fields.get("signature", "")
        if not given or not hmac.compare_digest(
            given, signature(fields=fields, secret=self.secret)
        ):
            raise DomainError(ErrorCode.INVALID_TOKEN, "signature")


# Backends whose answers anyone could forge: eopayment's dummy (the browser sets "signed") and
# the legacy TIPI (no signature; PayFiP's web service, payfip_ws, checks the payment instead).
UNVERIFIABLE_BACKENDS = {"dummy", "tipi"}
# eopayment's result codes → ours.
EOPAYMENT_RESULTS = {3: "paid", 4: "refused", 5: "cancelled", 2: "waiting", 1: "waiting"}


class EopaymentProvider:
    """The French payment services through `eopayment` (PayFiP/TIPI, Systempay, Paybox, Ogone,
    Mollie…). The régie's `merchant_id` names its entry in `GUICHET_PAYMENT_EOPAYMENT`
    (`{"<merchant_id>": {"backend": "payfip_ws", "options": {...}}}`), where the provider's
    credentials live, out of the database.

    eopayment reports a result even for an unsigned answer: only a `signed` answer is
    accepted, and the backends whose answers cannot be verified are refused.
    """

    def __init__(self, *, merchant_id: str, secret: str) -> None:
        import eopayment

        config = settings.GUICHET_PAYMENT_EOPAYMENT.get(merchant_id)
        if not config:
            raise DomainError(
                ErrorCode.INVALID_DATA, f"no eopayment configuration for {merchant_id}"
            )
        if config["backend"] in UNVERIFIABLE_BACKENDS:
            raise DomainError(ErrorCode.NOT_ALLOWED, f"{config['backend']}: answers not verifiable")
        self.payment = eopayment.Payment(config["backend"], config.get("options", {}))

    def request(
        self, *, reference: str, amount: Decimal, label: str, return_url: str, notify_url: str
    ) -> PaymentRequest:
        import eopayment

        transaction_id, kind, data = self.payment.request(
            amount,
            orderid=reference,
            subject=label,
            normal_return_url=return_url,
            automatic_return_url=notify_url,
        )
        if kind == eopayment.URL:
            return PaymentRequest(url=data, method="get", fields={}, transaction_id=transaction_id)
        if kind == eopayment.FORM:
            fields = {field["name"]: str(field["value"]) for field in data.fields}
            return PaymentRequest(
                url=data.url,
                method=data.method.lower(),
                fields=fields,
                transaction_id=transaction_id,
            )
        raise DomainError(ErrorCode.INVALID_DATA, "eopayment HTML answers are not supported")

    def response(self, *, fields: Mapping[str, str], query_string: str) -> PaymentResponse:
        import eopayment

        try:
            answer = self.payment.response(query_string)
        except eopayment.ResponseError as exc:
            raise DomainError(ErrorCode.INVALID_DATA, str(exc)) from exc
        if not answer.signed:
            raise DomainError(ErrorCode.INVALID_TOKEN, "unsigned answer")
        result = EOPAYMENT_RESULTS.get(answer.result, "refused")
        return PaymentResponse(
            reference="", amount=None, result=result, transaction_id=answer.transaction_id or ""
        )
