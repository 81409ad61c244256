"""Partners authenticate with an API key of the authority whose host they call."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from guichet.security.api_keys import api_key_authenticate


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` (or `X-Api-Key: <key>`), for the view's `api_key_scope`.

    On success `request.user` stays anonymous (a partner is not a person) and
    `request.auth` is the `ApiKey`.
    """

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        raw = request.headers.get("X-Api-Key", "")
        header = request.headers.get("Authorization", "")
        if header.startswith(f"{self.keyword} "):
            raw = header[len(self.keyword) + 1 :]
        if not raw:
            return None
        scope = getattr(request.parser_context.get("view"), "api_key_scope", None)
        key = api_key_authenticate(authority=request.authority, raw=raw, scope=scope or "")
        if key is None:
            raise exceptions.AuthenticationFailed(
                _("Clé d'API invalide, révoquée ou sans ce droit.")
            )
        return AnonymousUser(), key

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
