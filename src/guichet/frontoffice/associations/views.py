"""The associations' front office: organisations, representatives, "acting as", the
document vault, calls for projects, subsidy applications, final reports and loans."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts import selectors as accounts_selectors
from guichet.accounts import services as accounts
from guichet.accounts.models import Organisation, Representative, User
from guichet.associations import selectors, services
from guichet.associations.budget import ZERO, budget_totals
from guichet.associations.models import VaultDocument
from guichet.core.errors import DomainError
from guichet.engine.models import Attachment
from guichet.facilities import loan_selectors, loan_services
from guichet.frontoffice.associations import forms
from guichet.frontoffice.associations.acting import ACTING_AS, acting_among


def _authority(request: HttpRequest) -> Any:
    if request.authority is None:  # type: ignore[attr-defined]
        raise Http404
    return request.authority  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    return accounts_selectors.organisation_get_for_representative(
        user=_user(request), authority=_authority(request), organisation_id=organisation_id
    )


def _acting_context(request: HttpRequest) -> dict[str, Any]:
    organisations = accounts_selectors.organisations_of_user(
        user=_user(request), authority=_authority(request)
    )
    acting = acting_among(request, organisations)
    return {
        "organisations": organisations,
        "acting": acting,
        "acting_form": forms.ActingAsForm(
            organisations=organisations, initial={"organisation": acting.pk if acting else 0}
        ),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    invitations = (
        Representative.objects.pending()
        .filter(authority=authority, email__iexact=_user(request).email)
        .select_related("organisation")
    )
    return render(
        request,
        "frontoffice/associations/home.html",
        _acting_context(request)
        | {
            "calls": selectors.calls_open(authority=authority, today=timezone.localdate()),
            "invitations": list(invitations),
        },
    )


@require_POST
@login_required
def acting_as(request: HttpRequest) -> HttpResponse:
    organisations = accounts_selectors.organisations_of_user(
        user=_user(request), authority=_authority(request)
    )
    form = forms.ActingAsForm(request.POST, organisations=organisations)
    if form.is_valid() and form.cleaned_data["organisation"]:
        organisation = _organisation(request, form.cleaned_data["organisation"])
        request.session[ACTING_AS] = organisation.pk
        messages.success(
            request, _("Vous agissez maintenant pour %(name)s.") % {"name": organisation.name}
        )
    else:
        request.session.pop(ACTING_AS, None)
        messages.success(request, _("Vous agissez maintenant en votre nom propre."))
    return redirect("frontoffice:associations_home")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = accounts.organisation_register(
                authority=_authority(request), by=_user(request), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error("siret", exc.message)
        else:
            request.session[ACTING_AS] = organisation.pk
            messages.success(
                request,
                _("%(name)s est inscrite ; vous agissez pour elle.") % {"name": organisation.name},
            )
            return redirect(
                "frontoffice:associations_organisation", organisation_id=organisation.pk
            )
    return render(
        request,
        "frontoffice/associations/register.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _organisation_page(
    request: HttpRequest, organisation: Organisation, status: int = 200, **forms_given: Any
) -> HttpResponse:
    authority = _authority(request)
    context = {
        "organisation": organisation,
        "representatives": accounts_selectors.representatives_of(organisation=organisation),
        "vault": selectors.vault_overview(organisation=organisation),
        "today": timezone.localdate(),
        "applications": selectors.applications_of_organisation(organisation=organisation),
        "loans": loan_selectors.loans_of_organisation(organisation=organisation),
        "invite_form": forms.InviteForm(),
        "vault_form": forms.VaultDocumentForm(),
        "loan_form": _loan_form(authority),
    } | forms_given
    return render(request, "frontoffice/associations/organisation.html", context, status=status)


@login_required
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _organisation_page(request, _organisation(request, organisation_id))


@require_POST
@login_required
def invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    form = forms.InviteForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, organisation, status=422, invite_form=form)
    accept_url = request.build_absolute_uri(
        reverse("frontoffice:associations_invitation", args=["TOKEN"])
    ).replace("TOKEN", "{token}")
    accounts.representative_invite(
        organisation=organisation, by=_user(request), accept_url=accept_url, **form.cleaned_data
    )
    messages.success(
        request,
        _("Une invitation a été envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
    )
    return redirect("frontoffice:associations_organisation", organisation_id=organisation.pk)


@require_POST
@login_required
def representative_remove(
    request: HttpRequest, organisation_id: int, representative_id: int
) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    representative = accounts_selectors.representative_get(
        organisation=organisation, representative_id=representative_id
    )
    try:
        services.organisation_leave(representative=representative, by=_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("frontoffice:associations_organisation", organisation_id=organisation.pk)
    if representative.user_id == _user(request).pk:
        request.session.pop(ACTING_AS, None)
        messages.success(
            request, _("Vous ne représentez plus %(name)s.") % {"name": organisation.name}
        )
        return redirect("frontoffice:associations_home")
    messages.success(
        request, _("%(email)s ne représente plus l'organisation.") % {"email": representative.email}
    )
    return redirect("frontoffice:associations_organisation", organisation_id=organisation.pk)


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    authority = _authority(request)
    invited = accounts_selectors.invitation_get(authority=authority, token=token)
    if request.method == "POST":
        try:
            accounts.invitation_accept(authority=authority, token=token, user=_user(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            request.session[ACTING_AS] = invited.organisation_id
            messages.success(
                request,
                _("Vous représentez maintenant %(name)s.") % {"name": invited.organisation.name},
            )
            return redirect(
                "frontoffice:associations_organisation", organisation_id=invited.organisation_id
            )
    return render(request, "frontoffice/associations/invitation.html", {"invitation": invited})


@require_POST
@login_required
def vault_upload(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    form = forms.VaultDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _organisation_page(request, organisation, status=422, vault_form=form)
    document = services.vault_document_store(
        organisation=organisation,
        by=_user(request),
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
        valid_until=form.cleaned_data["valid_until"],
        iban=form.cleaned_data["iban"],
    )
    messages.success(
        request,
        _("« %(kind)s » est dans le coffre-fort.") % {"kind": document.get_kind_display()},
    )
    return redirect(
        reverse("frontoffice:associations_organisation", args=[organisation.pk]) + "#coffre-fort"
    )


@login_required
def vault_download(request: HttpRequest, organisation_id: int, document_id: int) -> FileResponse:
    organisation = _organisation(request, organisation_id)
    document = selectors.vault_document_get(organisation=organisation, document_id=document_id)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


# --- Subsidy applications -------------------------------------------------------------------


def _apply_forms(data: Any = None, key: str = "") -> dict[str, Any]:
    return {
        "form": forms.ProjectForm(
            data, initial={"submission_key": key or forms.ProjectForm.new_key()}
        ),
        "charges": forms.ChargeFormSet(data, prefix="charges"),
        "resources": forms.ResourceFormSet(data, prefix="resources"),
    }


@login_required
def apply(request: HttpRequest, call_id: int) -> HttpResponse:
    authority = _authority(request)
    call = selectors.call_get(authority=authority, call_id=call_id)
    context = _acting_context(request)
    organisation = context["acting"]
    today = timezone.localdate()
    context |= {"call": call, "is_open": call.is_open_on(today)}
    if organisation is None or not context["is_open"]:
        return render(request, "frontoffice/associations/apply.html", context)
    vault = selectors.vault_current(organisation=organisation, today=today)
    context |= {
        "prefill": services.subsidy_prefill(organisation=organisation, user=_user(request)),
        "documents": [
            (kind, label, vault.get(kind))
            for kind, label in VaultDocument.Kind.choices
            if kind in selectors.SUBSIDY_DOCUMENTS
        ],
        "error": "",
    }
    if request.method == "POST" and "add_lines" in request.POST:
        # Without JavaScript: the same form again, two more lines in each table.
        context |= forms.apply_forms_with_more_lines(request.POST)
        return render(request, "frontoffice/associations/apply.html", context)
    bound = _apply_forms(request.POST if request.method == "POST" else None)
    context |= bound
    if request.method != "POST":
        return render(request, "frontoffice/associations/apply.html", context)
    form, charges, resources = bound["form"], bound["charges"], bound["resources"]
    valid = all([form.is_valid(), charges.is_valid(), resources.is_valid()])
    if valid:
        data = form.cleaned_data
        try:
            application = services.subsidy_apply(
                call=call,
                organisation=organisation,
                by=_user(request),
                submission_key=data["submission_key"],
                project=services.Project(
                    title=data["project_title"],
                    goals=data["project_goals"],
                    public=data["project_public"],
                    place=data["project_place"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                ),
                entries=charges.entries() + resources.entries(),
                amount_requested=data["amount_requested"],
                other_funders=data["other_funders"],
                sworn_statement=data["sworn_statement"],
                uploads={},
                today=today,
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            messages.success(
                request,
                _("Votre demande %(number)s est envoyée.") % {"number": application.case.number},
            )
            return redirect(
                "frontoffice:associations_application",
                organisation_id=organisation.pk,
                application_id=application.pk,
            )
    if charges.is_valid() and resources.is_valid():
        amount = form.cleaned_data.get("amount_requested") if form.is_valid() else None
        context["totals"] = budget_totals(
            entries=charges.entries() + resources.entries(), amount_requested=amount or ZERO
        )
    return render(request, "frontoffice/associations/apply.html", context, status=422)


def _application(request: HttpRequest, organisation_id: int, application_id: int) -> Any:
    organisation = _organisation(request, organisation_id)
    return selectors.application_get_for_representative(
        organisation=organisation, application_id=application_id
    )


def _application_page(
    request: HttpRequest, application: Any, status: int = 200, report_form: Any = None
) -> HttpResponse:
    case = application.case
    return render(
        request,
        "frontoffice/associations/application.html",
        {
            "application": application,
            "organisation": application.organisation,
            "case": case,
            "documents": case.attachments.exclude(kind=Attachment.Kind.FIELD),
            "lines": list(application.budget_lines.all()),
            "instalments": list(application.instalments.all()),
            "report": getattr(application, "final_report", None),
            "report_form": report_form or forms.FinalReportForm(),
        },
        status=status,
    )


@login_required
def application(request: HttpRequest, organisation_id: int, application_id: int) -> HttpResponse:
    return _application_page(request, _application(request, organisation_id, application_id))


@require_POST
@login_required
def final_report(request: HttpRequest, organisation_id: int, application_id: int) -> HttpResponse:
    application = _application(request, organisation_id, application_id)
    form = forms.FinalReportForm(request.POST)
    if form.is_valid():
        try:
            services.final_report_file(
                application=application, by=_user(request), **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Votre compte rendu financier est déposé."))
            return redirect(
                "frontoffice:associations_application",
                organisation_id=organisation_id,
                application_id=application.pk,
            )
    return _application_page(request, application, status=422, report_form=form)


@login_required
def application_document(
    request: HttpRequest, organisation_id: int, application_id: int, attachment_id: int
) -> FileResponse:
    application = _application(request, organisation_id, application_id)
    attachment = application.case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _loan_form(authority: Any, data: Any = None) -> forms.LoanRequestForm:
    return forms.LoanRequestForm(
        data,
        rooms=list(loan_selectors.loan_rooms(authority=authority)),
        equipment=list(loan_selectors.loan_equipment(authority=authority)),
    )


@require_POST
@login_required
def loan(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """A loan of rooms and equipment from the facilities registry, asked by a representative
    for the organisation of the page (the one they act for)."""
    organisation = _organisation(request, organisation_id)
    form = _loan_form(_authority(request), request.POST)
    if form.is_valid():
        try:
            loan = loan_services.loan_request(
                organisation=organisation,
                by=_user(request),
                rooms=form.chosen_rooms(),
                equipment=form.chosen_equipment(),
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                purpose=form.cleaned_data["purpose"],
                request_key=form.cleaned_data["request_key"],
            )
        except DomainError as exc:
            for problem in getattr(exc, "problems", [exc.message]):
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("Votre demande de prêt %(reference)s est envoyée.")
                % {"reference": loan.reference},
            )
            return redirect(
                reverse("frontoffice:associations_organisation", args=[organisation.pk]) + "#prets"
            )
    return _organisation_page(request, organisation, status=422, loan_form=form)
