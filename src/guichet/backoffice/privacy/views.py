"""The data protection officer's pages: the agents' access log and the register of
processing activities. Administrators and appointed officers only."""

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.documents import tables
from guichet.privacy import selectors

PAGE_SIZE = 50


def dpo_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        authority = getattr(request, "authority", None)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if authority is None or not selectors.is_data_protection_officer(
            user=request.user, authority=authority
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "actor": request.GET.get("agent", "")[:200],
        "since": _date(request.GET.get("du")),
        "until": _date(request.GET.get("au")),
    }


@dpo_required
def access_log(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    events = selectors.access_log(authority=request.authority, **filters)  # type: ignore[attr-defined]
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/privacy/access_log.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )


HEADER = ["date", "agent", "action", "objet", "identifiant"]


@dpo_required
def access_log_export(request: HttpRequest) -> StreamingHttpResponse:
    events = selectors.access_log(authority=request.authority, **_filters(request))  # type: ignore[attr-defined]
    response = StreamingHttpResponse(
        tables.csv_stream(header=HEADER, rows=selectors.access_log_rows(events)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="journal-des-acces.csv"'
    return response


@dpo_required
def register(request: HttpRequest) -> HttpResponse:
    entries = selectors.processing_register(authority=request.authority)  # type: ignore[attr-defined]
    return render(
        request,
        "backoffice/privacy/register.html",
        {"entries": entries, "title": _("Registre des activités de traitement")},
    )
