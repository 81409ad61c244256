"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), per authority.

The authority comes from the host; on the platform's own hosts `jurisdiction_id` (the
authority's slug) is required. Reads are public; `POST requests` needs an API key of the
authority with the `open311` scope, as `api_key` (form field) or in the headers.
"""

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guichet.api.authentication import ApiKeyAuthentication
from guichet.api.public_space import serializers as bodies
from guichet.api.public_space.renderers import Open311JSONRenderer, Open311XMLRenderer
from guichet.api.schema import TOO_MANY_REQUESTS
from guichet.core.errors import DomainError
from guichet.public_space import selectors, services
from guichet.public_space.geocoding import geocoder
from guichet.public_space.models import Category, Report, ReportUpdate
from guichet.security.api_keys import api_key_authenticate
from guichet.tenants.models import Authority

WINDOW = datetime.timedelta(days=90)
MAX_RESULTS = 1000
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00Z"
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


class Open311Error(exceptions.APIException):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status_code = status
        self.description = description


def w3c(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _parse_date(raw: str, name: str) -> datetime.datetime | None:
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:  # well formed, but no such day or hour (2010-02-30)
        moment = None
    # The first and last years leave no room for the 90-day window.
    if moment is None or not datetime.MINYEAR < moment.year < datetime.MAXYEAR:
        raise Open311Error(400, f"{name} is not a W3C datetime (e.g. 2010-01-01T00:00:00Z)")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # In UTC: PostgreSQL refuses offsets Python accepts (up to ±23:59, e.g. -19:32).
    return moment.astimezone(datetime.UTC)


def _list(raw: str) -> list[str]:
    return [item.strip() for item in (raw or "").split(",") if item.strip()]


# --- The OpenAPI description (guichet.api.schema) ------------------------------------------
TAGS = ["Open311 GeoReport v2"]
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    OpenApiParameter.PATH,
    enum=["json", "xml"],
    description="`json` or `xml`: the body's format, errors included.",
)
JURISDICTION_PARAMETER = OpenApiParameter(
    "jurisdiction_id",
    str,
    OpenApiParameter.QUERY,
    description="The authority's slug: required on the platform's own hosts, and if given on "
    "an authority's host, must be that authority's.",
)
# DRF's `?format=` override is ignored here: the path's suffix decides.
NO_FORMAT_QUERY = OpenApiParameter("format", str, OpenApiParameter.QUERY, exclude=True)
SLUG_PATTERN = r"^[-\w]+$"


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, str, OpenApiParameter.PATH, pattern=SLUG_PATTERN, description=description
    )


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    reasons = {
        400: "A parameter is missing or malformed, or no jurisdiction_id on a platform host.",
        403: "A key was sent but is invalid, revoked, of another authority or without the "
        "`open311` scope (filing a request: no key either).",
        404: "Unknown jurisdiction_id, or nothing with that identifier in this authority.",
        415: "The body's media type is not one of those listed.",
    }
    return {
        status: OpenApiResponse(bodies.Open311ErrorSerializer(many=True), reasons[status])
        for status in statuses
    }


def open311_read(
    response: Any,
    *,
    operation_id: str,
    summary: str,
    parameters: list[OpenApiParameter] | None = None,
) -> Any:
    """Reading is public (a key is optional, checked when sent)."""
    return extend_schema(
        operation_id=operation_id,
        tags=TAGS,
        summary=summary,
        parameters=[FORMAT_PARAMETER, NO_FORMAT_QUERY, JURISDICTION_PARAMETER, *(parameters or [])],
        responses={200: response, **_errors(400, 403, 404)},
    )


class Open311View(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes: list = []
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    api_key_scope = "open311"
    api_key_optional_methods = ("GET",)
    xml_root = "response"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # The format first (errors answer in it), then the authority before authentication:
        # keys belong to one authority.
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(
            request
        )
        request._request.authority = self._authority(request)  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)

    def _authority(self, request: Request) -> Authority:
        jurisdiction = (
            request.query_params.get("jurisdiction_id")
            or (request.POST.get("jurisdiction_id") if request.method == "POST" else "")
            or ""
        ).strip()
        host_authority = getattr(request._request, "authority", None)
        if host_authority is not None:
            if jurisdiction and jurisdiction != host_authority.slug:
                raise Open311Error(404, "jurisdiction_id not found")
            return host_authority
        if not jurisdiction:
            raise Open311Error(400, "jurisdiction_id not provided")
        found = Authority.objects.filter(slug=jurisdiction).first()
        if found is None:
            raise Open311Error(404, "jurisdiction_id not found")
        return found

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Open311Error):
            status, description = exc.status_code, exc.description
        elif isinstance(exc, Http404):
            status, description = 404, "not found"
        elif isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
            status, description = 403, "api_key was not provided or is invalid"
        elif isinstance(exc, exceptions.APIException):
            status, description = exc.status_code, str(exc.detail)
        else:
            raise exc
        if getattr(self.request, "accepted_renderer", None) is None:
            self.request.accepted_renderer = Open311JSONRenderer()
            self.request.accepted_media_type = "application/json"
        return Response([{"code": status, "description": description}], status=status)

    @property
    def authority(self) -> Authority:
        return self.request.authority  # type: ignore[attr-defined]

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


class ServiceList(Open311View):
    xml_root = "services"

    @open311_read(
        bodies.ServiceSerializer(many=True),
        operation_id="open311_services_list",
        summary="The authority's services",
    )
    def get(self, request: Request, format: str) -> Response:
        return Response(
            [_service(c) for c in selectors.categories_active(authority=self.authority)]
        )


class ServiceDefinition(Open311View):
    xml_root = "service_definition"

    @open311_read(
        bodies.ServiceDefinitionSerializer,
        operation_id="open311_service_definition",
        summary="A service's extra questions",
        parameters=[_path("service_code", "The service's code.")],
    )
    def get(self, request: Request, service_code: str, format: str) -> Response:
        category = Category.objects.filter(
            authority=self.authority, code=service_code, is_active=True
        ).first()
        if category is None:
            raise Open311Error(404, "service_code not found")
        attributes = []
        for order, question in enumerate(category.questions, start=1):
            datatype = question.get("type", "string")
            attributes.append(
                {
                    "variable": True,
                    "code": question["code"],
                    "datatype": datatype if datatype in DATATYPES else "string",
                    "required": bool(question.get("required")),
                    "datatype_description": question.get("help", ""),
                    "order": order,
                    "description": question["label"],
                    "values": [
                        {"key": v["key"], "name": v["name"]} for v in question.get("values", [])
                    ],
                }
            )
        return Response({"service_code": category.code, "attributes": attributes})


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return None


def _form(data: Any) -> QueryDict:
    """The body as form fields, whichever way it came: the specification sends a form; a JSON
    object is read the same way (numbers as text, lists for `attribute[code][]`)."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, dict):
        raise Open311Error(400, "the body must be a form or a JSON object")
    form = QueryDict(mutable=True)
    for key, value in data.items():
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        texts = [_as_text(item) for item in values]
        if any(text is None for text in texts):
            raise Open311Error(400, f"{key} must be text")
        form.setlist(key, texts)
    return form


def _attributes(data: Any) -> dict[str, Any]:
    """`attribute[code]=v` and, for lists, repeated `attribute[code][]=v`."""
    found: dict[str, Any] = {}
    keys = data.keys() if hasattr(data, "keys") else []
    for key in keys:
        if not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute[") : key.index("]")]
        if key.endswith("[]"):
            values = data.getlist(key) if hasattr(data, "getlist") else data[key]
            found[code] = list(values if isinstance(values, list) else [values])
        else:
            found[code] = data.get(key)
    return found


class RequestList(Open311View):
    xml_root = "service_requests"

    @open311_read(
        bodies.ServiceRequestSerializer(many=True),
        operation_id="open311_requests_list",
        summary="Service requests, by numbers or by filters",
        parameters=[
            OpenApiParameter(
                "service_request_id",
                str,
                description="Comma-separated numbers; when given, the other filters are ignored.",
            ),
            OpenApiParameter("service_code", str, description="Comma-separated service codes."),
            OpenApiParameter("status", str, description="`open`, `closed` or `open,closed`."),
            OpenApiParameter(
                "start_date",
                OpenApiTypes.DATETIME,
                description="W3C datetime; with end_date, at most 90 days apart (default: the "
                "last 90 days).",
            ),
            OpenApiParameter("end_date", OpenApiTypes.DATETIME, description="W3C datetime."),
        ],
    )
    def get(self, request: Request, format: str) -> Response:
        params = request.query_params
        numbers = _list(params.get("service_request_id", ""))
        start = _parse_date(params.get("start_date", ""), "start_date")
        end = _parse_date(params.get("end_date", ""), "end_date")
        if not numbers:
            if start is None and end is None:
                end = timezone.now()
            if start is None:
                start = end - WINDOW  # type: ignore[operator]
            if end is None:
                end = start + WINDOW
            if end - start > WINDOW:
                raise Open311Error(400, "start_date and end_date may not span more than 90 days")
        statuses = _list(params.get("status", ""))
        if any(s not in ("open", "closed") for s in statuses):
            raise Open311Error(400, "status must be open or closed")
        reports = selectors.reports_window(
            authority=self.authority,
            numbers=numbers,
            service_codes=_list(params.get("service_code", "")),
            statuses=statuses,
            start=start,
            end=end,
            limit=MAX_RESULTS,
        )
        return Response([self._request(report) for report in reports])

    def _request(self, report: Report) -> dict[str, Any]:
        return request_body(self, report)

    @extend_schema(
        operation_id="open311_request_create",
        tags=TAGS,
        summary="File a service request",
        description="Needs a key of the authority with the `open311` scope, in a header or as "
        "`api_key`.",
        parameters=[FORMAT_PARAMETER, NO_FORMAT_QUERY],
        request={
            "application/x-www-form-urlencoded": bodies.ServiceRequestInputSerializer,
            "multipart/form-data": bodies.ServiceRequestInputSerializer,
            "application/json": bodies.ServiceRequestInputSerializer,
        },
        responses={
            200: bodies.ServiceRequestCreatedSerializer(many=True),
            **_errors(400, 403, 404, 415),
            **TOO_MANY_REQUESTS,
        },
        extensions={"x-api-key-scope": "open311"},
    )
    def post(self, request: Request, format: str) -> Response:
        data = _form(request.data)
        if request.auth is None:
            key = api_key_authenticate(
                authority=self.authority, raw=data.get("api_key", ""), scope="open311"
            )
            if key is None:
                raise Open311Error(403, "api_key was not provided or is invalid")
        code = (data.get("service_code") or "").strip()
        if not code:
            raise Open311Error(400, "service_code not provided")
        category = Category.objects.filter(
            authority=self.authority, code=code, is_active=True
        ).first()
        if category is None:
            raise Open311Error(400, "service_code not found")
        latitude, longitude = self._location(data)
        address = (data.get("address_string") or "").strip()
        if latitude is None and address:
            place = geocoder().geocode(address)
            if place is not None:
                latitude, longitude = place.latitude, place.longitude
        if latitude is None and not address:
            raise Open311Error(400, "a location is required: lat and long, or address_string")
        if latitude is not None and not address:
            address = geocoder().reverse(latitude, longitude)  # type: ignore[arg-type]
        name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
        try:
            report = services.report_file(
                category=category,
                description=data.get("description", "") or category.name,
                latitude=latitude,
                longitude=longitude,
                address=address,
                answers=_attributes(data),
                contact_name=name.strip(),
                contact_email=(data.get("email") or "").strip(),
                contact_phone=(data.get("phone") or "").strip(),
                media_url=(data.get("media_url") or "").strip()[:200],
                channel=Report.Channel.API,
            )
        except DomainError as error:
            raise Open311Error(400, error.message) from error
        return Response(
            [
                {
                    "service_request_id": report.number,
                    "token": str(report.token),
                    "service_notice": "",
                    "account_id": None,
                }
            ]
        )

    @staticmethod
    def _location(data: Any) -> tuple[Decimal | None, Decimal | None]:
        raw_lat, raw_long = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
        if not raw_lat and not raw_long:
            return None, None
        try:
            latitude, longitude = Decimal(raw_lat), Decimal(raw_long)
        except InvalidOperation as error:
            raise Open311Error(400, "lat and long must be decimal degrees (WGS84)") from error
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise Open311Error(400, "lat and long must be decimal degrees (WGS84)")
        q = Decimal("0.000001")
        return latitude.quantize(q), longitude.quantize(q)


def _media_url(view: Open311View, report: Report) -> str:
    published = getattr(report, "public_photos", None)  # prefetched for lists
    if published is None:
        published = list(report.photos.filter(is_public=True)[:1])
    photo = published[0] if published else None
    if photo is not None:
        return view.absolute(
            reverse("frontoffice:public_space_photo", args=[report.number, photo.pk])
        )
    return report.media_url


def request_body(view: Open311View, report: Report) -> dict[str, Any]:
    return {
        "service_request_id": report.number,
        "status": report.open311_status,
        "status_notes": report.status_notes or report.get_status_display(),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.competent_body or report.service.name,
        "service_notice": "",
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": None,
        "address": report.address,
        "address_id": None,
        "zipcode": None,
        "lat": str(report.latitude) if report.latitude is not None else None,
        "long": str(report.longitude) if report.longitude is not None else None,
        "media_url": _media_url(view, report),
    }


class RequestDetail(Open311View):
    xml_root = "service_requests"

    @open311_read(
        bodies.ServiceRequestSerializer(many=True),
        operation_id="open311_request",
        summary="One service request",
        parameters=[_path("service_request_id", "The request's number.")],
    )
    def get(self, request: Request, service_request_id: str, format: str) -> Response:
        found = selectors.reports_window(authority=self.authority, numbers=[service_request_id])
        report = found[0] if found else None
        if report is None:
            raise Open311Error(404, "service_request_id not found")
        return Response([request_body(self, report)])


class TokenDetail(Open311View):
    xml_root = "service_requests"

    @open311_read(
        bodies.TokenSerializer(many=True),
        operation_id="open311_token",
        summary="The number of a request filed with this token",
        parameters=[_path("token", "The token returned when the request was filed (a UUID).")],
    )
    def get(self, request: Request, token: str, format: str) -> Response:
        try:
            parsed = uuid.UUID(token)
        except ValueError:
            raise Open311Error(404, "token not found") from None
        report = Report.objects.filter(authority=self.authority, token=parsed).first()
        if report is None:
            raise Open311Error(404, "token not found")
        return Response([{"service_request_id": report.number, "token": str(report.token)}])


class UpdateList(Open311View):
    """The updates extension (as FixMyStreet reads it): what the agents did, in order."""

    xml_root = "service_request_updates"

    @open311_read(
        bodies.ServiceRequestUpdateSerializer(many=True),
        operation_id="open311_updates_list",
        summary="What the agents did, in order (updates extension)",
        parameters=[
            OpenApiParameter(
                "start_date",
                OpenApiTypes.DATETIME,
                description="W3C datetime (default: 90 days before end_date).",
            ),
            OpenApiParameter(
                "end_date", OpenApiTypes.DATETIME, description="W3C datetime (default: now)."
            ),
        ],
    )
    def get(self, request: Request, format: str) -> Response:
        params = request.query_params
        start = _parse_date(params.get("start_date", ""), "start_date")
        end = _parse_date(params.get("end_date", ""), "end_date") or timezone.now()
        start = start or end - WINDOW
        updates = (
            ReportUpdate.objects.filter(
                report__authority=self.authority, created_at__gte=start, created_at__lte=end
            )
            .select_related("report")
            .order_by("created_at", "id")[:MAX_RESULTS]
        )
        return Response([self._update(u) for u in updates])

    def _update(self, update: ReportUpdate) -> dict[str, Any]:
        media = ""
        if update.photo:
            media = self.absolute(
                reverse(
                    "frontoffice:public_space_update_photo", args=[update.report.number, update.pk]
                )
            )
        return {
            "update_id": str(update.pk),
            "service_request_id": update.report.number,
            "status": "open" if update.status in Report.OPEN else "closed",
            "updated_datetime": w3c(update.created_at),
            "description": update.description,
            "media_url": media,
        }


class Discovery(Open311View):
    xml_root = "discovery"

    @open311_read(
        bodies.DiscoverySerializer,
        operation_id="open311_discovery",
        summary="Where and how to call this API",
    )
    def get(self, request: Request, format: str) -> Response:
        base = self.absolute(request.path).rsplit("/", 1)[0] + "/"
        return Response(
            {
                "changeset": CHANGESET,
                "contact": self.authority.contact_email,
                "key_service": self.authority.contact_email,
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": base,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )
