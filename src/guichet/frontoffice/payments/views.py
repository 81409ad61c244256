"""Online payment: the provider's answers (browser return, server notification) and the
local fake bank. Both answers go through `payment_response_apply`: verified, applied once."""

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from guichet.core.errors import DomainError
from guichet.core.http import next_url
from guichet.payments import selectors, services
from guichet.payments.models import PaymentEvent
from guichet.payments.providers import FakeSignedFormProvider
from guichet.payments.tasks import fake_bank_notify

logger = logging.getLogger(__name__)
FIELDS = ("merchant", "reference", "amount", "result", "transaction_id", "signature")


def _authority(request: HttpRequest) -> Any:
    if request.authority is None:  # type: ignore[attr-defined]
        raise Http404
    return request.authority  # type: ignore[attr-defined]


def _reference(request: HttpRequest) -> str:
    """Our reference: in the URL we gave the provider (`ref`), or in its answer."""
    data = request.POST if request.method == "POST" else request.GET
    return str(request.GET.get("ref") or data.get("reference") or "")


def _answer(data: Any) -> dict[str, str]:
    return {key: data[key] for key in FIELDS if key in data}


def payment_return(request: HttpRequest) -> HttpResponse:
    """The payer's browser comes back from the provider."""
    authority = _authority(request)
    try:
        payment = services.payment_response_apply(
            authority=authority,
            reference=_reference(request),
            fields=_answer(request.GET),
            query_string=request.META.get("QUERY_STRING", ""),
            channel=PaymentEvent.Channel.RETURN,
        )
    except DomainError:
        messages.error(request, _("La réponse du prestataire de paiement n'est pas valide."))
    else:
        if payment.state == "paid":
            messages.success(
                request,
                _("Paiement de %(amount)s € reçu, merci. Référence : %(reference)s.")
                % {"amount": localize(payment.amount), "reference": payment.reference},
            )
        else:
            messages.warning(request, _("Le paiement n'a pas abouti ; rien n'a été débité."))
    return redirect(next_url(request, default="/"))


@csrf_exempt
@require_POST
def payment_notification(request: HttpRequest) -> HttpResponse:
    """The provider's server-to-server notification: no session, a signature."""
    authority = _authority(request)
    try:
        services.payment_response_apply(
            authority=authority,
            reference=_reference(request),
            fields=_answer(request.POST),
            # eopayment reads a notification as a query string: the posted fields, in order.
            query_string=request.POST.urlencode() or request.META.get("QUERY_STRING", ""),
            channel=PaymentEvent.Channel.NOTIFICATION,
        )
    except DomainError as exc:
        logger.warning("payment notification refused: %s", exc.message)
        return HttpResponse("refused", status=400, content_type="text/plain")
    return HttpResponse("OK", content_type="text/plain")


def _fake_request(request: HttpRequest) -> tuple[FakeSignedFormProvider, dict[str, str], Any]:
    data = request.POST if request.method == "POST" else request.GET
    fields = {
        key: data.get(key, "") for key in data if key not in ("result", "csrfmiddlewaretoken")
    }
    payment = selectors.payment_get(
        authority=_authority(request), reference=fields.get("reference", "")
    )
    if payment is None:
        raise Http404
    provider = services.regie_provider(regie=payment.regie)
    if not isinstance(provider, FakeSignedFormProvider):
        raise Http404
    try:
        provider.verify_request(fields=fields)
    except DomainError as exc:
        raise Http404 from exc
    return provider, fields, payment


def fake_bank(request: HttpRequest) -> HttpResponse:
    """The local fake bank (demo and tests): the payer pays or gives up."""
    provider, fields, payment = _fake_request(request)
    if request.method != "POST":
        return render(
            request, "frontoffice/payments/fake_bank.html", {"fields": fields, "payment": payment}
        )
    result = "paid" if request.POST.get("result") == "paid" else "cancelled"
    answer = provider.answer(request_fields=fields, result=result)
    notify_url = fields["notify_url"]
    transaction.on_commit(lambda: fake_bank_notify.enqueue(url=notify_url, fields=answer))
    separator = "&" if "?" in fields["return_url"] else "?"
    return redirect(f"{fields['return_url']}{separator}{urlencode(answer)}")
