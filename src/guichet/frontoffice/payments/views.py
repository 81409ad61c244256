"""Online payment: the provider's answers (browser return, server notification), both through
`payment_response_apply` (verified, applied once), and the local stand-in of Entr'ouvert's
dummy payment service used by eopayment's `dummy` backend in the demo and the tests."""

import logging
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from guichet.core.errors import DomainError, ErrorCode
from guichet.core.http import next_url
from guichet.payments import selectors, services
from guichet.payments.models import Payment, PaymentEvent
from guichet.payments.providers import dummy_backend_allowed
from guichet.payments.tasks import dummy_service_notify

logger = logging.getLogger(__name__)
# Ours in the URLs given to the provider, not part of its answer.
OUR_PARAMETERS = ("ref", "next", "csrfmiddlewaretoken")


def _authority(request: HttpRequest) -> Any:
    if request.authority is None:  # type: ignore[attr-defined]
        raise Http404
    return request.authority  # type: ignore[attr-defined]


def _reference(request: HttpRequest) -> str:
    """Our reference: in the URL we gave the provider (`ref`); Systempay's notification URL,
    set once in its back office, may lack it: then the order id it echoes."""
    return str(request.GET.get("ref") or request.POST.get("vads_order_id") or "")


def _answer(data: Any) -> dict[str, str]:
    return {key: str(data[key]) for key in data if key not in OUR_PARAMETERS}


def _state_message(request: HttpRequest, payment: Payment) -> None:
    if payment.state == Payment.State.PAID:
        messages.success(
            request,
            _("Paiement de %(amount)s € reçu, merci. Référence : %(reference)s.")
            % {"amount": localize(payment.amount), "reference": payment.reference},
        )
    elif payment.state == Payment.State.CREATED:
        messages.info(
            request,
            _(
                "Paiement en cours de confirmation par le prestataire : il sera enregistré dès "
                "sa confirmation. Référence : %(reference)s."
            )
            % {"reference": payment.reference},
        )
    else:
        messages.warning(request, _("Le paiement n'a pas abouti ; rien n'a été débité."))


def payment_return(request: HttpRequest) -> HttpResponse:
    """The payer's browser comes back from the provider. Its answer counts only when signed
    (Systempay signs it; the dummy service does not): otherwise the payment's state is shown,
    which the provider's notification settles."""
    authority = _authority(request)
    reference = _reference(request)
    try:
        payment = services.payment_response_apply(
            authority=authority,
            reference=reference,
            fields=_answer(request.GET),
            query_string=request.META.get("QUERY_STRING", ""),
            channel=PaymentEvent.Channel.RETURN,
        )
    except DomainError as exc:
        found = selectors.payment_get(authority=authority, reference=reference)
        if found is None or exc.code != ErrorCode.INVALID_TOKEN:
            messages.error(request, _("La réponse du prestataire de paiement n'est pas valide."))
            return redirect(next_url(request, default="/"))
        payment = found
    _state_message(request, payment)
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
            query_string=request.POST.urlencode(),
            channel=PaymentEvent.Channel.NOTIFICATION,
        )
    except DomainError as exc:
        logger.warning("payment notification refused: %s", exc.message)
        return HttpResponse(
            f"refused: {exc.message}", status=400, content_type="text/plain; charset=utf-8"
        )
    return HttpResponse("OK", content_type="text/plain")


# --- The dummy payment service (demo and tests) --------------------------------------------


def _dummy_order(request: HttpRequest) -> dict[str, str]:
    """The order as eopayment's dummy backend sends it (`transaction_id`, `amount`,
    `return_url`, `direct_notification_url`, `origin`, `orderid`, `subject`…). The service
    only answers to this site: its URLs must be on the host it was reached on."""
    if not dummy_backend_allowed():
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    order = {key: str(data[key]) for key in data if key not in ("result", "csrfmiddlewaretoken")}
    try:
        amount = Decimal(order.get("amount", ""))
    except InvalidOperation as exc:
        raise Http404 from exc
    for key in ("return_url", "direct_notification_url"):
        url = urlsplit(order.get(key, ""))
        if url.scheme not in ("http", "https") or url.netloc != request.get_host():
            raise Http404
    if not order.get("transaction_id") or amount <= 0:
        raise Http404
    return order


@require_http_methods(["GET", "POST"])
def dummy_service(request: HttpRequest) -> HttpResponse:
    """The payer pays or gives up. Then, as Entr'ouvert's dummy service: the notification
    (`transaction_id`, `ok` when paid, `signed`) is POSTed to `direct_notification_url` by a
    task, and the browser goes back to `return_url` with an unsigned answer."""
    order = _dummy_order(request)
    if request.method != "POST":
        return render(
            request,
            "frontoffice/payments/dummy_service.html",
            {"order": order, "amount": Decimal(order["amount"])},
        )
    is_paid = request.POST.get("result") == "paid"
    outcome = {"transaction_id": order["transaction_id"]} | ({"ok": "1"} if is_paid else {})
    notification = outcome | {"signed": "1"}
    notify_url = order["direct_notification_url"]
    transaction.on_commit(lambda: dummy_service_notify.enqueue(url=notify_url, fields=notification))
    return_url = order["return_url"]
    separator = "&" if "?" in return_url else "?"
    return redirect(f"{return_url}{separator}{urlencode(outcome)}")
