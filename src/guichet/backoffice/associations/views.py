"""Subsidy instruction in the back office: calls for projects and their envelope,
eligibility, opinions asked of several services, committee sessions (agenda PDF, votes),
decisions, instalments and final reports. (Loans of rooms and equipment: the
facilities back office.)"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.models import Service, User
from guichet.associations import selectors, services
from guichet.associations.budget import ZERO
from guichet.associations.models import SubsidyApplication
from guichet.backoffice.associations import forms
from guichet.backoffice.decorators import agent_required
from guichet.core.errors import DomainError
from guichet.documents.pdf import pdf_render
from guichet.engine import selectors as engine_selectors
from guichet.engine import services as engine
from guichet.engine.tasks import case_answers_display


def _agent(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _subsidy_agent(request: HttpRequest) -> User:
    """Calls and committees belong to the agents of the service instructing subsidies."""
    agent = _agent(request)
    if not selectors.is_subsidy_agent(agent=agent):
        raise Http404
    return agent


# --- Calls for projects and their envelope -------------------------------------------------


@agent_required
def calls(request: HttpRequest) -> HttpResponse:
    agent = _subsidy_agent(request)
    form = forms.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = services.call_create(authority=request.authority, **form.cleaned_data)  # type: ignore[attr-defined]
        messages.success(request, _("Appel à projets créé : %(title)s.") % {"title": call.title})
        return redirect("backoffice:associations_call", call_id=call.pk)
    rows = [
        (call, selectors.call_envelope(call=call))
        for call in selectors.calls_of_authority(authority=agent.authority)
    ]
    return render(
        request,
        "backoffice/associations/calls.html",
        {"rows": rows, "form": form},
        status=422 if form.errors else 200,
    )


@agent_required
def call(request: HttpRequest, call_id: int) -> HttpResponse:
    agent = _subsidy_agent(request)
    found = selectors.call_get(authority=agent.authority, call_id=call_id)
    return render(
        request,
        "backoffice/associations/call.html",
        {
            "call": found,
            "envelope": selectors.call_envelope(call=found),
            "applications": selectors.applications_for_agent(agent=agent, call=found),
        },
    )


# --- Instruction of one application ------------------------------------------------------------


def _application(request: HttpRequest, application_id: int) -> SubsidyApplication:
    return selectors.application_get_for_agent(agent=_agent(request), application_id=application_id)


def _services(request: HttpRequest) -> Any:
    return Service.objects.filter(authority=request.authority)  # type: ignore[attr-defined]


def _sessions(request: HttpRequest) -> Any:
    return selectors.sessions_queryset(authority=request.authority)  # type: ignore[attr-defined]


def _application_page(
    request: HttpRequest, application: SubsidyApplication, status: int = 200, **given: Any
) -> HttpResponse:
    case = application.case
    context = {
        "application": application,
        "case": case,
        "checks": selectors.eligibility_checks(application=application, today=timezone.localdate()),
        "opinions": selectors.opinions_of_case(case_id=case.pk, authority_id=case.authority_id),
        "lines": list(application.budget_lines.all()),
        "instalments": list(application.instalments.all()),
        "report": getattr(application, "final_report", None),
        "eligibility_form": forms.EligibilityForm(),
        "opinion_form": forms.OpinionRequestForm(services=_services(request)),
        "schedule_form": forms.ScheduleForm(
            sessions=_sessions(request),
            initial={
                "amount_proposed": application.amount_proposed or application.amount_requested
            },
        ),
        "decision_form": forms.DecisionForm(
            initial={"amount": application.amount_proposed, "decision": "grant"}
        ),
        "pay_form": forms.InstalmentPayForm(initial={"paid_on": timezone.localdate()}),
        "documents": case.attachments.all(),
        # "granted" or "refused" too: a decision taken from the generic case page still
        # needs its amount, votes and letter.
        "decidable": ("committee", "granted", "refused"),
    } | given
    return render(request, "backoffice/associations/application.html", context, status=status)


@agent_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    return _application_page(request, _application(request, application_id))


def _back(application: SubsidyApplication) -> HttpResponse:
    return redirect("backoffice:associations_application", application_id=application.pk)


@require_POST
@agent_required
def eligibility(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    form = forms.EligibilityForm(request.POST)
    name = request.POST.get("name", "")
    if name not in {"declare_eligible", "declare_ineligible"} or not form.is_valid():
        return _application_page(request, application, status=422, eligibility_form=form)
    try:
        engine.case_transition(
            case=application.case,
            name=name,
            by=_agent(request),
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        form.add_error("comment", exc.message)
        return _application_page(request, application, status=422, eligibility_form=form)
    messages.success(request, _("Recevabilité enregistrée."))
    return _back(application)


@require_POST
@agent_required
def opinions_request(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    form = forms.OpinionRequestForm(request.POST, services=_services(request))
    if not form.is_valid():
        return _application_page(request, application, status=422, opinion_form=form)
    try:
        asked = services.opinions_request(
            case=application.case,
            services=list(form.cleaned_data["services"]),
            by=_agent(request),
            question=form.cleaned_data["question"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(count)s avis demandé(s).") % {"count": len(asked)})
    return _back(application)


@require_POST
@agent_required
def schedule(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    form = forms.ScheduleForm(request.POST, sessions=_sessions(request))
    if form.is_valid():
        try:
            services.application_schedule(
                application=application, by=_agent(request), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Demande inscrite à l'ordre du jour."))
            return _back(application)
    return _application_page(request, application, status=422, schedule_form=form)


@require_POST
@agent_required
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.subsidy_decide(
                application=application,
                by=_agent(request),
                is_granted=data["decision"] == "grant",
                amount=data["amount"] or ZERO,
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                votes_abstaining=data["votes_abstaining"],
                comment=data["comment"],
                today=timezone.localdate(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Décision enregistrée ; la lettre de notification est produite.")
            )
            return _back(application)
    return _application_page(request, application, status=422, decision_form=form)


@require_POST
@agent_required
def instalment_pay(request: HttpRequest, application_id: int, instalment_id: int) -> HttpResponse:
    application = _application(request, application_id)
    instalment = application.instalments.filter(pk=instalment_id).first()
    if instalment is None:
        raise Http404
    form = forms.InstalmentPayForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, status=422, pay_form=form)
    try:
        services.instalment_pay(instalment=instalment, by=_agent(request), **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Versement enregistré."))
    return _back(application)


@require_POST
@agent_required
def close(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    try:
        engine.case_transition(case=application.case, name="close", by=_agent(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Dossier soldé."))
    return _back(application)


# --- Opinions ------------------------------------------------------------------------------------


@agent_required
def opinions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/associations/opinions.html",
        {"opinions": selectors.opinions_pending_for_agent(agent=_agent(request))},
    )


@agent_required
def opinion(request: HttpRequest, opinion_id: int) -> HttpResponse:
    found = selectors.opinion_get_for_agent(agent=_agent(request), opinion_id=opinion_id)
    form = forms.OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_give(opinion=found, by=_agent(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Votre avis est transmis au service instructeur."))
            return redirect("backoffice:associations_opinions")
    case = found.case
    return render(
        request,
        "backoffice/associations/opinion.html",
        {
            "opinion": found,
            "case": case,
            "answers": case_answers_display(case=case),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@agent_required
def case_opinions(request: HttpRequest, case_id: int) -> HttpResponse:
    """Opinions of other services on a case (an event declaration is routed to the police,
    the roads and the events services before it is authorised); linked from the
    associations' cases, open to any case the agent may process."""
    case = engine_selectors.case_get_for_agent(agent=_agent(request), case_id=case_id)
    form = forms.OpinionRequestForm(request.POST or None, services=_services(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.opinions_request(
                case=case,
                services=list(form.cleaned_data["services"]),
                by=_agent(request),
                question=form.cleaned_data["question"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Avis demandés."))
            return redirect("backoffice:associations_case_opinions", case_id=case.pk)
    return render(
        request,
        "backoffice/associations/case_opinions.html",
        {
            "case": case,
            "opinions": selectors.opinions_of_case(case_id=case.pk, authority_id=case.authority_id),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


# --- Committee sessions -------------------------------------------------------------------------


@agent_required
def sessions(request: HttpRequest) -> HttpResponse:
    agent = _subsidy_agent(request)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = services.session_create(authority=agent.authority, **form.cleaned_data)
        messages.success(request, _("Séance créée."))
        return redirect("backoffice:associations_session", session_id=session.pk)
    return render(
        request,
        "backoffice/associations/sessions.html",
        {"sessions": selectors.sessions_of_authority(authority=agent.authority), "form": form},
        status=422 if form.errors else 200,
    )


@agent_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    agent = _subsidy_agent(request)
    found = selectors.session_get(authority=agent.authority, session_id=session_id)
    return render(
        request,
        "backoffice/associations/session.html",
        {"session": found, "applications": selectors.session_agenda(session=found)},
    )


@agent_required
def session_agenda_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    agent = _subsidy_agent(request)
    found = selectors.session_get(authority=agent.authority, session_id=session_id)
    applications = selectors.session_agenda(session=found)
    content = pdf_render(
        template="associations/pdf/agenda.html",
        context={
            "session": found,
            "applications": applications,
            "authority": agent.authority,
            "title": found.title,
            "reference": found.title,
            "total_requested": sum((a.amount_requested for a in applications), ZERO),
            "total_proposed": sum((a.amount_proposed or ZERO for a in applications), ZERO),
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ordre-du-jour-{found.pk}.pdf"'
    return response
