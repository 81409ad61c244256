"""Reads for street reports: access selectors raise 404 outside the authority."""

import datetime
import math
from decimal import Decimal

from django.db.models import Avg, Prefetch, Q, QuerySet
from django.http import Http404

from guichet.accounts.models import User
from guichet.public_space.models import Category, Report, ReportPhoto
from guichet.tenants.models import Authority

EARTH_RADIUS_M = 6_371_000


def categories_active(*, authority: Authority) -> QuerySet[Category]:
    return Category.objects.filter(authority=authority, is_active=True).select_related("service")


def category_get(*, authority: Authority, code: str) -> Category:
    try:
        return categories_active(authority=authority).get(code=code)
    except Category.DoesNotExist as error:
        raise Http404 from error


def distance_m(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def reports_nearby(
    *, category: Category, latitude: Decimal, longitude: Decimal, radius_m: int
) -> list[tuple[Report, int]]:
    """Open reports of the category within `radius_m`, nearest first, with their distance.

    A bounding box narrows the rows in SQL; the exact distance is computed here.
    """
    dlat = Decimal(radius_m / 111_320).quantize(Decimal("0.000001")) + Decimal("0.000001")
    scale = max(math.cos(math.radians(float(latitude))), 0.01)
    dlon = Decimal(radius_m / (111_320 * scale)).quantize(Decimal("0.000001")) + Decimal("0.000001")
    candidates = Report.objects.filter(
        authority_id=category.authority_id,
        category=category,
        status__in=Report.OPEN,
        latitude__range=(latitude - dlat, latitude + dlat),
        longitude__range=(longitude - dlon, longitude + dlon),
    )[:200]
    found = []
    for report in candidates:
        distance = distance_m(latitude, longitude, report.latitude, report.longitude)
        if distance <= radius_m:
            found.append((report, round(distance)))
    return sorted(found, key=lambda pair: pair[1])


def report_get_public(*, authority: Authority, number: str) -> Report:
    try:
        return Report.objects.select_related("category").get(authority=authority, number=number)
    except Report.DoesNotExist as error:
        raise Http404 from error


def reports_public(
    *, authority: Authority, status: str = "", category: str = ""
) -> QuerySet[Report]:
    """The public list and map: no merged duplicates, no personal data in templates."""
    reports = (
        Report.objects.filter(authority=authority)
        .exclude(status=Report.Status.MERGED)
        .select_related("category")
    )
    if status == "open":
        reports = reports.filter(status__in=Report.OPEN)
    elif status == "closed":
        reports = reports.exclude(status__in=Report.OPEN)
    if category:
        reports = reports.filter(category__code=category)
    return reports


def reports_for_agent(*, agent: User, status: str = "open", category: str = "") -> QuerySet[Report]:
    """The triage queue: reports routed to the agent's services (administrators: all)."""
    reports = Report.objects.filter(authority_id=agent.authority_id).select_related(
        "category", "service"
    )
    if not agent.is_authority_admin:
        reports = reports.filter(service__memberships__user=agent)
    if status == "open":
        reports = reports.filter(status__in=Report.OPEN)
    elif status == "closed":
        reports = reports.exclude(status__in=Report.OPEN)
    if category:
        reports = reports.filter(category__code=category)
    return reports.order_by("-created_at", "-id")


def report_get_for_agent(*, agent: User, report_id: int) -> Report:
    try:
        return reports_for_agent(agent=agent, status="all").get(pk=report_id)
    except Report.DoesNotExist as error:
        raise Http404 from error


def reports_window(
    *,
    authority: Authority,
    numbers: list[str] | None = None,
    service_codes: list[str] | None = None,
    statuses: list[str] | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    limit: int = 1000,
) -> list[Report]:
    """Open311 `GET requests`: by numbers (which override the rest) or by filters."""
    reports = (
        Report.objects.filter(authority=authority)
        .select_related("category", "service")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ReportPhoto.objects.filter(is_public=True),
                to_attr="public_photos",
            )
        )
    )
    if numbers:
        return list(reports.filter(number__in=numbers)[:limit])
    if service_codes:
        reports = reports.filter(category__code__in=service_codes)
    if statuses:
        condition = Q()
        if "open" in statuses:
            condition |= Q(status__in=Report.OPEN)
        if "closed" in statuses:
            condition |= ~Q(status__in=Report.OPEN)
        reports = reports.filter(condition)
    if start:
        reports = reports.filter(created_at__gte=start)
    if end:
        reports = reports.filter(created_at__lte=end)
    return list(reports.order_by("-created_at", "-id")[:limit])


def reports_centre(*, authority: Authority) -> tuple[Decimal, Decimal] | None:
    """Where the authority's recent reports are: the map opens there (None: no report yet)."""
    recent = Report.objects.filter(authority=authority, latitude__isnull=False).order_by(
        "-created_at"
    )[:200]
    centre = Report.objects.filter(pk__in=recent.values("pk")).aggregate(
        lat=Avg("latitude"), lng=Avg("longitude")
    )
    if centre["lat"] is None:
        return None
    q = Decimal("0.000001")
    return Decimal(centre["lat"]).quantize(q), Decimal(centre["lng"]).quantize(q)
