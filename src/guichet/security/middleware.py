"""Agents' sessions (idle expiry, second factor) and rate limits, for every route.

Both work from the route's name, so that pages added later are covered without a change
here: every `backoffice:` route needs a verified second factor, every anonymous POST is
rate limited.
"""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.security.sessions import AGENT_SESSION_KEY, LAST_SEEN_KEY, SSO_MFA_KEY

# Back-office routes an agent reaches before the second factor.
OTP_EXEMPT_ROUTES = {"backoffice:security_otp", "backoffice:security_otp_setup"}
# How often the idle clock is written to the session (not on every request).
LAST_SEEN_RESOLUTION = 60


class AgentSessionMiddleware:
    """An agent idle for GUICHET_AGENT_IDLE_SECONDS is logged out; the back office asks for
    the second factor first (GUICHET_AGENT_OTP_REQUIRED)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> Any:
        session = request.session
        if session.get(AGENT_SESSION_KEY):
            now = int(time.time())
            last_seen = session.get(LAST_SEEN_KEY, now)
            if now - last_seen > settings.GUICHET_AGENT_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("Votre session a expiré. Reconnectez-vous."))
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= LAST_SEEN_RESOLUTION or LAST_SEEN_KEY not in session:
                session[LAST_SEEN_KEY] = now
        if not settings.GUICHET_AGENT_OTP_REQUIRED:
            return None
        match = request.resolver_match
        route = match.view_name if match else ""
        user: Any = request.user
        # Whoever is an agent now (not only at login: a membership may come later).
        if (
            route.startswith("backoffice:")
            and route not in OTP_EXEMPT_ROUTES
            and user.is_authenticated
            and not session.get(SSO_MFA_KEY)
            and not user.is_verified()
            and user.authority_id == getattr(getattr(request, "authority", None), "pk", None)
            and user.is_agent
        ):
            return redirect(
                f"{reverse('backoffice:security_otp')}?next={quote(request.get_full_path())}"
            )
        return None


def _parse(rate: str) -> tuple[int, int]:
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def client_address(request: HttpRequest) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_hit(*, bucket: str, rate: str) -> bool:
    """Counts one hit in a fixed window; True once the limit is passed."""
    count, seconds = _parse(rate)
    window = int(time.time()) // seconds
    key = f"guichet:rate:{bucket}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        hits = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=seconds + 1)
        hits = 1
    return hits > count


class RateLimitMiddleware:
    """429 past the limit: named routes (GUICHET_RATE_LIMITS, every method) and every
    anonymous POST (GUICHET_RATE_LIMIT_POST), counted per client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> Any:
        if not settings.GUICHET_RATE_LIMITS_ON:
            return None
        match = request.resolver_match
        route = match.view_name if match else ""
        address = client_address(request)
        rate = settings.GUICHET_RATE_LIMITS.get(route)
        limited = False
        if rate and request.method in {"GET", "POST"}:
            limited = rate_limit_hit(bucket=f"{route}:{request.method}:{address}", rate=rate)
        if (
            not limited
            and request.method == "POST"
            and not request.user.is_authenticated
            and settings.GUICHET_RATE_LIMIT_POST
        ):
            limited = rate_limit_hit(
                bucket=f"post:{address}", rate=settings.GUICHET_RATE_LIMIT_POST
            )
        if limited:
            return too_many_requests(request)
        return None


def too_many_requests(request: HttpRequest, *, seconds: int = 60) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = HttpResponse(
            '{"detail": "Too many requests"}', status=429, content_type="application/json"
        )
    else:
        response = render(request, "security/too_many_requests.html", status=429)
    response["Retry-After"] = str(seconds)
    return response
