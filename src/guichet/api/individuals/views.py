"""Relay intake: civil-status requests sent by a national portal (channel: partner API)."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guichet.api.authentication import ApiKeyAuthentication
from guichet.api.individuals.serializers import (
    CaseReceiptSerializer,
    CivilStatusRelaySerializer,
    DomainRefusalSerializer,
    RelayErrorsSerializer,
)
from guichet.api.schema import TOO_MANY_REQUESTS, DetailSerializer
from guichet.core.errors import DomainError
from guichet.engine.models import Case, Channel
from guichet.individuals import services

IDEMPOTENCY_HEADER = "Idempotency-Key"


class HasApiKey(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return request.auth is not None


def _case_body(case: Case) -> dict[str, str]:
    return {"number": case.number, "tracking_code": case.tracking_code, "status": case.status}


class CivilStatusRelayView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    # Nested objects: JSON only (a form cannot carry them).
    parser_classes = [JSONParser]
    api_key_scope = "relay"

    def get_authenticate_header(self, request: Request) -> str | None:
        # A missing or wrong key is a refusal (403), not an invitation to log in.
        return None

    @extend_schema(
        tags=["Civil status"],
        summary="Relay a civil-status request (a national portal)",
        description="Needs a key of the authority with the `relay` scope. The same "
        "Idempotency-Key again answers the first case (200) instead of making another.",
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="The portal's id for this request, 80 characters at most.",
            )
        ],
        request=CivilStatusRelaySerializer,
        responses={
            201: OpenApiResponse(CaseReceiptSerializer, "The case was made."),
            200: OpenApiResponse(CaseReceiptSerializer, "Already relayed with this key."),
            400: OpenApiResponse(
                RelayErrorsSerializer, "A field or the Idempotency-Key header is wrong."
            ),
            403: OpenApiResponse(
                DetailSerializer,
                "No key, or a key invalid, revoked, of another authority or without `relay`.",
            ),
            415: OpenApiResponse(DetailSerializer, "The body is not JSON."),
            422: OpenApiResponse(
                DomainRefusalSerializer, "Well formed, but the rules refuse it (`code` says why)."
            ),
            **TOO_MANY_REQUESTS,
        },
        extensions={"x-api-key-scope": "relay"},
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key or len(key) > 80:
            return Response(
                {
                    "errors": {
                        IDEMPOTENCY_HEADER: [_("En-tête obligatoire, 80 caractères au plus.")]
                    }
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            body = request.data
        except ParseError as error:
            # In the same shape as the other 400s: the client reads `errors`.
            return Response(
                {"errors": {"body": [str(error.detail)]}}, status=status.HTTP_400_BAD_REQUEST
            )
        serializer = CivilStatusRelaySerializer(data=body)
        if not serializer.is_valid():
            return Response({"errors": serializer.errors}, status=status.HTTP_400_BAD_REQUEST)
        try:
            case, created = services.civil_status_request_file(
                authority=request.authority,  # type: ignore[attr-defined]
                given=serializer.given(),
                applicant=None,
                channel=Channel.PARTNER,
                partner=request.auth.name,
                idempotency_key=f"{request.auth.pk}:{key}",
            )
        except DomainError as exc:
            return Response(
                {"code": str(exc.code), "detail": exc.message},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(
            _case_body(case), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
