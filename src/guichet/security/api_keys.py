"""API keys: created for a partner, checked on each call, revoked at once.

A key reads `<prefix>.<secret>` (or `<prefix>-<secret>`); the prefix finds the row, the secret's SHA-256 is
compared in constant time. SHA-256 (not a slow password hash) is enough because the
secret is 32 random bytes, not something a person chose.
"""

import hashlib
import hmac
import secrets

from django.utils import timezone

from guichet.security.models import ApiKey
from guichet.tenants.models import Authority


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_create(*, authority: Authority, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """Returns the key and its clear text, which is never stored nor shown again."""
    unknown = set(scopes) - set(ApiKey.Scope.values)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        authority=authority,
        name=name,
        scopes=sorted(scopes),
        prefix=prefix,
        key_hash=_digest(secret),
    )
    return key, f"{prefix}.{secret}"


def api_key_revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def api_key_authenticate(*, authority: Authority, raw: str, scope: str) -> ApiKey | None:
    """The live key of this authority matching `raw` and granting `scope`, or None."""
    raw = (raw or "").strip()
    # `<prefix>.<secret>`; a key without a dot reads `<prefix>-<secret>` (the demo's
    # published `demo-open311-key`).
    prefix, _, secret = raw.partition(".") if "." in raw else raw.rpartition("-")
    if not prefix or not secret:
        return None
    key = ApiKey.objects.filter(authority=authority, prefix=prefix, revoked_at=None).first()
    if key is None or not hmac.compare_digest(key.key_hash, _digest(secret)):
        return None
    if scope not in key.scopes:
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
