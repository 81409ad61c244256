"""The OpenAPI 3 schema of the API (drf-spectacular): what it covers, how keys are described.

Served at `/api/schema/` (YAML; `?format=json` for JSON) and readable at `/api/docs/`.
tests/api/test_schema.py validates it and tests/api/test_schemathesis.py calls every
operation with generated data against it.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

BEARER = "bearerKey"
HEADER = "apiKeyHeader"


class DetailSerializer(serializers.Serializer):
    """DRF's own refusals (no key, wrong media type) and the rate limiter's answer."""

    detail = serializers.CharField()


# The rate limiter answers before any view, in JSON on every `/api/` path
# (guichet.security.middleware.too_many_requests).
TOO_MANY_REQUESTS = {
    (429, "application/json"): OpenApiResponse(
        DetailSerializer,
        "Too many anonymous POSTs from this address (a partner's key does not make a user); "
        "the Retry-After header says when to come back.",
    )
}


def api_endpoints_only(endpoints: list[tuple[str, str, str, Any]]) -> list:
    """Open311 is also mounted at `/open311/v2/` (where clients look for it): the same views,
    described once, under `/api/`."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


class FormatSuffixEnumerator(EndpointEnumerator):
    """DRF leaves out every `….{format}` path, taking it for a copy of a path without the
    suffix; Open311's paths exist only with it (`services.json`, `services.xml`)."""

    def should_include_endpoint(self, path: str, callback: Any, *args: Any, **kwargs: Any) -> bool:
        return super().should_include_endpoint(
            path.removesuffix(".{format}"), callback, *args, **kwargs
        )


class Generator(SchemaGenerator):
    endpoint_inspector_cls = FormatSuffixEnumerator


class ApiKeySchemeExtension(OpenApiAuthenticationExtension):
    """`guichet.api.authentication.ApiKeyAuthentication`: one key, sent either way.

    A key grants scopes (`ApiKey.Scope`); OpenAPI 3.0 has no scopes for these schemes, so
    each operation names the one it needs in its description and in `x-api-key-scope`.
    """

    target_class = "guichet.api.authentication.ApiKeyAuthentication"
    name = [BEARER, HEADER]

    def get_security_definition(self, auto_schema: AutoSchema) -> list[dict[str, Any]]:
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "description": "`Authorization: Bearer <key>`: a key of the host's authority.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-Api-Key",
                "description": "The same key, in its own header.",
            },
        ]

    def get_security_requirement(self, auto_schema: AutoSchema) -> list[dict[str, list]]:
        either = [{BEARER: []}, {HEADER: []}]
        optional = getattr(auto_schema.view, "api_key_optional_methods", ())
        if auto_schema.method in optional:
            either.append({})
        return either
