"""django-axes hooks: failures counted per authority and e-mail, a page that says when."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The same e-mail in two authorities is two accounts: count them apart."""
    username = ((credentials or {}).get("username") or request.POST.get("email", "")).lower()
    authority = getattr(request, "authority", None)
    return f"{authority.slug if authority else '-'}:{username}"


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "security/locked_out.html", {"minutes": minutes}, status=429)
