"""Which organisation the person acts for: chosen explicitly, kept in the session, and
checked against the current representatives on every request."""

from typing import Any

from django.http import HttpRequest

from guichet.accounts import selectors as accounts_selectors
from guichet.accounts.models import Organisation

ACTING_AS = accounts_selectors.ACTING_AS_SESSION_KEY


def acting_among(request: HttpRequest, organisations: list[Organisation]) -> Organisation | None:
    """The organisation chosen with "Vous agissez pour"; the only one when there is one."""
    user: Any = request.user
    chosen = accounts_selectors.acting_as(
        user=user,
        authority=request.authority,  # type: ignore[attr-defined]
        organisation_id=request.session.get(ACTING_AS),
    )
    if chosen is None and len(organisations) == 1:
        return organisations[0]
    return chosen


def acting_organisation(request: HttpRequest) -> Organisation | None:
    user: Any = request.user
    organisations = accounts_selectors.organisations_of_user(
        user=user,
        authority=request.authority,  # type: ignore[attr-defined]
    )
    return acting_among(request, organisations)
