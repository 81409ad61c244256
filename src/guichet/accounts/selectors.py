"""Reads on people and organisations; the organisation access selectors are the only way
interfaces fetch an organisation's data."""

from django.http import Http404

from guichet.accounts.models import Organisation, Representative, User
from guichet.tenants.models import Authority

# Where the front office keeps the organisation a person acts for (see `acting_as`).
ACTING_AS_SESSION_KEY = "guichet.acting_as"


def organisations_of_user(*, user: User, authority: Authority) -> list[Organisation]:
    """The organisations the person acts for today (a departed representative sees none)."""
    if not user.is_authenticated or user.authority_id != authority.pk:
        return []
    current = Representative.objects.active().filter(authority=authority, user=user)
    return list(
        Organisation.objects.filter(authority=authority, pk__in=current.values("organisation_id"))
    )


def organisation_get_for_representative(
    *, user: User, authority: Authority, organisation_id: int
) -> Organisation:
    """404 unless the person is an active representative of this authority's organisation."""
    if not user.is_authenticated or user.authority_id != authority.pk:
        raise Http404
    representative = (
        Representative.objects.active()
        .filter(authority=authority, organisation_id=organisation_id, user=user)
        .select_related("organisation")
        .first()
    )
    if representative is None:
        raise Http404
    return representative.organisation


def acting_as(
    *, user: User, authority: Authority, organisation_id: int | None
) -> Organisation | None:
    """The organisation the person chose to act for, if they still represent it: leaving
    the organisation ends acting for it at once, whatever the session remembers."""
    if organisation_id is None:
        return None
    try:
        return organisation_get_for_representative(
            user=user, authority=authority, organisation_id=organisation_id
        )
    except Http404:
        return None


def representatives_of(*, organisation: Organisation) -> list[Representative]:
    return list(
        Representative.objects.filter(
            authority_id=organisation.authority_id,
            organisation=organisation,
            left_at__isnull=True,
        ).select_related("user")
    )


def representative_get(*, organisation: Organisation, representative_id: int) -> Representative:
    representative = Representative.objects.filter(
        authority_id=organisation.authority_id,
        organisation=organisation,
        pk=representative_id,
        left_at__isnull=True,
    ).first()
    if representative is None:
        raise Http404
    return representative


def invitation_get(*, authority: Authority, token: str) -> Representative:
    invitation = (
        Representative.objects.filter(
            authority=authority, invitation_token=token, left_at__isnull=True
        )
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
