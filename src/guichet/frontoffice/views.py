"""The residents' side: parse, authorise, call one service or selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts import services as accounts
from guichet.associations.services import case_act_for
from guichet.core.errors import DomainError
from guichet.core.http import next_url
from guichet.engine import selectors, services
from guichet.engine.definitions import APPLICANT
from guichet.engine.forms import DocumentsField, PageForm
from guichet.engine.instruction import transition_is_generic
from guichet.engine.models import Attachment, Case, Domain, Procedure
from guichet.engine.tasks import case_answers_display, case_pdf
from guichet.frontoffice import forms
from guichet.frontoffice.associations.acting import acting_organisation
from guichet.security import oidc
from guichet.tenants.selectors import authorities_listed


def _authority(request: HttpRequest) -> Any:
    if request.authority is None:  # type: ignore[attr-defined]
        raise Http404
    return request.authority  # type: ignore[attr-defined]


def _applicant_case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_get_for_applicant(
        user=request.user,
        authority=_authority(request),
        case_id=case_id,  # type: ignore[arg-type]
    )


def home(request: HttpRequest) -> HttpResponse:
    if request.authority is None:  # type: ignore[attr-defined]
        # Links keep the port the visitor used (the Host header), not the server's own
        # port, which differs behind a reverse proxy.
        _host, _colon, port = request.get_host().rpartition(":")
        return render(
            request,
            "frontoffice/platform.html",
            {
                "authorities": authorities_listed(),
                "port": port if _colon and port.isdigit() else "",
            },
        )
    return catalogue(request)


def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    procedures = selectors.procedures_online(
        authority=_authority(request), query=query, user=request.user
    )
    groups = [
        (label, [p for p in procedures if p.domain == value]) for value, label in Domain.choices
    ]
    return render(
        request,
        "frontoffice/catalogue.html",
        {
            "groups": [(label, items) for label, items in groups if items],
            "query": query,
            "count": len(procedures),
        },
    )


def procedure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = selectors.procedure_get_online(
        authority=_authority(request), slug=slug, user=request.user
    )
    acting = None
    if procedure.audience == Procedure.Audience.ORGANISATION and request.user.is_authenticated:
        acting = acting_organisation(request)
    return render(
        request,
        "frontoffice/procedure.html",
        {"procedure": procedure, "form": forms.StartForm(), "acting": acting},
    )


@require_POST
@login_required
def case_start(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = selectors.procedure_get_online(
        authority=_authority(request), slug=slug, user=request.user
    )
    form = forms.StartForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "frontoffice/procedure.html",
            {"procedure": procedure, "form": form},
            status=422,
        )
    contact = form.contact()
    case = services.case_start(
        procedure=procedure,
        applicant=request.user,  # type: ignore[arg-type]
        filed_by=request.user if contact else None,  # type: ignore[arg-type]
        contact=contact,
    )
    organisation = acting_organisation(request) if not contact else None
    if organisation is not None and procedure.audience == Procedure.Audience.ORGANISATION:
        # Who acts for whom, and what the organisation's file and vault answer already.
        case_act_for(case=case, organisation=organisation, by=request.user)  # type: ignore[arg-type]
    return redirect("frontoffice:case_page", case_id=case.pk, page=0)


def _prefill(user: Any, case: Case) -> dict[str, Any]:
    """Profile values offered as answers the first time a draft is opened: the filer's own,
    or those given for the person the request is made for."""
    if case.contact:
        values = dict(case.contact)
    else:
        values = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "address": user.address,
            "birth_date": user.birth_date.isoformat() if user.birth_date else "",
        }
    return {
        spec.name: values[spec.prefill]
        for spec in case.version.parsed.fields
        if spec.prefill in values and values[spec.prefill] and spec.name not in case.data
    }


@login_required
def case_page(request: HttpRequest, case_id: int, page: int) -> HttpResponse:
    case = _applicant_case(request, case_id)
    if not case.is_draft:
        return redirect("frontoffice:case_detail", case_id=case.pk)
    pages = case.version.parsed.pages
    if not 0 <= page < len(pages):
        raise Http404
    answers = {**_prefill(request.user, case), **case.data}
    if request.method != "POST":
        form = PageForm(page=pages[page], answers=answers)
        return _render_page(request, case, page, form)
    add_row = request.POST.get("add_row", "")
    extra_rows = {add_row: 1} if add_row else None
    form = PageForm(
        page=pages[page],
        answers=answers,
        data=request.POST,
        files=request.FILES,
        extra_rows=extra_rows,
    )
    is_valid = form.is_valid()
    services.case_answers_save(
        case=case, answers=form.valid_answers(), uploads=form.uploads(), by=request.user, page=page
    )  # type: ignore[arg-type]
    if "previous" in request.POST and page > 0:
        return redirect("frontoffice:case_page", case_id=case.pk, page=page - 1)
    if "save" in request.POST:
        messages.success(request, _("Votre brouillon est enregistré. Il n'est pas encore envoyé."))
        return redirect("frontoffice:my_cases")
    if add_row:
        form = PageForm(page=pages[page], answers=case.data, extra_rows=extra_rows)
        return _render_page(request, case, page, form)
    if not is_valid:
        return _render_page(request, case, page, form, status=422)
    if page + 1 < len(pages):
        return redirect("frontoffice:case_page", case_id=case.pk, page=page + 1)
    return redirect("frontoffice:case_review", case_id=case.pk)


def _render_page(
    request: HttpRequest, case: Case, page: int, form: PageForm, status: int = 200
) -> HttpResponse:
    pages = case.version.parsed.pages
    return render(
        request,
        "frontoffice/case_page.html",
        {
            "case": case,
            "form": form,
            "page": page,
            "page_count": len(pages),
            "page_title": pages[page].title or case.procedure.name,
            "items": form.fields_in_order(),
            "answers": case.data,
        },
        status=status,
    )


@login_required
def case_review(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _applicant_case(request, case_id)
    if not case.is_draft:
        return redirect("frontoffice:case_detail", case_id=case.pk)
    error = ""
    if request.method == "POST":
        try:
            services.case_submit(case=case, by=request.user)  # type: ignore[arg-type]
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("frontoffice:case_receipt", case_id=case.pk)
    pages = case.version.parsed.pages
    sections = [
        (
            index,
            page.title,
            [
                (spec.label, case.data.get(spec.name))
                for spec in page.fields
                if spec.has_input and spec.is_shown(case.data)
            ],
        )
        for index, page in enumerate(pages)
    ]
    return render(
        request,
        "frontoffice/case_review.html",
        {
            "case": case,
            "answers": case_answers_display(case=case),
            "sections": sections,
            "missing": services.case_missing_answers(case=case),
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
def case_receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _applicant_case(request, case_id)
    if case.is_draft:
        return redirect("frontoffice:case_review", case_id=case.pk)
    return render(request, "frontoffice/case_receipt.html", {"case": case})


@login_required
def case_receipt_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _applicant_case(request, case_id)
    if case.is_draft:
        raise Http404
    response = HttpResponse(case_pdf(case=case, document="receipt"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="accuse-reception-{case.number}.pdf"'
    return response


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    roles = selectors.case_roles(user=request.user, case=case)  # type: ignore[arg-type]
    transitions = [
        t
        for t in case.version.parsed.workflow.transitions_from(case.status, roles & {APPLICANT})
        # A step its domain takes on its own pages (a subsidy's report) is not offered here.
        if transition_is_generic(procedure=case.procedure, name=t.name)
    ]
    return {
        "case": case,
        "timeline": selectors.case_timeline(case=case),
        "answers": case_answers_display(case=case),
        "transitions": transitions,
        "documents": case.attachments.exclude(kind=Attachment.Kind.FIELD),
        "message_form": forms.MessageForm(),
        "documents_form": _documents_form(),
        "satisfaction_form": forms.SatisfactionForm(),
        "has_satisfaction": hasattr(case, "satisfaction"),
        "request_comment": case.transitions.filter(to_status=case.status).last(),
    }


def _documents_form(data: Any = None, files: Any = None) -> forms.DocumentsForm:
    form = forms.DocumentsForm(data=data, files=files)
    form.fields["documents"] = DocumentsField(
        label=_("Pièces à joindre (PDF, JPEG ou PNG, 10 Mo maximum chacune)")
    )
    return form


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _applicant_case(request, case_id)
    if case.is_draft:
        return redirect("frontoffice:case_page", case_id=case.pk, page=case.page)
    return render(request, "frontoffice/case_detail.html", _case_context(request, case))


@require_POST
@login_required
def case_message(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _applicant_case(request, case_id)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        services.message_send(case=case, by=request.user, body=form.cleaned_data["body"])  # type: ignore[arg-type]
        messages.success(request, _("Votre message a été envoyé au service."))
        return redirect("frontoffice:case_detail", case_id=case.pk)
    context = _case_context(request, case) | {"message_form": form}
    return render(request, "frontoffice/case_detail.html", context, status=422)


@require_POST
@login_required
def case_action(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    case = _applicant_case(request, case_id)
    form = _documents_form(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_transition_generic(
                case=case,
                name=name,
                by=request.user,  # type: ignore[arg-type]
                comment=form.cleaned_data["comment"],
                uploads=form.cleaned_data["documents"],
                as_applicant=True,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Vos pièces ont bien été transmises au service."))
        return redirect("frontoffice:case_detail", case_id=case.pk)
    context = _case_context(request, case) | {"documents_form": form}
    return render(request, "frontoffice/case_detail.html", context, status=422)


@require_POST
@login_required
def case_satisfaction(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _applicant_case(request, case_id)
    form = forms.SatisfactionForm(request.POST)
    if form.is_valid():
        try:
            services.satisfaction_record(case=case, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Merci pour votre réponse."))
        return redirect("frontoffice:case_detail", case_id=case.pk)
    context = _case_context(request, case) | {"satisfaction_form": form}
    return render(request, "frontoffice/case_detail.html", context, status=422)


@login_required
def attachment_download(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    case = _applicant_case(request, case_id)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_of_applicant(user=request.user, authority=_authority(request))  # type: ignore[arg-type]
    return render(
        request,
        "frontoffice/my_cases.html",
        {
            "drafts": [c for c in cases if c.is_draft],
            "filed": [c for c in cases if not c.is_draft],
        },
    )


def tracking(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    form = forms.TrackingForm(request.POST or None)
    case = None
    if request.method == "POST" and form.is_valid():
        case = selectors.case_get_by_tracking(authority=authority, **form.cleaned_data)
        if case is None:
            form.add_error(
                None, _("Aucun dossier ne correspond à ce numéro et à ce code de suivi.")
            )
        elif "claim" in request.POST and request.user.is_authenticated:
            try:
                services.case_claim(case=case, user=request.user)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Le dossier %(number)s est maintenant dans votre espace.")
                    % {"number": case.number},
                )
                return redirect("frontoffice:case_detail", case_id=case.pk)
    return render(
        request,
        "frontoffice/tracking.html",
        {
            "form": form,
            "case": case,
            "timeline": selectors.case_timeline(case=case) if case else [],
        },
        status=422 if form.errors else 200,
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "frontoffice/accessibility.html", {"statement": _authority(request)})


# --- Accounts -------------------------------------------------------------------------------


def login_view(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    form = forms.LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if user is not None and user.authority_id == authority.pk:
            login(request, user)
            default = (
                reverse("backoffice:queue") if user.is_agent else reverse("frontoffice:my_cases")
            )
            return redirect(next_url(request) or default)
        form.add_error(None, _("Adresse électronique ou mot de passe incorrect."))
    return render(
        request,
        "frontoffice/login.html",
        {"form": form, "next": next_url(request)},
        status=422 if form.errors else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # Logged in through FranceConnect (or an SSO)? Log out there too.
    provider_logout = oidc.logout_url(
        authority=getattr(request, "authority", None),
        session=request.session,
        post_logout_redirect_uri=request.build_absolute_uri(reverse("frontoffice:home")),
    )
    logout(request)
    return redirect(provider_logout or "frontoffice:home")


def register(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verify_url = (
            request.build_absolute_uri(reverse("frontoffice:verify_email", args=["UID", "TOKEN"]))
            .replace("UID", "{uid}")
            .replace("TOKEN", "{token}")
        )
        try:
            user = accounts.resident_register(
                authority=authority, verify_url=verify_url, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error("email", exc.message)
        else:
            login(request, user)
            messages.success(
                request,
                _(
                    "Votre compte est créé. Un courriel vous a été envoyé pour confirmer votre adresse."
                ),
            )
            return redirect(next_url(request) or reverse("frontoffice:my_cases"))
    return render(
        request,
        "frontoffice/register.html",
        {"form": form, "next": next_url(request)},
        status=422 if form.errors else 200,
    )


def verify_email(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    try:
        accounts.email_verify(authority=_authority(request), uid=uid, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Votre adresse électronique est confirmée."))
    return redirect("frontoffice:home")


def magic_link_request(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    form = forms.MagicLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login_url = (
            request.build_absolute_uri(
                reverse("frontoffice:magic_link_login", args=["UID", "TOKEN"])
            )
            .replace("UID", "{uid}")
            .replace("TOKEN", "{token}")
        )
        accounts.magic_link_send(
            authority=authority, email=form.cleaned_data["email"], login_url=login_url
        )
        messages.success(
            request,
            _(
                "Si un compte existe pour cette adresse, un lien de connexion vient d'y être envoyé."
            ),
        )
        return redirect("frontoffice:login")
    return render(request, "frontoffice/magic_link.html", {"form": form})


def magic_link_login(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """GET shows a button, POST logs in: mail scanners that open links do not spend them."""
    authority = _authority(request)
    if request.method == "POST":
        try:
            user = accounts.magic_link_user(authority=authority, uid=uid, token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("frontoffice:login")
        login(request, user)
        return redirect("frontoffice:my_cases")
    return render(request, "frontoffice/magic_link_confirm.html")
