"""Residents' pages for the authority's building operations: what, where, when, progress."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.frontoffice.real_estate.forms import SubscriptionForm
from guichet.real_estate import selectors, services
from guichet.real_estate.models import Operation
from guichet.real_estate.timeline import timeline_rows, timeline_svg


def _authority(request: HttpRequest) -> Any:
    return request.authority  # type: ignore[attr-defined]


def operations(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        (operation, selectors.operation_progress(operation=operation, today=today))
        for operation in selectors.operations_public(authority=_authority(request))
    ]
    return render(request, "frontoffice/real_estate/operations.html", {"rows": rows})


def _page(
    request: HttpRequest, operation: Operation, form: SubscriptionForm, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    progress = selectors.operation_progress(operation=operation, today=today)
    milestones = list(operation.milestones.all())
    rows = timeline_rows(phases=progress["phases"], today=today)
    return render(
        request,
        "frontoffice/real_estate/operation.html",
        {
            "operation": operation,
            "progress": progress,
            "rows": rows,
            "svg": timeline_svg(rows=rows, milestones=milestones, today=today),
            "photos": operation.photos.filter(is_public=True),
            "notices": operation.notices.all(),
            "form": form,
        },
        status=status,
    )


def operation_detail(request: HttpRequest, operation_id: int) -> HttpResponse:
    operation = selectors.operation_get_public(
        authority=_authority(request), operation_id=operation_id
    )
    return _page(request, operation, SubscriptionForm())


@require_POST
def subscribe(request: HttpRequest, operation_id: int) -> HttpResponse:
    operation = selectors.operation_get_public(
        authority=_authority(request), operation_id=operation_id
    )
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _page(request, operation, form, status=422)
    path = reverse("frontoffice:real_estate_subscription_confirm", kwargs={"token": "TOKEN"})
    services.subscription_request(
        operation=operation,
        email=form.cleaned_data["email"],
        confirm_url=request.build_absolute_uri(path).replace("TOKEN", "{token}"),
    )
    messages.success(
        request,
        _("Un courriel vous a été envoyé : ouvrez le lien qu'il contient pour confirmer."),
    )
    return redirect("frontoffice:real_estate_operation", operation_id=operation.pk)


def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = selectors.subscription_get(authority=_authority(request), token=token)
    services.subscription_confirm(subscription=subscription, now=timezone.now())
    messages.success(request, _("Votre abonnement est confirmé."))
    return redirect("frontoffice:real_estate_operation", operation_id=subscription.operation_id)


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A page asking to confirm, so that a link opened by a mail scanner unsubscribes nobody."""
    subscription = selectors.subscription_get(authority=_authority(request), token=token)
    if request.method == "POST":
        operation_id = subscription.operation_id
        services.subscription_cancel(subscription=subscription)
        messages.success(request, _("Vous ne recevrez plus les nouvelles de ce chantier."))
        return redirect("frontoffice:real_estate_operation", operation_id=operation_id)
    return render(
        request, "frontoffice/real_estate/unsubscribe.html", {"subscription": subscription}
    )


def photo(request: HttpRequest, operation_id: int, photo_id: int) -> FileResponse:
    found = selectors.photo_get_public(
        authority=_authority(request), operation_id=operation_id, photo_id=photo_id
    )
    return FileResponse(found.image.open("rb"), content_type=found.content_type)
