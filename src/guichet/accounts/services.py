from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.accounts.tokens import (
    email_verification_tokens,
    magic_link_tokens,
    uid_decode,
    uid_encode,
)
from guichet.core.errors import DomainError, ErrorCode
from guichet.notifications.services import email_queue
from guichet.tenants.models import Authority


def user_username(*, authority: Authority, email: str) -> str:
    return f"{authority.slug}:{email.lower()}"


@transaction.atomic
def resident_register(
    *,
    authority: Authority,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    verify_url: str,
) -> User:
    """Creates a resident's account and sends the e-mail verification link.

    `verify_url` holds `{uid}` and `{token}` placeholders (the interface owns URLs)."""
    email = email.strip().lower()
    if User.objects.filter(authority=authority, email__iexact=email).exists():
        raise DomainError(ErrorCode.ALREADY_DONE, _("Un compte existe déjà avec cette adresse."))
    user = User(
        authority=authority,
        username=user_username(authority=authority, email=email),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise DomainError(
            ErrorCode.ALREADY_DONE, _("Un compte existe déjà avec cette adresse.")
        ) from error
    email_queue(
        authority=authority,
        to=email,
        template="email_verification",
        context={
            "url": verify_url.format(
                uid=uid_encode(user), token=email_verification_tokens.make_token(user)
            )
        },
    )
    return user


def _user_from_uid(*, authority: Authority, uid: str) -> User | None:
    user_id = uid_decode(uid)
    if user_id is None:
        return None
    return User.objects.filter(authority=authority, pk=user_id, is_active=True).first()


def email_verify(*, authority: Authority, uid: str, token: str) -> User:
    user = _user_from_uid(authority=authority, uid=uid)
    if user is None or not email_verification_tokens.check_token(user, token):
        raise DomainError(ErrorCode.INVALID_TOKEN, _("Ce lien n'est pas valide ou a expiré."))
    user.is_email_verified = True
    user.save(update_fields=["is_email_verified"])
    return user


@transaction.atomic
def magic_link_send(*, authority: Authority, email: str, login_url: str) -> bool:
    """Sends a one-time login link if an account exists; says nothing either way."""
    user = User.objects.filter(
        authority=authority, email__iexact=email.strip(), is_active=True
    ).first()
    if user is None:
        return False
    email_queue(
        authority=authority,
        to=user.email,
        template="magic_link",
        context={
            "url": login_url.format(uid=uid_encode(user), token=magic_link_tokens.make_token(user))
        },
    )
    return True


def magic_link_user(*, authority: Authority, uid: str, token: str) -> User:
    """The user a magic link logs in; logging in (last_login) spends the link."""
    user = _user_from_uid(authority=authority, uid=uid)
    if user is None or not magic_link_tokens.check_token(user, token):
        raise DomainError(
            ErrorCode.INVALID_TOKEN, _("Ce lien de connexion n'est pas valide ou a déjà servi.")
        )
    if not user.is_email_verified:
        # Opening a link sent to the address proves it.
        user.is_email_verified = True
        user.save(update_fields=["is_email_verified"])
    return user
