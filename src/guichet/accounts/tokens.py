"""One-time links: e-mail verification and magic-link login."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from guichet.accounts.models import User


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "guichet.accounts.email-verification"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        return f"{user.pk}{user.email}{user.is_email_verified}{timestamp}"


class MagicLinkTokenGenerator(PasswordResetTokenGenerator):
    """Valid once: logging in changes last_login, which is part of the hash."""

    key_salt = "guichet.accounts.magic-link"


email_verification_tokens = EmailVerificationTokenGenerator()
magic_link_tokens = MagicLinkTokenGenerator()


def uid_encode(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def uid_decode(uid: str) -> int | None:
    try:
        return int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        return None
