"""The agents' side: parse, authorise, call one service or selector, render or redirect."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.accounts.models import User
from guichet.backoffice import forms
from guichet.backoffice.case_pages import domain_page_of
from guichet.backoffice.decorators import agent_required
from guichet.backoffice.exports import export_header, export_rows
from guichet.core.errors import DomainError, ErrorCode
from guichet.core.http import next_url
from guichet.core.pagination import CappedPaginator
from guichet.documents import tables
from guichet.engine import selectors, services
from guichet.engine.definitions import APPLICANT
from guichet.engine.forms import PageForm
from guichet.engine.instruction import (
    instruction_of,
    transition_check_generic,
    transition_is_generic,
)
from guichet.engine.models import Attachment, Case
from guichet.engine.tasks import case_answers_display

PAGE_SIZE = 25
COUNT_CAP = 10_000  # the queue counts this far; exports hold every case
SORTABLE = [
    ("number", gettext_lazy("Numéro")),
    ("procedure__name", gettext_lazy("Démarche")),
    ("status", gettext_lazy("Statut")),
    ("submitted_at", gettext_lazy("Déposé le")),
]


def _agent(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_get_for_agent(agent=_agent(request), case_id=case_id)


# --- Queue ------------------------------------------------------------------------------------


@agent_required
def queue(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    procedures = selectors.procedures_of_agent(agent=agent)
    agents = selectors.agents_of_authority(authority=request.authority)  # type: ignore[attr-defined]
    form = forms.QueueFilterForm(request.GET, procedures=procedures, agents=agents)
    filters = form.filters()
    cases = selectors.cases_for_agent(agent=agent, filters=filters, now=timezone.now())
    file_format = request.GET.get("format", "")
    if file_format in tables.FORMATS:
        return _export(agent, cases, file_format)
    page = CappedPaginator(cases, PAGE_SIZE, cap=COUNT_CAP).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/queue.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "queues": forms.QUEUES,
            "columns": _columns(filters.sort),
            "bulk_form": forms.BulkForm(procedures=procedures),
            "formats": list(tables.FORMATS),
        },
    )


def _columns(sort: str) -> list[dict[str, str]]:
    """Header links: a click sorts by the column, a second click reverses the order."""
    columns = []
    for key, label in SORTABLE:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append(
            {
                "label": label,
                "sort": f"-{key}" if sort == key else key,
                "state": state,
            }
        )
    return columns


def _export(agent: User, cases: Any, file_format: str) -> HttpResponse:
    filename = f"dossiers-{timezone.localdate().isoformat()}.{file_format}"
    services.cases_exported_record(agent=agent, count=cases.count(), file_format=file_format)
    header, rows = export_header(), export_rows(cases)
    if file_format == "csv":
        response = StreamingHttpResponse(
            tables.csv_stream(header=header, rows=rows), content_type=tables.FORMATS["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    writer = tables.xlsx_file if file_format == "xlsx" else tables.ods_file
    return FileResponse(
        writer(title=_("Dossiers"), header=header, rows=rows),
        as_attachment=True,
        filename=filename,
        content_type=tables.FORMATS[file_format],
    )


@require_POST
@agent_required
def bulk(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    form = forms.BulkForm(request.POST, procedures=selectors.procedures_of_agent(agent=agent))
    if not form.is_valid():
        messages.error(request, _("Cochez au moins un dossier et choisissez une action."))
    else:
        done, skipped = services.case_transition_bulk(
            case_ids=form.cleaned_data["case_ids"],
            name=form.cleaned_data["name"],
            by=agent,
            comment=form.cleaned_data["comment"],
        )
        messages.success(
            request,
            _("%(done)s dossiers traités, %(skipped)s ignorés")
            % {"done": done, "skipped": skipped},
        )
    return redirect(next_url(request, reverse("backoffice:queue")))


# --- Case -------------------------------------------------------------------------------------


def _case_context(request: HttpRequest, case: Case, **forms_given: Any) -> dict[str, Any]:
    agent = _agent(request)
    roles = selectors.case_roles(user=agent, case=case) - {APPLICANT}
    possible = case.version.parsed.workflow.transitions_from(case.status, roles)
    # A domain that owns the procedure takes its steps on its own pages: linked, not offered.
    transitions = [
        t for t in possible if transition_is_generic(procedure=case.procedure, name=t.name)
    ]
    owned = instruction_of(procedure=case.procedure) is not None
    given_transition = forms_given.pop("transition_form", None)
    transition_forms = [
        given_transition
        if given_transition is not None and given_transition.transition.name == t.name
        else forms.TransitionForm(transition=t)
        for t in transitions
    ]
    agents = selectors.agents_for_case(case=case)
    replies = selectors.canned_replies_of_authority(authority=request.authority)  # type: ignore[attr-defined]
    return {
        "case": case,
        "answers": case_answers_display(case=case),
        "timeline": selectors.case_timeline(case=case),
        "documents": case.attachments.all(),
        "case_messages": case.messages.select_related("author"),
        "notes": case.notes.select_related("author"),
        "deadlines": case.deadlines.filter(done_at__isnull=True),
        "transition_forms": transition_forms,
        "is_domain_owned": owned,
        "domain_page": domain_page_of(case=case) if owned else None,
        "domain_steps": [t for t in possible if t not in transitions],
        "message_form": forms.MessageForm(initial={}, replies=replies, auto_id="message-%s"),
        "note_form": forms.NoteForm(),
        "assign_form": forms.AssignForm(initial={"agent": case.assigned_to_id}, agents=agents),
    } | forms_given


@agent_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    services.case_viewed_by_agent(case=case, agent=_agent(request))
    return render(request, "backoffice/case.html", _case_context(request, case))


@require_POST
@agent_required
def case_transition(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    try:
        transition = case.version.parsed.workflow.transition(request.POST.get("name", ""))
        # Before the form: a domain's step is refused whatever its comment.
        transition_check_generic(procedure=case.procedure, name=transition.name)
    except DomainError as exc:
        if exc.code == ErrorCode.DOMAIN_OWNED:
            return _domain_owned(request, case, exc)
        messages.error(request, exc.message)
        return redirect("backoffice:case", case_id=case.pk)
    form = forms.TransitionForm(request.POST, transition=transition)
    if not form.is_valid():
        context = _case_context(request, case, transition_form=form)
        return render(request, "backoffice/case.html", context, status=422)
    try:
        services.case_transition_generic(
            case=case,
            name=transition.name,
            by=_agent(request),
            comment=form.cleaned_data["comment"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Action effectuée : %(label)s.") % {"label": transition.label})
    return redirect("backoffice:case", case_id=case.pk)


def _domain_owned(request: HttpRequest, case: Case, error: DomainError) -> HttpResponse:
    """A step of a domain's own instruction posted to the generic page (a form of another
    time, or a forged request): refused, the case unchanged, the domain's page linked."""
    messages.error(request, error.message)
    return render(request, "backoffice/case.html", _case_context(request, case), status=403)


@require_POST
@agent_required
def case_message(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    replies = selectors.canned_replies_of_authority(authority=request.authority)  # type: ignore[attr-defined]
    form = forms.MessageForm(request.POST, replies=replies)
    if "insert" in request.POST and form.is_valid():
        context = _case_context(request, case, message_form=form.with_canned_text())
        return render(request, "backoffice/case.html", context)
    if not form.is_valid():
        context = _case_context(request, case, message_form=form)
        return render(request, "backoffice/case.html", context, status=422)
    try:
        services.message_send(case=case, by=_agent(request), body=form.cleaned_data["body"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Le message a été envoyé au demandeur."))
    return redirect("backoffice:case", case_id=case.pk)


@require_POST
@agent_required
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        context = _case_context(request, case, note_form=form)
        return render(request, "backoffice/case.html", context, status=422)
    services.note_add(case=case, by=_agent(request), body=form.cleaned_data["body"])
    messages.success(request, _("La note interne est enregistrée."))
    return redirect("backoffice:case", case_id=case.pk)


@require_POST
@agent_required
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    agents = selectors.agents_for_case(case=case)
    form = forms.AssignForm(request.POST, agents=agents)
    if not form.is_valid():
        context = _case_context(request, case, assign_form=form)
        return render(request, "backoffice/case.html", context, status=422)
    agent = form.chosen_agent()
    services.case_assign(case=case, agent=agent, by=_agent(request))
    if agent is None:
        messages.success(request, _("Le dossier n'est plus attribué."))
    else:
        messages.success(request, _("Dossier attribué à %(name)s.") % {"name": agent.display_name})
    return redirect("backoffice:case", case_id=case.pk)


@agent_required
def case_correct(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    definition = case.version.parsed
    page = forms.answers_page(definition, with_files=False)
    data = request.POST if request.method == "POST" else None
    form = PageForm(page=page, answers=case.data, data=data)
    reason_form = forms.ReasonForm(data)
    if data is not None and form.is_valid() and reason_form.is_valid():
        answers = form.valid_answers()
        try:
            corrections = services.case_correct(
                case=case,
                by=_agent(request),
                answers=answers,
                reason=reason_form.cleaned_data["reason"],
            )
        except DomainError as exc:
            reason_form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(count)s réponse(s) corrigée(s) ; le demandeur en est informé.")
                % {"count": len(corrections)},
            )
            return redirect("backoffice:case", case_id=case.pk)
    is_invalid = data is not None
    return render(
        request,
        "backoffice/correct.html",
        {
            "case": case,
            "form": form,
            "reason_form": reason_form,
            "sections": forms.answers_sections(definition, form, with_files=False),
        },
        status=422 if is_invalid else 200,
    )


@agent_required
def attachment_download(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    attachment: Attachment = selectors.attachment_get_for_agent(
        agent=_agent(request), case_id=case_id, attachment_id=attachment_id
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@agent_required
def case_download(request: HttpRequest, case_id: int) -> FileResponse:
    case = _case(request, case_id)
    archive = services.case_archive(case=case, by=_agent(request))
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"dossier-{case.number}.zip",
        content_type="application/zip",
    )


# --- Intake -----------------------------------------------------------------------------------


@agent_required
def intake(request: HttpRequest) -> HttpResponse:
    procedures = selectors.procedures_of_agent(agent=_agent(request))
    return render(request, "backoffice/intake_choose.html", {"procedures": procedures})


@agent_required
def intake_procedure(request: HttpRequest, slug: str) -> HttpResponse:
    agent = _agent(request)
    procedure = selectors.procedure_get_for_agent(agent=agent, slug=slug)
    version = selectors.procedure_current_version(procedure=procedure)
    definition = version.parsed  # type: ignore[union-attr]
    page = forms.answers_page(definition, with_files=True)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if data is not None else None
    form = PageForm(page=page, answers={}, data=data, files=files)
    person_form = forms.IntakeForm(data, files, authority=request.authority)  # type: ignore[attr-defined]
    if data is not None and person_form.is_valid() and form.is_valid():
        try:
            case = services.case_intake(
                procedure=procedure,
                agent=agent,
                channel=person_form.cleaned_data["channel"],
                contact=person_form.contact(),
                answers=form.valid_answers(),
                uploads=form.uploads(),
                scan=person_form.cleaned_data["scan"],
                applicant=person_form.applicant,
            )
        except DomainError as exc:
            person_form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Dossier %(number)s enregistré. Code de suivi à remettre au demandeur : "
                    "%(code)s — le demandeur pourra rattacher le dossier à son compte avec ce code."
                )
                % {"number": case.number, "code": case.tracking_code},
            )
            return redirect("backoffice:case", case_id=case.pk)
    return render(
        request,
        "backoffice/intake.html",
        {
            "procedure": procedure,
            "form": form,
            "person_form": person_form,
            "sections": forms.answers_sections(definition, form, with_files=True),
        },
        status=422 if data is not None else 200,
    )
