"""Agents' pages for loans of rooms and equipment to organisations: the requests to decide,
the loans of each room and piece of equipment."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.accounts.models import User
from guichet.backoffice.decorators import agent_required
from guichet.core.errors import DomainError
from guichet.facilities import loan_selectors, loan_services
from guichet.facilities.models import Loan


class LoanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[
            ("approve", gettext_lazy("Accorder")),
            ("refuse", gettext_lazy("Refuser")),
            ("cancel", gettext_lazy("Annuler le prêt accordé")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=gettext_lazy("Commentaire"), required=False, max_length=500)


def _agent(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@agent_required
def loans(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    rows = []
    for loan in loan_selectors.loans_for_agent(agent=agent).order_by("starts_on", "id"):
        form = None
        if loan.status in (Loan.Status.REQUESTED, Loan.Status.APPROVED):
            form = LoanDecisionForm(auto_id=f"pret-{loan.pk}-%s")
            allowed = ("cancel",) if loan.status == Loan.Status.APPROVED else ("approve", "refuse")
            form.fields["decision"].choices = [  # type: ignore[attr-defined]
                choice
                for choice in form.fields["decision"].choices
                if choice[0] in allowed  # type: ignore[attr-defined]
            ]
        rows.append((loan, form))
    return render(request, "backoffice/facilities/loans.html", {"rows": rows})


@require_POST
@agent_required
def loan_decide(request: HttpRequest, loan_id: int) -> HttpResponse:
    agent = _agent(request)
    loan = loan_selectors.loan_get_for_agent(agent=agent, loan_id=loan_id)
    form = LoanDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une décision."))
        return redirect("backoffice:facilities_loans")
    decide = {
        "approve": loan_services.loan_approve,
        "refuse": loan_services.loan_refuse,
        "cancel": loan_services.loan_cancel,
    }[form.cleaned_data["decision"]]
    try:
        decide(loan=loan, agent=agent, comment=form.cleaned_data["comment"])
    except DomainError as error:
        messages.error(
            request,
            _("Prêt %(reference)s : %(reason)s")
            % {"reference": loan.reference, "reason": error.message},
        )
    else:
        messages.success(
            request, _("Prêt %(reference)s : décision enregistrée.") % {"reference": loan.reference}
        )
    return redirect("backoffice:facilities_loans")


@agent_required
def loans_by_item(request: HttpRequest) -> HttpResponse:
    items = loan_selectors.loans_by_item(agent=_agent(request), since=timezone.localdate())
    return render(request, "backoffice/facilities/loans_by_item.html", {"items": items})


# Included by `guichet.backoffice.urls` in the `backoffice` namespace, beside the facilities'.
urlpatterns: list = [
    path("equipements/prets/", loans, name="facilities_loans"),
    path("equipements/prets/par-article/", loans_by_item, name="facilities_loans_by_item"),
    path("equipements/prets/<int:loan_id>/", loan_decide, name="facilities_loan_decide"),
]
