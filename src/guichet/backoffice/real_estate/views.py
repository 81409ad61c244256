"""Agents' pages for real-estate operations: parse, authorise, one service call, render."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.accounts.models import Service, User
from guichet.backoffice.decorators import agent_required
from guichet.backoffice.real_estate import exports, forms
from guichet.core.errors import DomainError
from guichet.documents import tables
from guichet.engine.selectors import agents_of_authority
from guichet.engine.tasks import case_answers_display
from guichet.real_estate import selectors, services
from guichet.real_estate.models import Operation
from guichet.real_estate.timeline import timeline_rows, timeline_svg


def _agent(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _today() -> datetime.date:
    return timezone.localdate()


# --- List, creation -------------------------------------------------------------------------


@agent_required
def operations(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    today = _today()
    visible = list(selectors.operations_visible_to_agent(agent=agent).prefetch_related("phases"))
    rows = [
        (operation, selectors.operation_progress(operation=operation, today=today))
        for operation in visible
    ]
    return render(
        request,
        "backoffice/real_estate/operations.html",
        {
            "rows": rows,
            "dashboard": selectors.operations_dashboard(
                operations=visible,
                today=today,
                days=settings.GUICHET_REAL_ESTATE_INVOICE_ALERT_DAYS * 2,
            ),
            "today": today,
            "requests": selectors.works_requests_open(agent=agent),
            "can_create": bool(selectors.services_managing_operations(agent=agent)),
            "exports": [
                ("operations", gettext_lazy("Opérations")),
                ("contracts", gettext_lazy("Marchés")),
                ("invoices", gettext_lazy("Factures")),
            ],
            "formats": list(tables.FORMATS),
        },
    )


@agent_required
def requested(request: HttpRequest) -> HttpResponse:
    """The requesting service's follow-up of the works it asked for."""
    agent, today = _agent(request), _today()
    rows = [
        (operation, selectors.operation_progress(operation=operation, today=today))
        for operation in selectors.operations_requested_by(agent=agent).prefetch_related("phases")
    ]
    return render(request, "backoffice/real_estate/requested.html", {"rows": rows})


def _operation_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> forms.OperationForm:
    agent = _agent(request)
    services_ = selectors.services_managing_operations(agent=agent)
    if not services_:
        raise Http404
    return forms.OperationForm(
        data,
        services=services_,
        agents=agents_of_authority(authority=request.authority),  # type: ignore[attr-defined]
        all_services=list(Service.objects.filter(authority=request.authority)),  # type: ignore[attr-defined]
        **kwargs,
    )


def _operation_data(form: forms.OperationForm) -> services.OperationData:
    data = form.cleaned_data
    _service, lead, _requesting = form.chosen()
    return services.OperationData(
        name=data["name"],
        kind=data["kind"],
        address=data["address"],
        programme=data["programme"],
        description=data["description"],
        cadastral_parcel=data["cadastral_parcel"],
        lead=lead,
        is_public=data["is_public"],
    )


@agent_required
def operation_create(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    data = request.POST if request.method == "POST" else None
    form = _operation_form(request, data, initial={"lead": agent.pk, "start": _today()})
    if data is not None and form.is_valid():
        service, _lead, requesting = form.chosen()
        try:
            operation = services.operation_create(
                service=service,
                data=_operation_data(form),
                by=agent,
                start=form.cleaned_data["start"],
                requesting_service=requesting,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("L'opération est créée."))
            return redirect("backoffice:real_estate_operation", operation_id=operation.pk)
    return render(
        request,
        "backoffice/real_estate/operation_form.html",
        {"form": form, "case": None},
        status=422 if data is not None else 200,
    )


@agent_required
def operation_from_request(request: HttpRequest, case_id: int) -> HttpResponse:
    """Turns another service's works request into an operation."""
    agent = _agent(request)
    case = selectors.works_request_get(agent=agent, case_id=case_id)
    requesting = selectors.applicant_services(case=case)
    data = request.POST if request.method == "POST" else None
    form = _operation_form(
        request,
        data,
        initial={
            "name": case.data.get("building", ""),
            "kind": case.data.get("works_kind", ""),
            "address": case.data.get("address", ""),
            "description": case.data.get("description", ""),
            "lead": agent.pk,
            "start": _today(),
            "requesting_service": requesting[0].pk if requesting else "",
        },
    )
    if data is not None and form.is_valid():
        service, _lead, requesting_service = form.chosen()
        try:
            operation = services.operation_create_from_request(
                case=case,
                service=service,
                data=_operation_data(form),
                by=agent,
                start=form.cleaned_data["start"],
                requesting_service=requesting_service,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("L'opération est créée ; la demande %(number)s est close et son service informé.")
                % {"number": case.number},
            )
            return redirect("backoffice:real_estate_operation", operation_id=operation.pk)
    return render(
        request,
        "backoffice/real_estate/operation_form.html",
        {"form": form, "case": case, "answers": case_answers_display(case=case)},
        status=422 if data is not None else 200,
    )


@agent_required
def operation_edit(request: HttpRequest, operation_id: int) -> HttpResponse:
    operation = selectors.operation_get_for_agent(
        agent=_agent(request), operation_id=operation_id, manage=True
    )
    data = request.POST if request.method == "POST" else None
    form = _operation_form(
        request,
        data,
        initial={
            "name": operation.name,
            "kind": operation.kind,
            "programme": operation.programme,
            "address": operation.address,
            "cadastral_parcel": operation.cadastral_parcel,
            "description": operation.description,
            "lead": operation.lead_id or "",
            "is_public": operation.is_public,
        },
    )
    for name in ("service", "requesting_service", "start"):
        del form.fields[name]
    if data is not None and form.is_valid():
        try:
            services.operation_update(operation=operation, data=_operation_data(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("L'opération est modifiée."))
            return redirect("backoffice:real_estate_operation", operation_id=operation.pk)
    return render(
        request,
        "backoffice/real_estate/operation_edit.html",
        {"form": form, "operation": operation},
        status=422 if data is not None else 200,
    )


# --- The operation --------------------------------------------------------------------------


def _years(operation: Operation, today: datetime.date) -> list[int]:
    credits = [c.year for c in selectors.budget_summary(operation=operation).years]
    first = min([*credits, today.year])
    last = max([*credits, today.year + 3])
    return list(range(first, last + 1))


@dataclass(frozen=True, slots=True)
class Action:
    run: Callable[[Operation, dict[str, Any], HttpRequest], Any]
    done: Any
    anchor: str


def _current_schedule(operation: Operation) -> dict[int, Decimal]:
    return {y.year: y.planned for y in selectors.budget_summary(operation=operation).years}


def _forms(operation: Operation, today: datetime.date) -> dict[str, Callable[..., Any]]:
    """Each action's form, built with what it needs (the operation's choices, the years)."""
    years = _years(operation, today)
    budget_amount = selectors.budget_summary(operation=operation).ap
    return {
        "decision": lambda *a, **k: forms.DecisionForm(*a, **k, prefix="decision"),
        "milestone": lambda *a, **k: forms.MilestoneForm(*a, **k, prefix="milestone"),
        "reservation": lambda *a, **k: forms.ReservationForm(*a, **k, prefix="reservation"),
        "reservation-lift": lambda *a, **k: forms.ReservationLiftForm(
            *a, **k, operation=operation, prefix="lift"
        ),
        "budget-vote": lambda *a, **k: forms.BudgetVoteForm(*a, **k, years=years, prefix="vote"),
        "budget-revise": lambda *a, **k: forms.BudgetReviseForm(
            *a,
            **k,
            years=years,
            current=_current_schedule(operation),
            initial={"amount": budget_amount},
            prefix="revise",
        ),
        "contract": lambda *a, **k: forms.ContractForm(*a, **k, prefix="contract"),
        "amendment": lambda *a, **k: forms.AmendmentForm(
            *a, **k, operation=operation, prefix="amendment"
        ),
        "invoice": lambda *a, **k: forms.InvoiceForm(
            *a, **k, operation=operation, prefix="invoice"
        ),
        "invoice-certify": lambda *a, **k: forms.InvoiceStepForm(
            *a, **k, operation=operation, prefix="certify"
        ),
        "invoice-pay": lambda *a, **k: forms.InvoiceStepForm(
            *a, **k, operation=operation, prefix="pay"
        ),
        "risk": lambda *a, **k: forms.RiskForm(*a, **k, prefix="risk"),
        "risk-close": lambda *a, **k: forms.RiskCloseForm(
            *a, **k, operation=operation, prefix="close"
        ),
        "document": lambda *a, **k: forms.DocumentForm(
            *a, **k, operation=operation, prefix="document"
        ),
        "photo": lambda *a, **k: forms.PhotoForm(*a, **k, prefix="photo"),
        "notice": lambda *a, **k: forms.NoticeForm(*a, **k, prefix="notice"),
    }


def _unsubscribe_url(request: HttpRequest) -> str:
    path = reverse("frontoffice:real_estate_unsubscribe", kwargs={"token": "TOKEN"})
    return request.build_absolute_uri(path).replace("TOKEN", "{token}")


ACTIONS: dict[str, Action] = {
    "decision": Action(
        run=lambda op, d, r: services.decision_attach(
            operation=op,
            reference=d["reference"],
            decided_on=d["decided_on"],
            title=d["title"],
            upload=d["file"],
        ),
        done=gettext_lazy("La délibération est jointe."),
        anchor="deliberations",
    ),
    "milestone": Action(
        run=lambda op, d, r: services.milestone_add(operation=op, **d),
        done=gettext_lazy("Le jalon est ajouté."),
        anchor="phases",
    ),
    "reservation": Action(
        run=lambda op, d, r: services.reservation_note(operation=op, **d),
        done=gettext_lazy("La réserve est notée."),
        anchor="reserves",
    ),
    "reservation-lift": Action(
        run=lambda op, d, r: services.reservation_lift(
            reservation=d["reservation"], lifted_on=d["lifted_on"]
        ),
        done=gettext_lazy("La réserve est levée."),
        anchor="reserves",
    ),
    "budget-vote": Action(
        run=lambda op, d, r: services.budget_vote(
            operation=op,
            reference=d["reference"],
            amount=d["amount"],
            voted_on=d["voted_on"],
            schedule=d["schedule"],
            by=_agent(r),
        ),
        done=gettext_lazy("L'autorisation de programme est enregistrée."),
        anchor="budget",
    ),
    "budget-revise": Action(
        run=lambda op, d, r: services.budget_revise(
            budget=op.budget,
            amount=d["amount"],
            schedule=d["schedule"],
            reason=d["reason"],
            decided_on=d["decided_on"],
            by=_agent(r),
        ),
        done=gettext_lazy("La révision est enregistrée."),
        anchor="budget",
    ),
    "contract": Action(
        run=lambda op, d, r: services.contract_record(
            operation=op,
            data=services.ContractData(**d | {"vat_rate": Decimal(d["vat_rate"])}),
        ),
        done=gettext_lazy("Le marché est enregistré."),
        anchor="marches",
    ),
    "amendment": Action(
        run=lambda op, d, r: services.amendment_record(
            contract=d["contract"],
            amount_ht=d["amount_ht"],
            reason=d["reason"],
            signed_on=d["signed_on"],
        ),
        done=gettext_lazy("L'avenant est enregistré."),
        anchor="marches",
    ),
    "invoice": Action(
        run=lambda op, d, r: services.invoice_receive(
            contract=d["contract"],
            number=d["number"],
            received_on=d["received_on"],
            amount_ht=d["amount_ht"],
        ),
        done=gettext_lazy("La facture est enregistrée ; le délai de paiement court."),
        anchor="factures",
    ),
    "invoice-certify": Action(
        run=lambda op, d, r: services.invoice_certify(invoice=d["invoice"], certified_on=d["on"]),
        done=gettext_lazy("Le service fait est constaté."),
        anchor="factures",
    ),
    "invoice-pay": Action(
        run=lambda op, d, r: services.invoice_pay(invoice=d["invoice"], paid_on=d["on"]),
        done=gettext_lazy("Le paiement est enregistré."),
        anchor="factures",
    ),
    "risk": Action(
        run=lambda op, d, r: services.risk_record(operation=op, **d),
        done=gettext_lazy("Le risque est ajouté au registre."),
        anchor="risques",
    ),
    "risk-close": Action(
        run=lambda op, d, r: services.risk_close(risk=d["risk"]),
        done=gettext_lazy("Le risque est clos."),
        anchor="risques",
    ),
    "document": Action(
        run=lambda op, d, r: services.document_add(
            operation=op, phase=d["phase"], title=d["title"], upload=d["file"], by=_agent(r)
        ),
        done=gettext_lazy("Le document est ajouté."),
        anchor="documents",
    ),
    "photo": Action(
        run=lambda op, d, r: services.photo_add(
            operation=op,
            upload=d["image"],
            caption=d["caption"],
            taken_on=d["taken_on"],
            is_public=d["is_public"],
        ),
        done=gettext_lazy("La photo est ajoutée."),
        anchor="photos",
    ),
    "notice": Action(
        run=lambda op, d, r: services.notice_publish(
            operation=op, **d, unsubscribe_url=_unsubscribe_url(r)
        ),
        done=gettext_lazy("L'avis est publié et envoyé aux abonnés."),
        anchor="avis",
    ),
}


def _detail_context(
    request: HttpRequest, operation: Operation, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    agent, today = _agent(request), _today()
    can_manage = selectors.operation_is_managed_by(agent=agent, operation=operation)
    progress = selectors.operation_progress(operation=operation, today=today)
    milestones = list(operation.milestones.all())
    rows = timeline_rows(phases=progress["phases"], today=today)
    contracts = [
        (contract, *selectors.contract_totals(contract=contract))
        for contract in operation.contracts.prefetch_related("amendments", "invoices")
    ]
    budget = selectors.budget_summary(operation=operation)
    has_budget = hasattr(operation, "budget")
    built = {}
    if can_manage:
        builders = _forms(operation, today)
        built = {name: builder() for name, builder in builders.items()} | (bound or {})
        # Templates name them with underscores ("budget_vote").
        built = {name.replace("-", "_"): form for name, form in built.items()}
    return {
        "operation": operation,
        "can_manage": can_manage,
        "progress": progress,
        "rows": rows,
        "svg": timeline_svg(rows=rows, milestones=milestones, today=today),
        "milestones": milestones,
        "budget": budget,
        "has_budget": has_budget,
        "revisions": operation.budget.revisions.select_related("by") if has_budget else [],
        "contracts": contracts,
        "invoices": selectors.invoices_of(operations=Operation.objects.filter(pk=operation.pk)),
        "today": today,
        "forms": built,
        "documents_by_phase": _documents_by_phase(operation),
    }


def _documents_by_phase(operation: Operation) -> list[tuple[Any, list[Any]]]:
    groups: dict[Any, list[Any]] = {}
    for document in operation.documents.select_related("phase").order_by(
        "phase__position", "uploaded_at"
    ):
        groups.setdefault(document.phase, []).append(document)
    return list(groups.items())


@agent_required
def operation_detail(request: HttpRequest, operation_id: int) -> HttpResponse:
    operation = selectors.operation_get_for_agent(agent=_agent(request), operation_id=operation_id)
    return render(
        request, "backoffice/real_estate/operation.html", _detail_context(request, operation)
    )


@require_POST
@agent_required
def operation_action(request: HttpRequest, operation_id: int, action: str) -> HttpResponse:
    operation = selectors.operation_get_for_agent(
        agent=_agent(request), operation_id=operation_id, manage=True
    )
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = _forms(operation, _today())[action](request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if hasattr(form, "schedule"):
            data = {k: v for k, v in data.items() if not k.startswith("cp_")}
            data["schedule"] = form.schedule()
        try:
            spec.run(operation, data, request)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, str(spec.done))
            url = reverse("backoffice:real_estate_operation", kwargs={"operation_id": operation.pk})
            return redirect(f"{url}#{spec.anchor}")
    context = _detail_context(request, operation, bound={action: form})
    context["invalid_action"] = action
    return render(request, "backoffice/real_estate/operation.html", context, status=422)


@agent_required
def phase_edit(request: HttpRequest, operation_id: int, phase_id: int) -> HttpResponse:
    operation = selectors.operation_get_for_agent(
        agent=_agent(request), operation_id=operation_id, manage=True
    )
    phase = selectors.phase_get(operation=operation, phase_id=phase_id)
    data = request.POST if request.method == "POST" else None
    form = forms.PhaseForm(
        data,
        initial={
            "planned_start": phase.planned_start,
            "planned_end": phase.planned_end,
            "actual_start": phase.actual_start,
            "actual_end": phase.actual_end,
        },
    )
    if data is not None and form.is_valid():
        try:
            services.phase_dates_set(phase=phase, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Les dates de la phase « %(phase)s » sont enregistrées.") % {"phase": phase},
            )
            url = reverse("backoffice:real_estate_operation", kwargs={"operation_id": operation.pk})
            return redirect(f"{url}#phases")
    return render(
        request,
        "backoffice/real_estate/phase_form.html",
        {"operation": operation, "phase": phase, "form": form},
        status=422 if data is not None else 200,
    )


# --- Files ------------------------------------------------------------------------------------


def _file(handle: Any, name: str, content_type: str, *, inline: bool = False) -> FileResponse:
    return FileResponse(
        handle.open("rb"), as_attachment=not inline, filename=name, content_type=content_type
    )


@agent_required
def document_download(request: HttpRequest, operation_id: int, document_id: int) -> FileResponse:
    operation = selectors.operation_get_for_agent(agent=_agent(request), operation_id=operation_id)
    document = operation.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return _file(document.file, document.original_name, document.content_type)


@agent_required
def decision_download(request: HttpRequest, operation_id: int, decision_id: int) -> FileResponse:
    operation = selectors.operation_get_for_agent(agent=_agent(request), operation_id=operation_id)
    decision = operation.decisions.filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    return _file(decision.file, f"deliberation-{decision.reference}.pdf", "application/pdf")


@agent_required
def photo_view(request: HttpRequest, operation_id: int, photo_id: int) -> FileResponse:
    operation = selectors.operation_get_for_agent(agent=_agent(request), operation_id=operation_id)
    photo = operation.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    return _file(photo.image, f"photo-{photo.pk}", photo.content_type, inline=True)


# --- Exports ----------------------------------------------------------------------------------


@agent_required
def export(request: HttpRequest) -> HttpResponse:
    form = forms.ExportForm(request.GET)
    if not form.is_valid():
        # The export links live on the operations page: an incomplete address goes back there.
        return redirect("backoffice:real_estate_operations")
    what, file_format = form.cleaned_data["what"], form.cleaned_data["format"]
    visible = selectors.operations_visible_to_agent(agent=_agent(request))
    header, rows, title = exports.table(what=what, operations=visible)
    filename = f"{what}-{_today().isoformat()}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            tables.csv_stream(header=header, rows=rows), content_type=tables.FORMATS["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    writer = tables.xlsx_file if file_format == "xlsx" else tables.ods_file
    return FileResponse(
        writer(title=title, header=header, rows=rows),
        as_attachment=True,
        filename=filename,
        content_type=tables.FORMATS[file_format],
    )
