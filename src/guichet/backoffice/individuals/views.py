"""Agents' pages of the individuals' domain: parse, authorise, one service, render."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import User
from guichet.backoffice.decorators import agent_required
from guichet.core.errors import DomainError
from guichet.individuals import selectors, services


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Raison du refus"),
        help_text=gettext_lazy("Elle est envoyée au demandeur."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _agent(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@agent_required
def civil_status_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for case in selectors.civil_status_cases_for_agent(agent=_agent(request)):
        civil = selectors.civil_status_request_for(case=case)
        rows.append((case, civil, selectors.civil_status_access(request=civil, today=today)))
    return render(request, "backoffice/individuals/civil_status_queue.html", {"rows": rows})


@agent_required
def civil_status_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.civil_status_case_for_agent(agent=_agent(request), case_id=case_id)
    reject_form = RejectForm()
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "issue":
                services.civil_status_issue(case=case, by=_agent(request))
                messages.success(request, _("L'acte est délivré et envoyé."))
                return redirect("backoffice:individuals_civil_status_queue")
            reject_form = RejectForm(request.POST)
            if reject_form.is_valid():
                services.civil_status_reject(
                    case=case, by=_agent(request), reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("La demande est refusée ; le demandeur est prévenu."))
                return redirect("backoffice:individuals_civil_status_queue")
        except DomainError as exc:
            error = exc.message
    civil = selectors.civil_status_request_for(case=case)
    decision = selectors.civil_status_access(request=civil, today=timezone.localdate())
    return render(
        request,
        "backoffice/individuals/civil_status_case.html",
        {
            "case": case,
            "civil": civil,
            "decision": decision,
            "reject_form": reject_form,
            "error": error,
        },
        status=422 if request.method == "POST" else 200,
    )
