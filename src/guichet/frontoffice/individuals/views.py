"""Residents' pages of the individuals' domain: parse, authorise, one service, render."""

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.core.errors import DomainError
from guichet.engine import services as engine
from guichet.frontoffice.individuals import forms
from guichet.individuals import school, selectors, services, social_aid
from guichet.individuals.models import Enrolment
from guichet.payments import services as payments

logger = logging.getLogger(__name__)


def _authority(request: HttpRequest) -> Any:
    if request.authority is None:  # type: ignore[attr-defined]
        raise Http404
    return request.authority  # type: ignore[attr-defined]


@login_required
def civil_status_request(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    if request.method != "POST":
        form = forms.CivilStatusForm(initial={"copies": 1, "relationship": "self"})
        return render(request, "frontoffice/individuals/civil_status_request.html", {"form": form})
    form = forms.CivilStatusForm(request.POST)
    if form.is_valid():
        try:
            case, _created = services.civil_status_request_file(
                authority=authority, given=form.given(user=request.user), applicant=request.user
            )  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("frontoffice:case_receipt", case_id=case.pk)
    return render(
        request, "frontoffice/individuals/civil_status_request.html", {"form": form}, status=422
    )


# --- Family space -------------------------------------------------------------------------------


def _household(request: HttpRequest, *, create: bool = False) -> Any:
    """The person's family account in this authority; created only on the family page and
    when a child is added, so that a refused request writes nothing."""
    authority = _authority(request)
    user: Any = request.user
    if user.authority_id != authority.pk:
        raise Http404
    if create:
        return school.household_for(user=user)
    household = selectors.household_of(user=user, authority=authority)
    if household is None:
        raise Http404
    return household


def _family_context(request: HttpRequest, household: Any, **given: Any) -> dict[str, Any]:
    authority = _authority(request)
    children = list(household.children.all())
    enrolments = selectors.enrolments_of_household(household=household)
    return {
        "household": household,
        "children": children,
        "enrolments": enrolments,
        "sessions": selectors.sessions_open(authority=authority, today=timezone.localdate()),
        "invoices": selectors.invoices_of_household(household=household),
        "child_form": given.get("child_form") or forms.ChildForm(),
        "enrol_error": given.get("enrol_error", ""),
        "activity_form": given.get("activity_form")
        or forms.ActivityEnrolForm(children=children, activities=_regular(authority)),
        "quotient_form": given.get("quotient_form") or forms.QuotientDeclareForm(),
        "creche_form": given.get("creche_form") or forms.CrecheRequestForm(children=children),
        "creche_requests": selectors.creche_requests_of(household=household),
    }


def _regular(authority: Any) -> list[Any]:
    return [a for a in selectors.activities_of(authority=authority) if a.kind != "leisure"]


@login_required
def family(request: HttpRequest) -> HttpResponse:
    household = _household(request, create=True)
    return render(
        request, "frontoffice/individuals/family.html", _family_context(request, household)
    )


@login_required
@require_POST
def child_add(request: HttpRequest) -> HttpResponse:
    household = _household(request, create=True)
    form = forms.ChildForm(request.POST)
    if not form.is_valid():
        context = _family_context(request, household, child_form=form)
        return render(request, "frontoffice/individuals/family.html", context, status=422)
    school.child_add(household=household, **form.cleaned_data)
    messages.success(request, _("L'enfant est ajouté à votre foyer."))
    return redirect("frontoffice:individuals_family")


@login_required
@require_POST
def session_enrol(request: HttpRequest, session_id: int) -> HttpResponse:
    """Form field `child` (the child's id). Answers with a redirect to the family space,
    whose message says: enrolled, on the waiting list, or why not."""
    household = _household(request)
    session = selectors.session_get(authority=_authority(request), session_id=session_id)
    form = forms.EnrolForm(request.POST, children=list(household.children.all()))
    if not form.is_valid():
        context = _family_context(request, household, enrol_error=_("Choisissez un enfant."))
        return render(request, "frontoffice/individuals/family.html", context, status=422)
    child = selectors.child_get_for_household(
        household=household, child_id=form.cleaned_data["child"]
    )
    enrolment = school.session_enrol(child=child, session=session)
    if enrolment.status == Enrolment.Status.CONFIRMED:
        messages.success(
            request,
            _("%(child)s est inscrit(e) à « %(session)s ».")
            % {"child": child.first_name, "session": session.name},
        )
    else:
        messages.warning(
            request,
            _("Plus de place à « %(session)s » : %(child)s est sur la liste d'attente.")
            % {"child": child.first_name, "session": session.name},
        )
    return redirect("frontoffice:individuals_family")


@login_required
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get_for_household(
        household=_household(request), invoice_id=invoice_id
    )
    content = school.invoice_pdf(invoice=invoice)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="facture-{invoice.number}.pdf"'
    return response


@login_required
@require_POST
def invoice_pay(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get_for_household(
        household=_household(request), invoice_id=invoice_id
    )
    try:
        payment = school.invoice_payment_start(invoice=invoice, payer=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("frontoffice:individuals_family")
    family_url = reverse("frontoffice:individuals_family")
    ref = payment.reference
    return_url = request.build_absolute_uri(
        f"{reverse('frontoffice:payments_return')}?{urlencode({'ref': ref, 'next': family_url})}"
    )
    notify_url = request.build_absolute_uri(
        f"{reverse('frontoffice:payments_notification')}?{urlencode({'ref': ref})}"
    )
    try:
        order = payments.payment_request(
            payment=payment, return_url=return_url, notify_url=notify_url
        )
    except DomainError:
        logger.exception("régie %s: the payment provider refused the request", payment.regie_id)
        messages.error(request, _("Le paiement en ligne est indisponible ; réessayez plus tard."))
        return redirect("frontoffice:individuals_family")
    if order.method == "post":
        # A provider taking a posted form: one button to go on, without JavaScript.
        return render(
            request, "frontoffice/payments/provider_form.html", {"order": order, "payment": payment}
        )
    separator = "&" if "?" in order.url else "?"
    return redirect(
        f"{order.url}{separator}{urlencode(order.fields)}" if order.fields else order.url
    )


# --- Social aid: the beneficiary's space ---------------------------------------------------------


def _aid(request: HttpRequest, application_id: int) -> Any:
    return selectors.aid_application_for_beneficiary(
        user=request.user,  # type: ignore[arg-type]
        authority=_authority(request),
        application_id=application_id,
    )


@login_required
def aid_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.aid_applications_of(user=request.user, authority=_authority(request))  # type: ignore[arg-type]
    return render(request, "frontoffice/individuals/aid_list.html", {"applications": applications})


@login_required
def aid_apply(request: HttpRequest) -> HttpResponse:
    form = forms.AidApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = social_aid.aid_apply(
            authority=_authority(request), applicant=request.user, **form.cleaned_data
        )  # type: ignore[arg-type]
        messages.success(
            request, _("Votre demande est envoyée. Envoyez maintenant les pièces demandées.")
        )
        return redirect("frontoffice:individuals_aid", application_id=application.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "frontoffice/individuals/aid_apply.html", {"form": form}, status=status)


def _aid_context(request: HttpRequest, application: Any, **given: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "application": application,
        "case": application.case,
        "next_step": selectors.aid_next_step(application=application),
        "upcoming": selectors.aid_upcoming_instalments(application=application, today=today),
        "instalments": list(application.instalments.all()),
        "documents": list(application.documents.select_related("attachment")),
        "case_messages": list(application.case.messages.all()),
        "changes": list(application.situation_changes.select_related("case", "case__version")),
        "document_form": given.get("document_form") or forms.AidDocumentForm(),
        "document_code": given.get("document_code", ""),
        "message_form": given.get("message_form") or forms.MessageForm(),
        "change_form": given.get("change_form") or forms.SituationChangeForm(),
    }


@login_required
def aid_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _aid(request, application_id)
    return render(
        request, "frontoffice/individuals/aid_detail.html", _aid_context(request, application)
    )


@login_required
@require_POST
def aid_document(request: HttpRequest, application_id: int, code: str) -> HttpResponse:
    application = _aid(request, application_id)
    form = forms.AidDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            social_aid.aid_document_send(
                application=application,
                code=code,
                upload=form.cleaned_data["document"],
                by=request.user,
            )  # type: ignore[arg-type]
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("La pièce est envoyée au service."))
            return redirect("frontoffice:individuals_aid", application_id=application.pk)
    context = _aid_context(request, application, document_form=form, document_code=code)
    return render(request, "frontoffice/individuals/aid_detail.html", context, status=422)


@login_required
@require_POST
def aid_message(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _aid(request, application_id)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        engine.message_send(case=application.case, by=request.user, body=form.cleaned_data["body"])  # type: ignore[arg-type]
        messages.success(request, _("Votre message est envoyé au service."))
        return redirect("frontoffice:individuals_aid", application_id=application.pk)
    context = _aid_context(request, application, message_form=form)
    return render(request, "frontoffice/individuals/aid_detail.html", context, status=422)


@login_required
@require_POST
def aid_situation_change(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _aid(request, application_id)
    form = forms.SituationChangeForm(request.POST)
    if form.is_valid():
        change = social_aid.situation_change_report(
            application=application, by=request.user, **form.cleaned_data
        )  # type: ignore[arg-type]
        messages.success(
            request,
            _("Votre changement de situation est enregistré : dossier %(number)s.")
            % {"number": change.case.number},
        )
        return redirect("frontoffice:individuals_aid", application_id=application.pk)
    context = _aid_context(request, application, change_form=form)
    return render(request, "frontoffice/individuals/aid_detail.html", context, status=422)


@login_required
@require_POST
def activity_enrol(request: HttpRequest) -> HttpResponse:
    """Canteen or after-school care on some weekdays (enrolling again changes the days)."""
    household = _household(request)
    children = list(household.children.all())
    activities = _regular(_authority(request))
    form = forms.ActivityEnrolForm(request.POST, children=children, activities=activities)
    if form.is_valid():
        child = selectors.child_get_for_household(
            household=household, child_id=form.cleaned_data["child"]
        )
        activity = selectors.activity_get(
            authority=_authority(request), activity_id=form.cleaned_data["activity"]
        )
        school.activity_enrol(
            child=child, activity=activity, weekdays=form.cleaned_data["weekdays"]
        )
        messages.success(
            request,
            _("%(child)s est inscrit(e) : %(activity)s.")
            % {"child": child.first_name, "activity": activity.name},
        )
        return redirect("frontoffice:individuals_family")
    context = _family_context(request, household, activity_form=form)
    return render(request, "frontoffice/individuals/family.html", context, status=422)


@login_required
@require_POST
def quotient_declare(request: HttpRequest) -> HttpResponse:
    household = _household(request)
    form = forms.QuotientDeclareForm(request.POST, request.FILES)
    if form.is_valid():
        school.quotient_set(
            household=household,
            quotient=form.cleaned_data["quotient"],
            source="declared",
            document=form.cleaned_data["document"],
        )
        messages.success(request, _("Votre quotient familial est enregistré."))
        return redirect("frontoffice:individuals_family")
    context = _family_context(request, household, quotient_form=form)
    return render(request, "frontoffice/individuals/family.html", context, status=422)


@login_required
@require_POST
def creche_request(request: HttpRequest) -> HttpResponse:
    household = _household(request)
    form = forms.CrecheRequestForm(request.POST, children=list(household.children.all()))
    if form.is_valid():
        data = form.cleaned_data
        school.creche_request_file(
            household=household,
            child=selectors.child_get_for_household(household=household, child_id=data["child"]),
            date_needed=data["date_needed"],
            weekdays=data["weekdays"],
            criteria=data["criteria"],
        )
        messages.success(request, _("Votre demande de place en crèche est enregistrée."))
        return redirect("frontoffice:individuals_family")
    context = _family_context(request, household, creche_form=form)
    return render(request, "frontoffice/individuals/family.html", context, status=422)


@login_required
@require_POST
def creche_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    household = _household(request)
    found = selectors.creche_request_for_household(household=household, request_id=request_id)
    try:
        school.creche_offer_answer(
            request=found, is_accepted=request.POST.get("answer") == "accept"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Votre réponse est enregistrée."))
    return redirect("frontoffice:individuals_family")
