import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation, Representative, User
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


# --- Organisations and their representatives ---------------------------------------------------


@transaction.atomic
def organisation_register(
    *,
    authority: Authority,
    by: User,
    name: str,
    siret: str,
    rna: str,
    address: str,
    purpose: str,
    role: str,
) -> Organisation:
    """Creates an organisation; the person who registers it is its first representative.

    `siret` and `rna` come normalised (see `accounts.identifiers`)."""
    existing = Organisation.objects.filter(authority=authority, siret=siret).first()
    if existing is not None and existing.representatives.active().filter(user=by).exists():
        return existing  # the same form sent twice
    if existing is not None:
        raise DomainError(
            ErrorCode.ALREADY_DONE,
            _(
                "Cette organisation est déjà inscrite. Demandez à l'un de ses représentants "
                "de vous inviter."
            ),
        )
    organisation = Organisation.objects.create(
        authority=authority,
        name=name.strip(),
        siret=siret,
        rna=rna,
        address=address.strip(),
        purpose=purpose.strip(),
    )
    Representative.objects.create(
        authority=authority,
        organisation=organisation,
        user=by,
        email=by.email,
        role=role,
        invitation_token=secrets.token_urlsafe(32),
        invited_by=by,
        joined_at=timezone.now(),
    )
    return organisation


@transaction.atomic
def representative_invite(
    *, organisation: Organisation, by: User, email: str, role: str, accept_url: str
) -> Representative:
    """An active representative invites someone by e-mail; `accept_url` holds `{token}`."""
    representative_require(organisation=organisation, user=by)
    email = email.strip().lower()
    current = Representative.objects.filter(
        organisation=organisation, email__iexact=email, left_at__isnull=True
    ).first()
    if current is not None:
        # Inviting twice (or a double click) sends one invitation.
        return current
    invitation = Representative.objects.create(
        authority_id=organisation.authority_id,
        organisation=organisation,
        email=email,
        role=role,
        invitation_token=secrets.token_urlsafe(32),
        invited_by=by,
    )
    email_queue(
        authority=organisation.authority,
        to=email,
        template="organisation_invitation",
        context={
            "organisation": organisation,
            "invited_by": by,
            "role": invitation.get_role_display(),
            "url": accept_url.format(token=invitation.invitation_token),
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, authority: Authority, token: str, user: User) -> Representative:
    invitation = (
        Representative.objects.select_for_update()
        .filter(authority=authority, invitation_token=token, left_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise DomainError(ErrorCode.INVALID_TOKEN, _("Cette invitation n'est plus valable."))
    if invitation.user_id == user.pk:
        return invitation
    if invitation.user_id is not None or invitation.email.lower() != user.email.lower():
        raise DomainError(
            ErrorCode.NOT_ALLOWED,
            _(
                "Cette invitation a été envoyée à une autre adresse. Connectez-vous avec "
                "le compte de l'adresse invitée."
            ),
        )
    invitation.user = user
    invitation.joined_at = timezone.now()
    invitation.save(update_fields=["user", "joined_at"])
    return invitation


@transaction.atomic
def representative_leave(*, representative: Representative, by: User) -> Representative:
    """Ends a representation at once: the person no longer acts for the organisation.

    Anyone may leave; an active representative may also remove another one, but the last
    active representative cannot go (nobody would be left to act)."""
    if representative.left_at is not None:
        return representative
    if representative.user_id != by.pk:
        representative_require(organisation=representative.organisation, user=by)
    others = Representative.objects.active().filter(organisation=representative.organisation)
    if representative.is_active and not others.exclude(pk=representative.pk).exists():
        raise DomainError(
            ErrorCode.NOT_ALLOWED,
            _(
                "Vous êtes le dernier représentant de l'organisation : invitez quelqu'un "
                "d'autre avant de partir."
            ),
        )
    representative.left_at = timezone.now()
    representative.save(update_fields=["left_at"])
    return representative


def representative_require(*, organisation: Organisation, user: User) -> Representative:
    representative = (
        Representative.objects.active().filter(organisation=organisation, user=user).first()
    )
    if representative is None:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Vous ne représentez pas cette organisation."))
    return representative
