"""Agents' pages of the individuals' domain: parse, authorise, one service, render."""

from decimal import Decimal
from typing import Any

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
from guichet.individuals import selectors, services, social_aid


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


# --- Social aid: instruction -------------------------------------------------------------------


class AppointmentForm(forms.Form):
    at = forms.DateTimeField(
        label=gettext_lazy("Date et heure du rendez-vous"),
        help_text=gettext_lazy("Au format JJ/MM/AAAA HH:MM, par exemple 14/01/2027 10:30"),
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
    )
    place = forms.CharField(
        label=gettext_lazy("Lieu"),
        help_text=gettext_lazy("Par exemple : à domicile"),
        max_length=200,
    )


class DecisionForm(forms.Form):
    gir = forms.TypedChoiceField(
        label=gettext_lazy("GIR (APA)"),
        choices=[("", "—")] + [(n, f"GIR {n}") for n in range(1, 7)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    monthly_amount = forms.DecimalField(
        label=gettext_lazy("Montant mensuel (euros)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        localize=True,
    )
    start_date = forms.DateField(
        label=gettext_lazy("Date d'effet"),
        help_text=gettext_lazy("Au format JJ/MM/AAAA, par exemple 12/04/1990"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )


class RefusalForm(forms.Form):
    gir = DecisionForm.base_fields["gir"]
    reason = RejectForm.base_fields["reason"]


AID_FORMS: dict[str, tuple[str, type[forms.Form]]] = {
    "appointment": ("appointment_form", AppointmentForm),
    "decide": ("decision_form", DecisionForm),
    "refuse": ("refusal_form", RefusalForm),
}
# The decision and the refusal both ask for the GIR: distinct ids on one page.
AID_PREFIXES = {"refusal_form": "refus"}


def _aid_context(application: Any, **given: Any) -> dict[str, Any]:
    return {
        "application": application,
        "case": application.case,
        "documents": list(application.documents.select_related("attachment")),
        "instalments": list(application.instalments.all()),
        "appointment_form": given.get("appointment_form") or AppointmentForm(),
        "decision_form": given.get("decision_form") or DecisionForm(),
        "refusal_form": given.get("refusal_form") or RefusalForm(prefix="refus"),
        "error": given.get("error", ""),
    }


@agent_required
def aid_queue(request: HttpRequest) -> HttpResponse:
    applications = selectors.aid_applications_for_agent(agent=_agent(request))
    return render(request, "backoffice/individuals/aid_queue.html", {"applications": applications})


@agent_required
def aid_case(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.aid_application_for_agent(
        agent=_agent(request), application_id=application_id
    )
    if request.method != "POST":
        return render(request, "backoffice/individuals/aid_case.html", _aid_context(application))
    action = request.POST.get("action", "")
    name, form_class = AID_FORMS.get(action, AID_FORMS["appointment"])
    form = form_class(request.POST, prefix=AID_PREFIXES.get(name))
    given: dict[str, Any] = {name: form}
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "appointment":
                social_aid.aid_appointment_set(
                    application=application, at=data["at"], place=data["place"], by=_agent(request)
                )
            elif action == "decide":
                social_aid.aid_decide(application=application, by=_agent(request), **data)
            else:
                social_aid.aid_refuse(
                    application=application,
                    by=_agent(request),
                    reason=data["reason"],
                    gir=data["gir"],
                )
        except DomainError as exc:
            given["error"] = exc.message
        else:
            messages.success(request, _("C'est fait."))
            return redirect("backoffice:individuals_aid_case", application_id=application.pk)
    context = _aid_context(application, **given)
    return render(request, "backoffice/individuals/aid_case.html", context, status=422)
