"""Agents' street reports (triage) and work orders (office and field views)."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.models import Service, User
from guichet.backoffice.decorators import agent_required
from guichet.core.errors import DomainError, ErrorCode
from guichet.core.pagination import CappedPaginator
from guichet.facilities.models import Facility, FacilityReport
from guichet.interventions import selectors as work_orders
from guichet.interventions import services as interventions
from guichet.interventions.forms import WorkOrderForm, WorkOrderProgressForm
from guichet.interventions.models import WorkOrder, WorkOrderPhoto
from guichet.public_space import selectors, services
from guichet.public_space.forms import (
    AgentFilterForm,
    ApiKeyForm,
    CategoryForm,
    MergeForm,
    RejectForm,
    RerouteForm,
)
from guichet.public_space.models import Category, Report
from guichet.security.api_keys import api_key_create, api_key_revoke
from guichet.security.models import ApiKey


def _agent(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _report(request: HttpRequest, report_id: int) -> Report:
    return selectors.report_get_for_agent(agent=_agent(request), report_id=report_id)


def _services(agent: User) -> Any:
    services_ = Service.objects.filter(authority_id=agent.authority_id)
    if not agent.is_authority_admin:
        services_ = services_.filter(memberships__user=agent)
    return services_


def _agents(agent: User) -> Any:
    return (
        User.objects.filter(authority_id=agent.authority_id, memberships__isnull=False)
        .distinct()
        .order_by("last_name", "first_name")
    )


def _categories(agent: User) -> Any:
    return Category.objects.filter(authority_id=agent.authority_id, is_active=True)


# --- Reports ----------------------------------------------------------------------------------


@agent_required
def reports(request: HttpRequest) -> HttpResponse:
    form = AgentFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else "open"
    page = CappedPaginator(
        selectors.reports_for_agent(agent=_agent(request), status=status or "open"), 25, cap=10_000
    ).get_page(request.GET.get("page"))
    return render(request, "backoffice/public_space/reports.html", {"form": form, "page": page})


def _report_context(request: HttpRequest, report: Report, **given: Any) -> dict[str, Any]:
    agent = _agent(request)
    nearby = []
    if report.latitude is not None:
        nearby = [
            (other, distance)
            for other, distance in selectors.reports_nearby(
                category=report.category,
                latitude=report.latitude,
                longitude=report.longitude,
                radius_m=200,
            )
            if other.pk != report.pk
        ]
    return {
        "report": report,
        "photos": report.photos.all(),
        "updates": report.updates.all(),
        "followers": report.followers.count(),
        "nearby": nearby,
        "reject_form": given.get("reject_form") or RejectForm(),
        "merge_form": given.get("merge_form") or MergeForm(),
        "reroute_form": given.get("reroute_form")
        or RerouteForm(categories=_categories(agent).exclude(pk=report.category_id)),
        "work_order_form": given.get("work_order_form")
        or WorkOrderForm(
            services=_services(agent),
            agents=_agents(agent),
            initial={
                "service": report.service_id,
                "title": f"{report.category.name} — {report.address}"[:200],
            },
        ),
        "work_orders": WorkOrder.objects.filter(
            sources__object_id=report.pk,
            sources__content_type__model="report",
            sources__content_type__app_label="public_space",
        ),
    }


@agent_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    return render(request, "backoffice/public_space/report.html", _report_context(request, report))


def _reject(agent: User, report: Report, post: Any, given: dict[str, Any]) -> None:
    form = RejectForm(post)
    given["reject_form"] = form
    if not form.is_valid():
        raise DomainError(ErrorCode.INVALID_DATA, _("Corrigez le formulaire de rejet."))
    services.report_reject(report=report, by=agent, **form.cleaned_data)


def _merge(agent: User, report: Report, post: Any, given: dict[str, Any]) -> None:
    form = MergeForm(post)
    given["merge_form"] = form
    into = None
    if form.is_valid():
        into = (
            selectors.reports_for_agent(agent=agent, status="open")
            .filter(number=form.cleaned_data["into"].strip())
            .first()
        )
        if into is None:
            form.add_error("into", _("Aucun signalement en cours ne porte ce numéro."))
    if into is None:
        raise DomainError(
            ErrorCode.INVALID_DATA, _("Indiquez le numéro d'un signalement en cours.")
        )
    services.report_merge(report=report, into=into, by=agent)


def _reroute(agent: User, report: Report, post: Any, given: dict[str, Any]) -> None:
    form = RerouteForm(post, categories=_categories(agent))
    given["reroute_form"] = form
    if not form.is_valid():
        raise DomainError(ErrorCode.INVALID_DATA, _("Choisissez une catégorie."))
    services.report_reroute(report=report, category=form.cleaned_data["category"], by=agent)


def _publish(agent: User, report: Report, post: Any, given: dict[str, Any]) -> None:
    photo = report.photos.filter(pk=post.get("photo") or 0).first()
    if photo is None:
        raise Http404
    services.report_photo_publish(photo=photo, by=agent, public=post.get("action") == "publish")


def _accept(agent: User, report: Report, post: Any, given: dict[str, Any]) -> None:
    services.report_accept(report=report, by=agent)


TRIAGE = {
    "accept": _accept,
    "reject": _reject,
    "merge": _merge,
    "reroute": _reroute,
    "publish": _publish,
    "hide": _publish,
}


@agent_required
@require_POST
def report_triage(request: HttpRequest, report_id: int) -> HttpResponse:
    """One endpoint for the triage buttons: accept, reject, merge, reroute, publish a photo."""
    agent = _agent(request)
    report = _report(request, report_id)
    action = TRIAGE.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    given: dict[str, Any] = {}
    try:
        action(agent, report, request.POST, given)
    except DomainError as error:
        messages.error(request, error.message)
        report.refresh_from_db()
        context = _report_context(request, report, **given)
        return render(request, "backoffice/public_space/report.html", context, status=422)
    messages.success(request, _("Action effectuée."))
    still_mine = selectors.reports_for_agent(agent=agent, status="all").filter(pk=report.pk)
    if not still_mine.exists():
        return redirect("backoffice:public_space_reports")
    return redirect("backoffice:public_space_report", report_id=report.pk)


@agent_required
def report_photo(request: HttpRequest, report_id: int, photo_id: int) -> FileResponse:
    report = _report(request, report_id)
    photo = report.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


# --- Work orders -------------------------------------------------------------------------------


@agent_required
@require_POST
def report_work_order_create(request: HttpRequest, report_id: int) -> HttpResponse:
    agent = _agent(request)
    report = _report(request, report_id)
    form = WorkOrderForm(
        request.POST, request.FILES, services=_services(agent), agents=_agents(agent)
    )
    also = list(  # nearby duplicates the same team fixes in the same visit
        selectors.reports_for_agent(agent=agent, status="open")
        .filter(pk__in=[int(v) for v in request.POST.getlist("also") if v.isdigit()])
        .exclude(pk=report.pk)
    )
    if form.is_valid():
        try:
            work_order = services.reports_work_order_create(
                reports=[report, *also], by=agent, **_work_order_fields(form)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Bon d'intervention %(number)s créé.") % {"number": work_order.number}
            )
            return redirect("backoffice:interventions_work_order", work_order_id=work_order.pk)
    context = _report_context(request, report, work_order_form=form)
    return render(request, "backoffice/public_space/report.html", context, status=422)


def _source_link(source: Any) -> tuple[str, str]:
    """A work order's source as (label, back-office URL); other domains' rows by their name."""
    if isinstance(source, Report):
        return source.number, reverse("backoffice:public_space_report", args=[source.pk])
    if isinstance(source, Facility):
        return source.name, reverse("backoffice:facilities_facility", args=[source.pk])
    if isinstance(source, FacilityReport):
        return (
            _("Signalement : %(text)s") % {"text": source.description[:80]},
            reverse("backoffice:facilities_facility", args=[source.facility_id]),
        )
    return str(source), ""


def _work_order_fields(form: WorkOrderForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "service": data["service"],
        "title": data["title"],
        "description": data["description"],
        "team": data["team"],
        "assignee": data["assignee"],
        "priority": data["priority"],
        "planned_date": data["planned_date"],
        "materials": data["materials"],
        "before_photo": data["before_photo"],
    }


@agent_required
def work_order_list(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    orders = work_orders.work_orders_for_agent(agent=agent).exclude(status=WorkOrder.Status.DONE)
    page = CappedPaginator(orders, 25, cap=10_000).get_page(request.GET.get("page"))
    return render(request, "backoffice/public_space/work_orders.html", {"page": page})


@agent_required
def work_order_new(request: HttpRequest) -> HttpResponse:
    """A work order on its own (no report): preventive work, a round…"""
    agent = _agent(request)
    form = WorkOrderForm(
        request.POST or None,
        request.FILES or None,
        services=_services(agent),
        agents=_agents(agent),
    )
    if request.method == "POST" and form.is_valid():
        try:
            work_order = interventions.work_order_create(by=agent, **_work_order_fields(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Bon d'intervention %(number)s créé.") % {"number": work_order.number}
            )
            return redirect("backoffice:interventions_work_order", work_order_id=work_order.pk)
    return render(request, "backoffice/public_space/work_order_new.html", {"form": form})


@agent_required
def work_order_detail(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_orders.work_order_get_for_agent(
        agent=_agent(request), work_order_id=work_order_id
    )
    return render(
        request,
        "backoffice/public_space/work_order.html",
        {
            "work_order": work_order,
            "sources": [
                _source_link(source) for source in interventions.work_order_sources(work_order)
            ],
            "photos": work_order.photos.all(),
            "progress_form": WorkOrderProgressForm(),
        },
    )


@agent_required
def work_orders_today(request: HttpRequest) -> HttpResponse:
    """The field view, for a phone: my work orders of today (and late ones)."""
    orders = work_orders.work_orders_of_the_day(agent=_agent(request), day=timezone.localdate())
    return render(
        request,
        "backoffice/public_space/work_orders_today.html",
        {"orders": orders, "progress_form": WorkOrderProgressForm(), **_map()},
    )


def _map() -> dict[str, str]:
    from django.conf import settings

    return {
        "map_tiles": settings.GUICHET_MAP_TILES_URL,
        "map_attribution": settings.GUICHET_MAP_ATTRIBUTION,
    }


@agent_required
@require_POST
def work_order_progress(request: HttpRequest, work_order_id: int) -> HttpResponse:
    agent = _agent(request)
    work_order = work_orders.work_order_get_for_agent(agent=agent, work_order_id=work_order_id)
    form = WorkOrderProgressForm(request.POST, request.FILES)
    action = request.POST.get("action")
    if form.is_valid():
        try:
            if action == "start":
                interventions.work_order_start(
                    work_order=work_order, by=agent, photo=form.cleaned_data["photo"]
                )
                messages.success(request, _("Intervention commencée."))
            elif action == "done":
                interventions.work_order_close(
                    work_order=work_order,
                    by=agent,
                    comment=form.cleaned_data["comment"],
                    photo=form.cleaned_data["photo"],
                )
                messages.success(
                    request,
                    _("Intervention terminée : les personnes qui l'ont signalée sont prévenues."),
                )
            else:
                raise Http404
        except DomainError as error:
            messages.error(request, error.message)
    back = request.POST.get("back")
    if back == "today":
        return redirect("backoffice:interventions_today")
    return redirect("backoffice:interventions_work_order", work_order_id=work_order.pk)


@agent_required
def work_order_photo(request: HttpRequest, work_order_id: int, photo_id: int) -> FileResponse:
    work_order = work_orders.work_order_get_for_agent(
        agent=_agent(request), work_order_id=work_order_id
    )
    photo = WorkOrderPhoto.objects.filter(work_order=work_order, pk=photo_id).first()
    if photo is None:
        raise Http404
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


# --- Administration: categories and Open311 keys (the authority's administrators) --------------


def _admin(request: HttpRequest) -> User:
    agent = _agent(request)
    if not agent.is_authority_admin:
        raise Http404
    return agent


@agent_required
def categories(request: HttpRequest) -> HttpResponse:
    agent = _admin(request)
    rows = Category.objects.filter(authority_id=agent.authority_id).select_related("service")
    return render(request, "backoffice/public_space/categories.html", {"categories": rows})


@agent_required
def category_edit(request: HttpRequest, category_id: int | None = None) -> HttpResponse:
    agent = _admin(request)
    category = None
    if category_id is not None:
        category = Category.objects.filter(authority_id=agent.authority_id, pk=category_id).first()
        if category is None:
            raise Http404
    services_ = Service.objects.filter(authority_id=agent.authority_id)
    form = CategoryForm(request.POST or None, instance=category, services=services_)
    if request.method == "POST" and form.is_valid():
        form.instance.authority_id = agent.authority_id
        code = form.cleaned_data["code"]
        taken = Category.objects.filter(authority_id=agent.authority_id, code=code)
        if category is not None:
            taken = taken.exclude(pk=category.pk)
        if taken.exists():
            form.add_error("code", _("Une autre catégorie a déjà ce code."))
        else:
            saved = form.save()
            messages.success(
                request, _("Catégorie « %(name)s » enregistrée.") % {"name": saved.name}
            )
            return redirect("backoffice:public_space_categories")
    return render(
        request, "backoffice/public_space/category_edit.html", {"form": form, "category": category}
    )


NEW_KEY = "public_space_new_open311_key"


@agent_required
def api_keys(request: HttpRequest) -> HttpResponse:
    """Open311 keys, one per client application; the key shows once, after its creation."""
    agent = _admin(request)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _key, raw = api_key_create(
            authority=request.authority,  # type: ignore[attr-defined]
            name=form.cleaned_data["name"],
            scopes=[ApiKey.Scope.OPEN311],
        )
        request.session[NEW_KEY] = raw  # shown by the next page, once (post/redirect/get)
        return redirect("backoffice:public_space_api_keys")
    keys = [  # a handful of rows; JSON containment is not portable to SQLite
        key
        for key in ApiKey.objects.filter(authority_id=agent.authority_id).order_by("-created_at")
        if ApiKey.Scope.OPEN311 in key.scopes
    ]
    return render(
        request,
        "backoffice/public_space/api_keys.html",
        {"form": form, "keys": keys, "new_key": request.session.pop(NEW_KEY, "")},
    )


@agent_required
@require_POST
def api_key_revoke_view(request: HttpRequest, key_id: int) -> HttpResponse:
    agent = _admin(request)
    key = ApiKey.objects.filter(authority_id=agent.authority_id, pk=key_id).first()
    if key is None:
        raise Http404
    api_key_revoke(key=key)
    messages.success(request, _("Clé de « %(name)s » révoquée.") % {"name": key.name})
    return redirect("backoffice:public_space_api_keys")
