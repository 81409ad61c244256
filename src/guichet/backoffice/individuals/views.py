"""Agents' pages of the individuals' domain: parse, authorise, one service, render."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.models import User
from guichet.backoffice.decorators import agent_required
from guichet.core.errors import DomainError
from guichet.documents import tables
from guichet.individuals import school, selectors, services, social_aid


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


# --- School: cash office, roll call, quotient ---------------------------------------------------


def _school_agent(request: HttpRequest) -> User:
    agent = _agent(request)
    selectors.school_agent_check(agent=agent)
    return agent


class MonthForm(forms.Form):
    month = forms.DateField(
        label=gettext_lazy("Mois à facturer"),
        help_text=gettext_lazy("Au format MM/AAAA, par exemple 03/2027"),
        input_formats=["%m/%Y", "%Y-%m"],
    )


class QuotientForm(forms.Form):
    quotient = forms.DecimalField(
        label=gettext_lazy("Quotient familial"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        localize=True,
    )


EXPORT_HEADER = ["numéro", "foyer", "mois", "régie", "total", "échéance", "payée le", "paiement"]


@agent_required
def regie(request: HttpRequest) -> HttpResponse:
    """The cash office: invoices issued, paid and unpaid, with totals; CSV or XLSX export
    for the accounting."""
    _school_agent(request)
    state = request.GET.get("etat", "")
    invoices = selectors.invoices_for_regie(authority=request.authority, state=state)  # type: ignore[attr-defined]
    file_format = request.GET.get("format", "")
    if file_format in ("csv", "xlsx"):
        return _invoices_export(invoices, file_format)
    form = MonthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = school.invoices_issue(
            authority=request.authority,  # type: ignore[attr-defined]
            month=form.cleaned_data["month"],
        )
        messages.success(request, _("%(count)s facture(s) émise(s).") % {"count": count})
        return redirect("backoffice:individuals_regie")
    paid = [invoice for invoice in invoices if invoice.is_paid]
    unpaid = [invoice for invoice in invoices if not invoice.is_paid]
    return render(
        request,
        "backoffice/individuals/regie.html",
        {
            "invoices": invoices,
            "state": state,
            "form": form,
            "total_paid": sum((i.total for i in paid), Decimal(0)),
            "total_unpaid": sum((i.total for i in unpaid), Decimal(0)),
            "count_paid": len(paid),
            "count_unpaid": len(unpaid),
            "activities": selectors.activities_of(authority=request.authority),  # type: ignore[attr-defined]
        },
        status=422 if request.method == "POST" else 200,
    )


def _invoices_export(invoices: list[Any], file_format: str) -> HttpResponse:
    rows = [
        [
            invoice.number,
            invoice.household.name,
            invoice.month.strftime("%Y-%m"),
            invoice.regie.name,
            str(invoice.total),
            invoice.due_date.isoformat(),
            invoice.paid_at.date().isoformat() if invoice.paid_at else "",
            invoice.payment_reference,
        ]
        for invoice in invoices
    ]
    if file_format == "csv":
        response: HttpResponse = StreamingHttpResponse(
            tables.csv_stream(header=EXPORT_HEADER, rows=rows), content_type=tables.FORMATS["csv"]
        )
    else:
        handle = tables.xlsx_file(title="Factures", header=EXPORT_HEADER, rows=rows)
        response = HttpResponse(handle.read(), content_type=tables.FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="factures.{file_format}"'
    return response


@agent_required
def roll_call(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The daily roll call of one group: the children expected that day, present or not."""
    agent = _school_agent(request)
    activity = selectors.activity_get(authority=request.authority, activity_id=activity_id)  # type: ignore[attr-defined]
    try:
        day = datetime.date.fromisoformat(request.GET.get("date") or request.POST.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    rows = selectors.roll_call(activity=activity, date=day)
    if request.method == "POST":
        present = set(request.POST.getlist("present"))
        for enrolment, _taken in rows:
            school.attendance_record(
                enrolment=enrolment, date=day, is_present=str(enrolment.pk) in present, by=agent
            )
        messages.success(request, _("L'appel est enregistré."))
        return redirect(
            f"{reverse('backoffice:individuals_roll_call', args=[activity.pk])}?date={day.isoformat()}"
        )
    return render(
        request,
        "backoffice/individuals/roll_call.html",
        {
            "activity": activity,
            "day": day,
            "rows": rows,
            "activities": selectors.activities_of(authority=request.authority),
        },  # type: ignore[attr-defined]
    )


@agent_required
def households(request: HttpRequest) -> HttpResponse:
    _school_agent(request)
    return render(
        request,
        "backoffice/individuals/households.html",
        {"households": selectors.households_of(authority=request.authority)},  # type: ignore[attr-defined]
    )


@agent_required
def household_quotient(request: HttpRequest, household_id: int) -> HttpResponse:
    _school_agent(request)
    household = selectors.household_get(authority=request.authority, household_id=household_id)  # type: ignore[attr-defined]
    form = QuotientForm(request.POST or None, initial={"quotient": household.quotient})
    if request.method == "POST" and form.is_valid():
        school.quotient_set(
            household=household, quotient=form.cleaned_data["quotient"], source="agent"
        )
        messages.success(request, _("Le quotient familial est enregistré."))
        return redirect("backoffice:individuals_households")
    return render(
        request,
        "backoffice/individuals/household_quotient.html",
        {"household": household, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@agent_required
def creche_committee(request: HttpRequest) -> HttpResponse:
    """The allocation committee: the waiting list by priority, places offered per crèche."""
    agent = _school_agent(request)
    authority = request.authority  # type: ignore[attr-defined]
    error = ""
    if request.method == "POST":
        found = selectors.creche_request_get(
            authority=authority, request_id=int(request.POST.get("request") or 0)
        )
        creche = selectors.creche_get(
            authority=authority, creche_id=int(request.POST.get("creche") or 0)
        )
        try:
            school.creche_place_offer(request=found, creche=creche, by=agent)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("La place est proposée à la famille."))
            return redirect("backoffice:individuals_creche_committee")
    return render(
        request,
        "backoffice/individuals/creche_committee.html",
        {
            "waiting": selectors.creche_waiting_list(authority=authority),
            "creches": selectors.creches_with_places(authority=authority),
            "criteria": {code: label for code, (_p, label) in school.PRIORITY_CRITERIA.items()},
            "error": error,
        },
        status=422 if error else 200,
    )
