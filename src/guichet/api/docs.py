"""`/api/docs/`: the OpenAPI schema as a plain page (no script: readable without JavaScript
and within the Content-Security-Policy), for partners choosing what to call."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.api.schema import Generator

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    scope: str  # the key's scope a call needs; "" when no key is needed
    key_optional: bool
    parameters: list[dict[str, Any]]
    responses: list[tuple[str, str]]  # (status, description)


def _operation(method: str, path: str, spec: dict[str, Any]) -> Operation:
    security = spec.get("security") or []
    return Operation(
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        scope=spec.get("x-api-key-scope", ""),
        key_optional=not security or {} in security,
        parameters=spec.get("parameters", []),
        responses=[(code, body.get("description", "")) for code, body in spec["responses"].items()],
    )


def api_docs(request: HttpRequest) -> HttpResponse:
    schema = Generator().get_schema(request=None, public=True)
    by_tag: dict[str, list[Operation]] = {}
    for path, operations in schema["paths"].items():
        for method in METHODS:
            if method in operations:
                spec = operations[method]
                tag = (spec.get("tags") or [""])[0]
                by_tag.setdefault(tag, []).append(_operation(method, path, spec))
    return render(
        request,
        "api/docs.html",
        {"info": schema["info"], "by_tag": sorted(by_tag.items())},
    )
