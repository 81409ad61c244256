from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from guichet.tenants.selectors import authority_for_host


class AuthorityMiddleware:
    """Resolves request.authority from the host; the platform's own hosts have none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host().rsplit(":", 1)[0].lower()
        request.authority = authority_for_host(host=host)  # type: ignore[attr-defined]
        request.is_platform_host = host in settings.PLATFORM_HOSTS  # type: ignore[attr-defined]
        if request.authority is None and not request.is_platform_host:  # type: ignore[attr-defined]
            raise Http404("Unknown host")
        return self.get_response(request)
