"""Residents' pages of the individuals' domain: parse, authorise, one service, render."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from guichet.core.errors import DomainError
from guichet.frontoffice.individuals import forms
from guichet.individuals import services


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
