"""System checks of payments (ids `guichet.payments.*`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def dummy_backend_off_in_production(**kwargs: Any) -> list[Error]:
    """eopayment's dummy backend counts any answer carrying `signed` as signed: anyone could
    mark an invoice paid. It is for the demo and the tests, never a deployed site."""
    if settings.GUICHET_PAYMENT_ALLOW_DUMMY and not settings.DEBUG:
        return [
            Error(
                "GUICHET_PAYMENT_ALLOW_DUMMY is on with DEBUG off: eopayment's dummy backend "
                "lets anyone mark a payment paid.",
                hint="Unset GUICHET_PAYMENT_ALLOW_DUMMY; configure a real provider in "
                "GUICHET_PAYMENT_EOPAYMENT (docs/configuration.md).",
                id="guichet.payments.E001",
            )
        ]
    return []
