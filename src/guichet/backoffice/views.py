from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.engine import selectors


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_agent or request.user.authority_id != getattr(
        request.authority, "pk", None
    ):  # type: ignore[union-attr, attr-defined]
        raise Http404
    cases = selectors.cases_for_agent(
        agent=request.user, filters=selectors.CaseFilters(), now=timezone.now()
    )  # type: ignore[arg-type]
    return render(request, "backoffice/queue.html", {"cases": cases[:50]})
