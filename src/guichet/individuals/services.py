"""Writes of the individuals' domain. Each is one transaction; engine cases carry the
workflow, the domain rows carry the structured data."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.core.errors import DomainError, ErrorCode
from guichet.engine import services as engine
from guichet.engine.models import Case, Channel
from guichet.individuals.models import CivilStatusRequest
from guichet.individuals.selectors import (
    CIVIL_STATUS_PROCEDURE,
    civil_status_access,
    civil_status_request_for,
    procedure_by_slug,
)
from guichet.tenants.models import Authority

# --- Civil status ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CivilStatusInput:
    act_type: str
    copy_kind: str
    relationship: str
    person_last_name: str
    person_first_names: str
    event_date: datetime.date
    event_place: str
    parents: str
    requester_first_name: str
    requester_last_name: str
    requester_email: str
    delivery_address: str
    copies: int = 1


def civil_status_request_file(
    *,
    authority: Authority,
    given: CivilStatusInput,
    applicant: User | None,
    channel: str = Channel.WEB,
    partner: str = "",
    idempotency_key: str = "",
) -> tuple[Case, bool]:
    """Files a civil-status request; returns (case, created).

    The access rule is applied first: a copy the requester may not obtain is refused with
    the rule's explanation, before anything is written. With an idempotency key, the same
    request sent again returns the case filed the first time."""
    if idempotency_key:
        existing = _civil_status_by_key(authority=authority, key=idempotency_key)
        if existing is not None:
            return existing, False
    request = CivilStatusRequest(
        authority=authority,
        act_type=given.act_type,
        copy_kind=given.copy_kind,
        relationship=given.relationship,
        person_last_name=given.person_last_name,
        person_first_names=given.person_first_names,
        event_date=given.event_date,
        event_place=given.event_place,
        parents=given.parents,
        requester_name=f"{given.requester_first_name} {given.requester_last_name}".strip(),
        requester_email=given.requester_email,
        delivery_address=given.delivery_address,
        copies=given.copies,
        relay_partner=partner,
        idempotency_key=idempotency_key,
    )
    decision = civil_status_access(request=request, today=timezone.localdate())
    if not decision.is_allowed:
        raise DomainError(ErrorCode.NOT_ALLOWED, decision.explanation)
    procedure = procedure_by_slug(authority=authority, slug=CIVIL_STATUS_PROCEDURE)
    contact = {}
    if applicant is None:
        contact = {
            "first_name": given.requester_first_name,
            "last_name": given.requester_last_name,
            "email": given.requester_email,
        }
    try:
        with transaction.atomic():
            case = engine.case_start(
                procedure=procedure, applicant=applicant, channel=channel, contact=contact
            )
            answers = {
                "act_type": given.act_type,
                "copy_kind": given.copy_kind,
                "relationship": given.relationship,
                "event_date": given.event_date.isoformat(),
                "event_place": given.event_place,
                "parents": given.parents,
                "copies": given.copies,
                "last_name": given.person_last_name,
                "first_name": given.person_first_names,
                "address": given.delivery_address,
            }
            engine.case_answers_save(case=case, answers=answers, uploads={}, by=applicant)
            request.case = case
            request.save()
            case = engine.case_submit(case=case, by=applicant)
    except IntegrityError:
        # The same key sent twice at the same moment: the other request won.
        existing = _civil_status_by_key(authority=authority, key=idempotency_key)
        if existing is None:
            raise
        return existing, False
    return case, True


def _civil_status_by_key(*, authority: Authority, key: str) -> Case | None:
    found = (
        CivilStatusRequest.objects.filter(authority=authority, idempotency_key=key)
        .select_related("case")
        .first()
    )
    return found.case if found else None


def _civil_status_take(*, case: Case, by: User) -> Case:
    if case.status == "submitted":
        case = engine.case_transition(case=case, name="take", by=by)
    return case


@transaction.atomic
def civil_status_issue(*, case: Case, by: User) -> Case:
    """Issues the certificate and sends it to the delivery address. Refused, with the
    rule's explanation, when the requester may not obtain this copy."""
    request = civil_status_request_for(case=case)
    decision = civil_status_access(request=request, today=timezone.localdate())
    if not decision.is_allowed:
        raise DomainError(ErrorCode.NOT_ALLOWED, decision.explanation)
    case = _civil_status_take(case=case, by=by)
    comment = _("Acte délivré et envoyé à : %(address)s") % {"address": request.delivery_address}
    case = engine.case_transition(case=case, name="accept", by=by, comment=comment)
    request.issued_at = timezone.now()
    if request.pk:
        request.save(update_fields=["issued_at"])
    else:
        request.save()
    return case


@transaction.atomic
def civil_status_reject(*, case: Case, by: User, reason: str) -> Case:
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID_DATA, _("Indiquez la raison du refus."))
    case = _civil_status_take(case=case, by=by)
    return engine.case_transition(case=case, name="reject", by=by, comment=reason)
