from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from guichet.core.http import next_url
from guichet.security import oidc
from guichet.security.sessions import SSO_MFA_KEY
from guichet.tenants.colours import is_readable


@require_GET
def theme(request: HttpRequest) -> HttpResponse:
    """The authority's colours as a stylesheet: the strict CSP allows no inline <style>.

    A stored colour that is not #RRGGBB, or not readable on the pages' light backgrounds
    (rows older than the model's validators), gives way to the default."""
    authority = getattr(request, "authority", None)
    if authority is None:
        raise Http404
    primary, accent = (
        colour if is_readable(colour) else default
        for colour, default in (
            (authority.primary_colour, "#000091"),
            (authority.accent_colour, "#c9191e"),
        )
    )
    css = f":root {{ --primary: {primary}; --accent: {accent}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- OpenID Connect: FranceConnect, agents' single sign-on ---------------------------------


def _oidc_provider(request: HttpRequest, provider: str) -> oidc.Provider:
    found = oidc.provider_get(authority=getattr(request, "authority", None), name=provider)
    if found is None:
        raise Http404
    return found


@require_GET
def oidc_start(request: HttpRequest, provider: str) -> HttpResponse:
    """Sends the person to the provider (FranceConnect…), state and nonce kept in session."""
    chosen = _oidc_provider(request, provider)
    redirect_uri = request.build_absolute_uri(
        reverse("frontoffice:security_oidc_callback", args=[chosen.name])
    )
    try:
        url = oidc.authorization_url(
            chosen, session=request.session, redirect_uri=redirect_uri, next_url=next_url(request)
        )
    except oidc.OidcError as error:
        messages.error(request, str(error))
        return redirect("frontoffice:login")
    return redirect(url)


@require_GET
def oidc_callback(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _oidc_provider(request, provider)
    authority = request.authority  # type: ignore[attr-defined]
    try:
        claims = oidc.callback(chosen, session=request.session, params=request.GET)
        user = oidc.oidc_user(authority=authority, provider=chosen, claims=claims)
    except oidc.OidcError as error:
        messages.error(request, str(error))
        return redirect("frontoffice:login")
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    oidc.remember_for_logout(session=request.session, provider=chosen, id_token=claims["id_token"])
    if chosen.audience == "agent" and chosen.second_factor:
        request.session[SSO_MFA_KEY] = True
    target = claims.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    default = reverse("backoffice:queue") if user.is_agent else reverse("frontoffice:my_cases")
    return redirect(target or default)
