"""Agents' pages for facilities: bookings to decide, closures, season rounds, planning."""

import datetime
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.models import User
from guichet.backoffice.decorators import agent_required
from guichet.backoffice.facilities import forms
from guichet.core.errors import DomainError
from guichet.documents import tables
from guichet.documents.pdf import pdf_render
from guichet.facilities import selectors, services
from guichet.facilities.calendar import at, local
from guichet.facilities.feeds import feed_token
from guichet.facilities.forms import FacilityReportForm
from guichet.facilities.models import Audience, Booking, SeasonApplication, SeasonRound


def _agent(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@agent_required
def home(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    bookings = selectors.bookings_for_agent(agent=agent)
    return render(
        request,
        "backoffice/facilities/home.html",
        {
            "pending": bookings.filter(status=Booking.Status.PENDING).order_by("starts_at"),
            "facilities": selectors.facilities_for_agent(agent=agent),
            "rounds": selectors.season_rounds_for_agent(agent=agent),
        },
    )


@agent_required
def facility(request: HttpRequest, facility_id: int) -> HttpResponse:
    agent = _agent(request)
    place = selectors.facility_get_for_agent(agent=agent, facility_id=facility_id)
    affected: list[Booking] = []
    closure_form = forms.ClosureForm(request.POST or None, prefix="closure")
    if request.method == "POST" and closure_form.is_valid():
        data = closure_form.cleaned_data
        try:
            _closure, affected = services.closure_create(
                facility=place,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except DomainError as error:
            closure_form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Fermeture enregistrée ; %(count)s réservation(s) concernée(s), titulaires prévenus."
                )
                % {"count": len(affected)},
            )
            closure_form = forms.ClosureForm(prefix="closure")
    return render(
        request,
        "backoffice/facilities/facility.html",
        _facility_context(place, closure_form=closure_form, affected=affected),
    )


def _facility_context(place: Any, **given: Any) -> dict[str, Any]:
    today = local(timezone.now()).date()
    units = selectors.facility_units(facility=place)
    return {
        "facility": place,
        "units": units,
        "upcoming": selectors.bookings_between(
            facility=place, first=today, last=today + datetime.timedelta(days=60)
        ),
        "closures": place.closures.filter(authority_id=place.authority_id, ends_on__gte=today),
        "closure_form": given.get("closure_form") or forms.ClosureForm(prefix="closure"),
        "affected": given.get("affected", []),
        "work_orders": selectors.work_orders_open_of_facility(facility=place),
        "report_form": given.get("report_form") or FacilityReportForm(prefix="report", units=units),
        "feed": reverse(
            "frontoffice:facilities_feed",
            args=[feed_token(kind="facility", object_id=place.pk, authority_id=place.authority_id)],
        ),
    }


@require_POST
@agent_required
def facility_report(request: HttpRequest, facility_id: int) -> HttpResponse:
    """An agent reports a problem: a work order of the facility's service, at once."""
    agent = _agent(request)
    place = selectors.facility_get_for_agent(agent=agent, facility_id=facility_id)
    units = selectors.facility_units(facility=place)
    form = FacilityReportForm(request.POST, request.FILES, prefix="report", units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _report, work_order = services.facility_report_file(
                facility=place,
                reporter=agent,
                unit=selectors.unit_get_public(facility=place, unit_id=data["unit"])
                if data["unit"]
                else None,
                description=data["description"],
                photo=data["photo"],
                request_key=data["request_key"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Bon d'intervention %(number)s créé.") % {"number": work_order.number},
            )
            return redirect("backoffice:facilities_facility", place.pk)
    return render(
        request,
        "backoffice/facilities/facility.html",
        _facility_context(place, report_form=form),
    )


@agent_required
def internal_booking(request: HttpRequest, facility_id: int) -> HttpResponse:
    agent = _agent(request)
    place = selectors.facility_get_for_agent(agent=agent, facility_id=facility_id)
    units = selectors.facility_units(facility=place)
    services_list = list(selectors.services_of_authority(authority_id=agent.authority_id))
    form = forms.InternalBookingForm(request.POST or None, units=units, services=services_list)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_request(
                unit=selectors.unit_get_public(facility=place, unit_id=data["unit"]),
                holder=agent,
                audience=Audience.INTERNAL,
                service=next(s for s in services_list if s.pk == data["service"]),
                starts_at=at(data["day"], data["starts"]),
                ends_at=at(data["day"], data["ends"]),
                purpose=data["purpose"],
                attendance=data["attendance"],
                request_key=data["request_key"],
                by_agent=agent,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La réservation du service est confirmée."))
            return redirect("backoffice:facilities_booking", booking.pk)
    return render(
        request, "backoffice/facilities/internal_booking.html", {"facility": place, "form": form}
    )


@agent_required
def booking(request: HttpRequest, booking_id: int) -> HttpResponse:
    found = selectors.booking_get_for_agent(agent=_agent(request), booking_id=booking_id)
    starts, ends = selectors.local_range(found)
    return render(
        request,
        "backoffice/facilities/booking.html",
        {
            "booking": found,
            "starts": starts,
            "ends": ends,
            "form": forms.DecisionForm(),
            "move_form": forms.MoveForm(
                prefix="move",
                initial={"day": starts.date(), "starts": starts.time(), "ends": ends.time()},
            ),
        },
    )


@require_POST
@agent_required
def booking_decide(request: HttpRequest, booking_id: int) -> HttpResponse:
    agent = _agent(request)
    found = selectors.booking_get_for_agent(agent=agent, booking_id=booking_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une décision."))
        return redirect("backoffice:facilities_booking", found.pk)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    try:
        if action == "approve":
            services.booking_approve(booking=found, agent=agent)
            messages.success(request, _("Réservation confirmée ; l'usager est prévenu."))
        elif action == "refuse":
            services.booking_refuse(booking=found, agent=agent, note=note)
            messages.success(request, _("Réservation refusée ; l'usager est prévenu."))
        else:
            services.booking_cancel(booking=found, by=agent, as_agent=True, note=note)
            messages.success(request, _("Réservation annulée ; l'usager est prévenu."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("backoffice:facilities_booking", found.pk)


# --- Season rounds ------------------------------------------------------------------------------


@agent_required
def rounds(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    form = forms.SeasonRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        season = form.save(commit=False)
        season.authority_id = agent.authority_id
        season.save()
        messages.success(request, _("Campagne créée."))
        return redirect("backoffice:facilities_round", season.pk)
    return render(
        request,
        "backoffice/facilities/rounds.html",
        {"rounds": selectors.season_rounds_for_agent(agent=agent), "form": form},
    )


@agent_required
def season_round(request: HttpRequest, round_id: int) -> HttpResponse:
    agent = _agent(request)
    season = selectors.season_round_get_for_agent(agent=agent, round_id=round_id)
    applications = list(selectors.season_applications_for_agent(agent=agent).filter(round=season))
    for application in applications:
        application.conflict_count = len(  # type: ignore[attr-defined]
            selectors.season_conflicting_days(application=application)
        )
    return render(
        request,
        "backoffice/facilities/round.html",
        {
            "season": season,
            "applications": applications,
            "facilities": selectors.facilities_for_agent(agent=agent),
            "next_step": services.NEXT_STEP.get(season.status),  # type: ignore[call-overload]
        },
    )


@require_POST
@agent_required
def round_advance(request: HttpRequest, round_id: int) -> HttpResponse:
    season = selectors.season_round_get_for_agent(agent=_agent(request), round_id=round_id)
    try:
        season = services.season_round_advance(season=season)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Campagne : %(step)s.") % {"step": season.get_status_display()})
    return redirect("backoffice:facilities_round", season.pk)


PLANNING_HEADER = [
    "Équipement",
    "Espace",
    "Jour",
    "Début",
    "Fin",
    "Association",
    "Activité",
    "Dates",
]


@agent_required
def round_planning(request: HttpRequest, round_id: int, file_format: str) -> HttpResponse:
    agent = _agent(request)
    season = selectors.season_round_get_for_agent(agent=agent, round_id=round_id)
    if file_format not in ("pdf", "xlsx"):
        raise Http404
    place = None
    if request.GET.get("equipement", "").isdigit():
        place = selectors.facility_get_for_agent(
            agent=agent, facility_id=int(request.GET["equipement"])
        )
    rows = [
        [
            row.facility,
            row.unit,
            row.weekday,
            row.starts.strftime("%H:%M"),
            row.ends.strftime("%H:%M"),
            row.holder,
            row.activity,
            row.dates,
        ]
        for row in selectors.season_planning(season=season, facility=place)
    ]
    filename = f"planning-{season.pk}{'-' + place.slug if place else ''}.{file_format}"
    if file_format == "pdf":
        pdf = pdf_render(
            template="facilities/pdf/planning.html",
            context={
                "season": season,
                "facility": place,
                "header": PLANNING_HEADER,
                "rows": rows,
                "authority": request.authority,  # type: ignore[attr-defined]
                "title": f"Planning {season.name}",
                "service": place.service.name if place else "",
                "landscape": True,
            },
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        tables.xlsx_file(title="Planning", header=PLANNING_HEADER, rows=rows),
        as_attachment=True,
        filename=filename,
        content_type=tables.FORMATS["xlsx"],
    )


def _day_choices(occurrences: list[Any]) -> list[tuple[str, str]]:
    return [(o.day.isoformat(), o.day.strftime("%d/%m/%Y")) for o in occurrences if not o.conflicts]


@agent_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    agent = _agent(request)
    found = selectors.season_application_get_for_agent(agent=agent, application_id=application_id)
    occurrences = selectors.season_occurrences(application=found)
    approve_form = forms.SeasonApproveForm(
        days=_day_choices(occurrences),
        initial={"dates": [day for day, _label in _day_choices(occurrences)]},
    )
    propose_form = forms.SeasonProposeForm(
        units=list(selectors.season_units(authority=request.authority)),  # type: ignore[attr-defined]
        prefix="propose",
        initial={
            "unit": found.unit_id,
            "weekday": found.weekday,
            "starts": found.starts,
            "ends": found.ends,
        },
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve_form = forms.SeasonApproveForm(request.POST, days=_day_choices(occurrences))
                if approve_form.is_valid():
                    series = services.season_approve(
                        application=found,
                        dates=[
                            datetime.date.fromisoformat(day)
                            for day in approve_form.cleaned_data["dates"]
                        ],
                        agent=agent,
                    )
                    messages.success(
                        request,
                        _("%(count)s date(s) accordée(s).") % {"count": series.bookings.count()},
                    )
                    return redirect("backoffice:facilities_application", found.pk)
            elif action == "propose":
                propose_form = forms.SeasonProposeForm(
                    request.POST,
                    units=list(selectors.season_units(authority=request.authority)),  # type: ignore[attr-defined]
                    prefix="propose",
                )
                if propose_form.is_valid():
                    data = propose_form.cleaned_data
                    services.season_propose(
                        application=found,
                        unit=selectors.season_units(authority=request.authority).get(  # type: ignore[attr-defined]
                            pk=data["unit"]
                        ),
                        weekday=data["weekday"],
                        starts=data["starts"],
                        ends=data["ends"],
                        note=data["note"],
                    )
                    messages.success(request, _("Proposition envoyée à l'association."))
                    return redirect("backoffice:facilities_application", found.pk)
            elif action == "refuse":
                services.season_refuse(application=found, note=request.POST.get("note", ""))
                messages.success(request, _("Demande refusée."))
                return redirect("backoffice:facilities_application", found.pk)
        except DomainError as error:
            messages.error(request, error.message)
    series = selectors.series_of_application(application=found)
    return render(
        request,
        "backoffice/facilities/application.html",
        {
            "application": found,
            "occurrences": occurrences,
            "conflicts": [o for o in occurrences if o.conflicts],
            "approve_form": approve_form,
            "propose_form": propose_form,
            "deciding": found.round.status == SeasonRound.Status.ALLOCATION
            and found.status
            in (SeasonApplication.Status.SUBMITTED, SeasonApplication.Status.PROPOSED),
            "series": series,
            "series_bookings": series.bookings.filter(authority_id=found.authority_id)
            if series
            else [],
            "series_form": forms.SeriesMoveForm(
                prefix="series", initial={"starts": found.starts, "ends": found.ends}
            ),
        },
    )


@require_POST
@agent_required
def series_cancel(request: HttpRequest, series_id: int) -> HttpResponse:
    agent = _agent(request)
    series = selectors.series_get_for_agent(agent=agent, series_id=series_id)
    count = services.series_cancel(series=series, by=agent, note=request.POST.get("note", ""))
    messages.success(request, _("%(count)s date(s) annulée(s).") % {"count": count})
    return redirect("backoffice:facilities_application", series.application_id)


# --- Registry -------------------------------------------------------------------------------------


def _managed_services(agent: User) -> Any:
    return selectors.services_managed_by(agent=agent)


@agent_required
def registry_new(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    form = forms.FacilityForm(
        request.POST or None,
        request.FILES or None,
        services=_managed_services(agent),
        regies=selectors.regies_of_authority(authority_id=agent.authority_id),
    )
    if request.method == "POST" and form.is_valid():
        place = form.save(commit=False)
        place.authority_id = agent.authority_id
        if selectors.facility_slug_taken(
            authority_id=agent.authority_id, slug=place.slug, exclude_id=None
        ):
            form.add_error("slug", _("Cet identifiant est déjà pris."))
        else:
            services.registry_save(facility=place, rows=[], deleted=[])
            _photo(request, place, form)
            messages.success(request, _("Équipement créé : ajoutez ses espaces et horaires."))
            return redirect("backoffice:facilities_registry", place.pk)
    return render(
        request,
        "backoffice/facilities/registry.html",
        {"form": form, "formsets": {}, "facility": None},
    )


@agent_required
def registry(request: HttpRequest, facility_id: int) -> HttpResponse:
    agent = _agent(request)
    place = selectors.facility_get_for_agent(agent=agent, facility_id=facility_id)
    form = forms.FacilityForm(
        request.POST or None,
        request.FILES or None,
        instance=place,
        services=_managed_services(agent),
        regies=selectors.regies_of_authority(authority_id=agent.authority_id),
    )
    formsets = forms.registry_formsets(place, request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and all(formset.is_valid() for formset in formsets.values())
    ):
        rows, deleted = [], []
        for name in ("units", "hours", "rules", "prices", "equipment"):
            rows += formsets[name].save(commit=False)
            deleted += formsets[name].deleted_objects
        try:
            services.registry_save(facility=form.save(commit=False), rows=rows, deleted=deleted)
            _photo(request, place, form)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Registre enregistré."))
            return redirect("backoffice:facilities_registry", place.pk)
    return render(
        request,
        "backoffice/facilities/registry.html",
        {
            "form": form,
            "formsets": formsets,
            "facility": place,
            "formset_errors": _formset_errors(formsets) if request.method == "POST" else [],
        },
    )


def _photo(request: HttpRequest, place: Any, form: Any) -> None:
    upload = form.cleaned_data.get("photo_upload")
    if not upload:
        return
    try:
        services.facility_photo_set(
            facility=place, upload=upload, description=form.cleaned_data["photo_description"]
        )
    except DomainError as error:
        messages.error(request, error.message)


def _formset_errors(formsets: dict[str, Any]) -> list[str]:
    found = []
    for formset in formsets.values():
        found += [str(error) for error in formset.non_form_errors()]
        for sub in formset.forms:
            found += [str(error) for error in sub.non_field_errors()]
            for field in sub:
                found += [f"{field.label} : {error}" for error in field.errors]
    return found


@agent_required
def occupancy(request: HttpRequest, facility_id: int) -> HttpResponse:
    place = selectors.facility_get_for_agent(agent=_agent(request), facility_id=facility_id)
    this_year = local(timezone.now()).year
    year_text = request.GET.get("annee", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else this_year
    months = selectors.occupancy_by_month(facility=place, year=year)
    chart_height = 160
    bars = [
        {
            "month": month,
            "x": 40 + index * 45,
            "height": int(month.rate * chart_height / 100),
            "y": 10 + chart_height - int(month.rate * chart_height / 100),
        }
        for index, month in enumerate(months)
    ]
    return render(
        request,
        "backoffice/facilities/occupancy.html",
        {
            "facility": place,
            "year": year,
            "months": months,
            "bars": bars,
            "chart_height": chart_height,
            "baseline": 10 + chart_height,
            "previous": year - 1,
            "next": year + 1,
        },
    )


@require_POST
@agent_required
def booking_move(request: HttpRequest, booking_id: int) -> HttpResponse:
    found = selectors.booking_get_for_agent(agent=_agent(request), booking_id=booking_id)
    form = forms.MoveForm(request.POST, prefix="move")
    if not form.is_valid():
        messages.error(request, _("Indiquez une date et des heures valides."))
    else:
        data = form.cleaned_data
        try:
            services.booking_move(
                booking=found,
                starts_at=at(data["day"], data["starts"]),
                ends_at=at(data["day"], data["ends"]),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Réservation déplacée ; l'usager est prévenu."))
    return redirect("backoffice:facilities_booking", found.pk)


@require_POST
@agent_required
def series_move(request: HttpRequest, series_id: int) -> HttpResponse:
    series = selectors.series_get_for_agent(agent=_agent(request), series_id=series_id)
    form = forms.SeriesMoveForm(request.POST, prefix="series")
    if not form.is_valid():
        messages.error(request, _("Indiquez des heures valides."))
    else:
        try:
            count = services.series_move(
                series=series,
                starts=form.cleaned_data["starts"],
                ends=form.cleaned_data["ends"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(count)s date(s) modifiée(s).") % {"count": count})
    return redirect("backoffice:facilities_application", series.application_id)
