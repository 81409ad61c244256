"""Residents' street reports: choose a category, place it, see nearby duplicates, file or
follow; the public map and list."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.core.errors import DomainError
from guichet.core.pagination import CappedPaginator
from guichet.public_space import selectors, services
from guichet.public_space.forms import FollowForm, LocationForm, PublicFilterForm, ReportForm
from guichet.public_space.models import Report
from guichet.tenants.models import Authority


def _authority(request: HttpRequest) -> Authority:
    if request.authority is None:  # type: ignore[attr-defined]
        raise Http404
    return request.authority  # type: ignore[attr-defined]


def _map_settings() -> dict[str, str]:
    return {
        "map_tiles": settings.GUICHET_MAP_TILES_URL,
        "map_attribution": settings.GUICHET_MAP_ATTRIBUTION,
    }


def report_categories(request: HttpRequest) -> HttpResponse:
    categories = selectors.categories_active(authority=_authority(request))
    return render(request, "frontoffice/public_space/categories.html", {"categories": categories})


def report_new(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 is a GET form (where); once placed, the page shows the open reports nearby
    and the details form (POST), which carries the place in hidden fields."""
    authority = _authority(request)
    category = selectors.category_get(authority=authority, code=code)
    source = request.POST if request.method == "POST" else request.GET
    located = LocationForm(source) if any(k in source for k in ("address", "latitude")) else None
    place = located.cleaned_data if located is not None and located.is_valid() else None
    if place is not None and place.get("latitude") is None:
        located.add_error(
            "address",
            _(
                "Adresse introuvable : placez le point sur la carte ou tapez des coordonnées (latitude, longitude)."
            ),
        )  # type: ignore[union-attr]
        place = None
    nearby = []
    if place is not None:
        nearby = selectors.reports_nearby(
            category=category,
            latitude=place["latitude"],
            longitude=place["longitude"],
            radius_m=settings.GUICHET_DUPLICATE_RADIUS_M,
        )
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST" and place is not None:
        form = ReportForm(request.POST, request.FILES, category=category, auto_id="report_%s")
        if form.is_valid():
            try:
                report = services.report_file(
                    category=category,
                    description=form.cleaned_data["description"],
                    latitude=place["latitude"],
                    longitude=place["longitude"],
                    address=place["address"],
                    photos=form.cleaned_data["photos"],
                    answers=form.answers(),
                    reporter=user,  # type: ignore[arg-type]
                    contact_name=form.cleaned_data["contact_name"],
                    contact_email=form.cleaned_data["contact_email"],
                    contact_phone=form.cleaned_data["contact_phone"],
                    submission=str(form.cleaned_data["submission"] or ""),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Merci ! Votre signalement porte le numéro %(number)s.")
                    % {"number": report.number},
                )
                return redirect("frontoffice:public_space_report", number=report.number)
    elif place is not None:
        initial = {
            "submission": uuid.uuid4(),
            "address": place["address"],
            "latitude": place["latitude"],
            "longitude": place["longitude"],
            "contact_email": user.email if user else "",
            "contact_name": user.get_full_name() if user else "",
        }
        form = ReportForm(initial=initial, category=category, auto_id="report_%s")
    else:
        form = None
    if located is None:
        located = LocationForm()
    return render(
        request,
        "frontoffice/public_space/report_new.html",
        {
            "category": category,
            "location_form": located,
            "place": place,
            "nearby": nearby,
            "radius": settings.GUICHET_DUPLICATE_RADIUS_M,
            "form": form,
            "follow_form": FollowForm(initial={"email": user.email if user else ""}),
            "centre": selectors.reports_centre(authority=authority),
            **_map_settings(),
        },
    )


def report_detail(request: HttpRequest, number: str) -> HttpResponse:
    report = selectors.report_get_public(authority=_authority(request), number=number)
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "frontoffice/public_space/report_detail.html",
        {
            "report": report,
            "photos": report.photos.filter(is_public=True),
            "updates": report.updates.all(),
            "follow_form": FollowForm(initial={"email": user.email if user else ""}),
            **_map_settings(),
        },
    )


@require_POST
def report_follow(request: HttpRequest, number: str) -> HttpResponse:
    report = selectors.report_get_public(authority=_authority(request), number=number)
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            services.report_follow(
                report=report,
                email=form.cleaned_data["email"],
                user=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Vous suivez ce signalement : vous serez prévenu de sa résolution.")
            )
    else:
        messages.error(request, _("Indiquez un courriel valide pour suivre ce signalement."))
    return redirect("frontoffice:public_space_report", number=report.number)


def report_map(request: HttpRequest) -> HttpResponse:
    """Recent reports, open or closed, by category: no personal data, moderated photos only."""
    authority = _authority(request)
    categories = selectors.categories_active(authority=authority)
    form = PublicFilterForm(request.GET, categories=categories)
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.reports_public(
        authority=authority,
        status=filters.get("status", ""),
        category=filters.get("category", ""),
    )
    page = CappedPaginator(reports, 50, cap=10_000).get_page(request.GET.get("page"))
    return render(
        request,
        "frontoffice/public_space/map.html",
        {"form": form, "page": page, "open_statuses": Report.OPEN, **_map_settings()},
    )


def report_photo(request: HttpRequest, number: str, photo_id: int) -> FileResponse:
    """A photo an agent approved, or the "after" photo of the repair: nothing else."""
    report = selectors.report_get_public(authority=_authority(request), number=number)
    photo = report.photos.filter(pk=photo_id, is_public=True).first()
    if photo is None:
        raise Http404
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


def report_update_photo(request: HttpRequest, number: str, update_id: int) -> FileResponse:
    report = selectors.report_get_public(authority=_authority(request), number=number)
    update = report.updates.filter(pk=update_id).exclude(photo="").first()
    if update is None:
        raise Http404
    return FileResponse(update.photo.open("rb"), content_type="image/jpeg")
