"""OpenID Connect, the relying party: FranceConnect for residents, an authority's own
provider for its agents (single sign-on). Authorisation code flow with `state` (against
forged callbacks) and `nonce` (against replayed ID tokens), the `eidas1` level asked and
checked, user info mapped to the profile, logout at the provider too.

Providers come from settings (GUICHET_OIDC_PROVIDERS, per environment):

    {"franceconnect": {"label": "FranceConnect", "issuer": "https://…",
                        "client_id": "…", "client_secret": "…",
                        "audience": "resident", "acr_values": "eidas1"},
     "sso-ville": {"issuer": "…", "audience": "agent", "authorities": ["ville-demo"],
                   "second_factor": true, …}}
"""

import datetime
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import jwt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.accounts.services import user_username
from guichet.security.models import OidcIdentity
from guichet.tenants.models import Authority

SESSION_FLOW = "guichet_oidc_flow"
SESSION_LOGOUT = "guichet_oidc_logout"
EIDAS_LEVELS = ["eidas1", "eidas2", "eidas3"]
DEFAULT_SCOPES = "openid email given_name family_name birthdate"
ALGORITHMS = ["RS256", "ES256", "PS256", "HS256"]
DISCOVERY_SECONDS = 3600


class OidcError(Exception):
    """The login did not go through; the message is for the person."""


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str = ""
    audience: str = "resident"  # or "agent"
    acr_values: str = ""
    scopes: str = DEFAULT_SCOPES
    authorities: tuple[str, ...] = ()  # empty: every authority
    second_factor: bool = False  # agents: the provider asks for one itself
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_franceconnect(self) -> bool:
        return self.name == "franceconnect"


def _provider(name: str, raw: dict[str, Any]) -> Provider:
    known = set(Provider.__dataclass_fields__) - {"name", "extra", "authorities"}
    return Provider(
        name=name,
        authorities=tuple(raw.get("authorities", ())),
        extra={k: v for k, v in raw.items() if k not in known},
        **{k: v for k, v in raw.items() if k in known},
    )


def providers_for(*, authority: Authority | None, audience: str | None = None) -> list[Provider]:
    """The providers offered on this authority's login page, FranceConnect first."""
    if authority is None:
        return []
    found = [
        _provider(name, raw)
        for name, raw in settings.GUICHET_OIDC_PROVIDERS.items()
        if not raw.get("authorities") or authority.slug in raw["authorities"]
    ]
    if audience:
        found = [provider for provider in found if provider.audience == audience]
    return sorted(found, key=lambda provider: (not provider.is_franceconnect, provider.name))


def provider_get(*, authority: Authority | None, name: str) -> Provider | None:
    return next((p for p in providers_for(authority=authority) if p.name == name), None)


# --- HTTP ------------------------------------------------------------------------------------

_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks_clients: dict[str, jwt.PyJWKClient] = {}


def _http(url: str, *, data: dict[str, str] | None = None, token: str = "") -> tuple[str, bytes]:
    if not url.startswith(("https://", "http://")):
        raise OidcError(_("Le fournisseur d'identité est mal configuré."))
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 - the scheme is checked above
            request, timeout=settings.GUICHET_OIDC_TIMEOUT
        ) as response:
            return response.headers.get("Content-Type", ""), response.read()
    except (urllib.error.URLError, OSError) as error:
        raise OidcError(
            _("Le fournisseur d'identité ne répond pas. Réessayez dans quelques minutes.")
        ) from error


def _json(url: str, **kwargs: Any) -> dict[str, Any]:
    _type, body = _http(url, **kwargs)
    try:
        return json.loads(body)
    except ValueError as error:
        raise OidcError(_("Le fournisseur d'identité a répondu de façon inattendue.")) from error


def discovery(provider: Provider) -> dict[str, Any]:
    cached = _discovery_cache.get(provider.issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    document = _json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
    if document.get("issuer", "").rstrip("/") != provider.issuer.rstrip("/"):
        raise OidcError(_("Le fournisseur d'identité a répondu de façon inattendue."))
    _discovery_cache[provider.issuer] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


def _verify_jwt(provider: Provider, token: str, *, audience: str | None) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
        algorithm = header.get("alg", "")
        if algorithm not in ALGORITHMS:
            raise OidcError(_("La réponse du fournisseur d'identité n'est pas signée."))
        if algorithm == "HS256":
            key: Any = provider.client_secret
        else:
            jwks_uri = discovery(provider)["jwks_uri"]
            client = _jwks_clients.setdefault(jwks_uri, jwt.PyJWKClient(jwks_uri))
            key = client.get_signing_key_from_jwt(token).key
        options = {"require": ["exp", "iat", "sub"]} if audience else {"verify_aud": False}
        return jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=audience,
            issuer=discovery(provider)["issuer"],
            options=options,
            leeway=30,
        )
    except jwt.PyJWTError as error:
        raise OidcError(_("La réponse du fournisseur d'identité n'est pas valide.")) from error


# --- The flow --------------------------------------------------------------------------------


def authorization_url(
    provider: Provider, *, session: Any, redirect_uri: str, next_url: str = ""
) -> str:
    """Where to send the person; `state` and `nonce` wait in their session."""
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session[SESSION_FLOW] = {
        "provider": provider.name,
        "state": state,
        "nonce": nonce,
        "redirect_uri": redirect_uri,
        "next": next_url,
    }
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": state,
        "nonce": nonce,
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    return f"{discovery(provider)['authorization_endpoint']}?{urllib.parse.urlencode(params)}"


def _acr_ok(provider: Provider, acr: str) -> bool:
    if not provider.acr_values:
        return True
    wanted = provider.acr_values
    if wanted in EIDAS_LEVELS and acr in EIDAS_LEVELS:
        return EIDAS_LEVELS.index(acr) >= EIDAS_LEVELS.index(wanted)
    return acr == wanted


def callback(provider: Provider, *, session: Any, params: Any) -> dict[str, Any]:
    """Checks the provider's answer and returns the person's claims (ID token and user info),
    with the ID token itself under `id_token` (for the logout)."""
    flow = session.pop(SESSION_FLOW, None)
    if not flow or flow["provider"] != provider.name:
        raise OidcError(_("La connexion a expiré. Recommencez."))
    if not secrets.compare_digest(str(params.get("state", "")), flow["state"]):
        raise OidcError(_("La connexion a expiré. Recommencez."))
    if params.get("error"):
        raise OidcError(_("La connexion a été annulée ou refusée par le fournisseur d'identité."))
    code = params.get("code", "")
    if not code:
        raise OidcError(_("La connexion a expiré. Recommencez."))
    document = discovery(provider)
    tokens = _json(
        document["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": flow["redirect_uri"],
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        },
    )
    id_token, access_token = tokens.get("id_token", ""), tokens.get("access_token", "")
    if not id_token or not access_token:
        raise OidcError(_("La réponse du fournisseur d'identité n'est pas valide."))
    claims = _verify_jwt(provider, id_token, audience=provider.client_id)
    if not secrets.compare_digest(str(claims.get("nonce", "")), flow["nonce"]):
        raise OidcError(_("La réponse du fournisseur d'identité n'est pas valide."))
    if not _acr_ok(provider, str(claims.get("acr", ""))):
        raise OidcError(_("Le niveau de garantie de cette identité est insuffisant."))
    content_type, body = _http(document["userinfo_endpoint"], token=access_token)
    if content_type.startswith("application/jwt"):
        userinfo = _verify_jwt(provider, body.decode(), audience=None)
    else:
        try:
            userinfo = json.loads(body)
        except ValueError as error:
            raise OidcError(_("La réponse du fournisseur d'identité n'est pas valide.")) from error
    if userinfo.get("sub") != claims["sub"]:
        raise OidcError(_("La réponse du fournisseur d'identité n'est pas valide."))
    return {**claims, **userinfo, "id_token": id_token, "next": flow.get("next", "")}


def _profile(user: User, claims: dict[str, Any]) -> list[str]:
    """The identity's names and birth date are the provider's (FranceConnect's are the
    civil status): they replace what the person typed."""
    changed = []
    for attribute, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = str(claims.get(claim) or "").strip()[:150]
        if value and getattr(user, attribute) != value:
            setattr(user, attribute, value)
            changed.append(attribute)
    birthdate = str(claims.get("birthdate") or "")
    if len(birthdate) == 10:
        try:
            parsed = datetime.date.fromisoformat(birthdate)
        except ValueError:
            parsed = None
        if parsed and user.birth_date != parsed:
            user.birth_date = parsed
            changed.append("birth_date")
    return changed


@transaction.atomic
def oidc_user(*, authority: Authority, provider: Provider, claims: dict[str, Any]) -> User:
    """The account this identity logs into: the one linked before, else the one with the same
    verified e-mail, else (residents only) a new one. Agents must already have an account."""
    subject = str(claims["sub"])
    identity = (
        OidcIdentity.objects.select_related("user")
        .filter(authority=authority, provider=provider.name, subject=subject)
        .first()
    )
    email = str(claims.get("email") or "").strip().lower()
    if identity is not None:
        user = identity.user
    else:
        user = (
            User.objects.filter(authority=authority, email__iexact=email).first() if email else None
        )
        if provider.audience == "agent":
            if user is None or not user.is_agent:
                raise OidcError(_("Aucun compte agent ne correspond à cette identité."))
        elif user is not None and user.is_agent:
            raise OidcError(
                _("Cette adresse est celle d'un agent : connectez-vous avec l'accès des agents.")
            )
        if user is None:
            if not email:
                raise OidcError(
                    _("Le fournisseur d'identité n'a pas transmis d'adresse électronique.")
                )
            user = User(
                authority=authority,
                username=user_username(authority=authority, email=email),
                email=email,
                is_email_verified=True,
            )
            user.set_unusable_password()
            user.save()
        identity = OidcIdentity.objects.create(
            authority=authority, provider=provider.name, subject=subject, user=user
        )
    if not user.is_active:
        raise OidcError(_("Ce compte est fermé."))
    if provider.audience == "agent" and not user.is_agent:
        raise OidcError(_("Aucun compte agent ne correspond à cette identité."))
    changed = _profile(user, claims)
    if changed:
        user.save(update_fields=changed)
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return user


def remember_for_logout(*, session: Any, provider: Provider, id_token: str) -> None:
    session[SESSION_LOGOUT] = {"provider": provider.name, "id_token": id_token}


def logout_url(*, authority: Authority | None, session: Any, post_logout_redirect_uri: str) -> str:
    """Where to send the person after logging out here, to log out at the provider too
    (empty when they did not come through one, or it has no end-session endpoint)."""
    remembered = session.get(SESSION_LOGOUT)
    if not remembered:
        return ""
    provider = provider_get(authority=authority, name=remembered["provider"])
    if provider is None:
        return ""
    try:
        endpoint = discovery(provider).get("end_session_endpoint", "")
    except OidcError:
        return ""
    if not endpoint:
        return ""
    params = {
        "id_token_hint": remembered["id_token"],
        "state": secrets.token_urlsafe(16),
        "post_logout_redirect_uri": post_logout_redirect_uri,
    }
    return f"{endpoint}?{urllib.parse.urlencode(params)}"
