"""A fake Systempay (Lyra's "vads" form payment), written from its documentation, not from
eopayment: it checks the payment form the merchant's site posts, and builds the answers
Systempay sends — the IPN (instant payment notification) POSTed to `vads_url_check` and the
browser's return — signed with the shop key: HMAC-SHA-256 (base64) of the `vads_*` values
sorted by field name, joined by "+", followed by "+" and the key."""

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

# vads_result, vads_auth_result, vads_trans_status of each outcome.
OUTCOMES = {
    "paid": ("00", "00", "AUTHORISED"),
    "refused": ("05", "05", "REFUSED"),
    "cancelled": ("17", "", "ABANDONED"),
}
# What the form sends that the answers echo.
ECHOED = (
    "vads_amount",
    "vads_currency",
    "vads_ctx_mode",
    "vads_order_id",
    "vads_page_action",
    "vads_payment_config",
    "vads_site_id",
    "vads_trans_date",
    "vads_trans_id",
    "vads_version",
)


def systempay_signature(fields: Mapping[str, str], key: str) -> str:
    values = [fields[name] for name in sorted(fields) if name.startswith("vads_")]
    message = "+".join([*values, key]).encode()
    return base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()


@dataclass(frozen=True)
class FakeSystempay:
    site_id: str
    test_key: str  # the shop's TEST key (the PRODUCTION one signs in PRODUCTION mode)

    def accept_form(self, form: Mapping[str, str]) -> None:
        """Systempay refuses a form that is not signed with the shop key, or not the shop's."""
        if form.get("vads_site_id") != self.site_id or form.get("vads_ctx_mode") != "TEST":
            raise ValueError("unknown shop or mode")
        if not hmac.compare_digest(
            form.get("signature", ""), systempay_signature(form, self.test_key)
        ):
            raise ValueError("form signature")

    def ipn(self, form: Mapping[str, str], *, outcome: str = "paid") -> dict[str, str]:
        """The notification POSTed to `vads_url_check` once the payer has chosen."""
        self.accept_form(form)
        result, auth_result, status = OUTCOMES[outcome]
        fields = {name: form[name] for name in ECHOED if name in form} | {
            "vads_result": result,
            "vads_auth_result": auth_result,
            "vads_extra_result": "",
            "vads_trans_status": status,
            "vads_auth_number": "3fc116" if outcome == "paid" else "",
            "vads_card_brand": "CB",
            "vads_card_number": "497010XXXXXX0055",
            "vads_operation_type": "DEBIT",
            "vads_url_check_src": "PAY",
            "vads_hash": hashlib.sha256(form["vads_trans_id"].encode()).hexdigest(),
        }
        return self.signed(fields)

    def signed(self, fields: Mapping[str, str], *, key: str | None = None) -> dict[str, str]:
        unsigned = {name: value for name, value in fields.items() if name != "signature"}
        return unsigned | {"signature": systempay_signature(unsigned, key or self.test_key)}
