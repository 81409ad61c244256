"""Health checks for load balancers and monitoring, answered before anything else.

They come first in the middleware chain: no host check, tenant, session or HTTPS
redirect stands between a probe and its answer, and no personal data is in it.
"""

import json
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

LIVE_PATH = "/healthz"
READY_PATH = "/readyz"


def _task_backlog() -> dict[str, int]:
    """Tasks waiting for a worker and the age of the oldest: alert when workers stall."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY")
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    return {"tasks_waiting": waiting.count(), "oldest_task_waiting_seconds": age}


def readiness() -> tuple[bool, dict[str, object]]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report: dict[str, object] = {"database": "ok", **_task_backlog()}
    except DatabaseError as error:
        return False, {"database": "unavailable", "error": error.__class__.__name__}
    return True, report


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == LIVE_PATH:
            return _json({"status": "ok"}, 200)
        if request.path == READY_PATH:
            ready, report = readiness()
            return _json(
                {"status": "ok" if ready else "unavailable", **report}, 200 if ready else 503
            )
        return self.get_response(request)


def _json(body: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response
