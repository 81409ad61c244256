"""A path under `/api/` (or Open311's) that matches no route answers in JSON, as the API's
own refusals do, not with the site's HTML page: clients parse what they get."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

OPEN311_PREFIXES = ("/api/open311/", "/open311/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    path = request.path
    if path.startswith(OPEN311_PREFIXES):
        return JsonResponse([{"code": 404, "description": "not found"}], status=404, safe=False)
    if path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
