"""Reads. The access selectors are the only way interfaces fetch tenant data."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404

from guichet.accounts.models import Membership, User
from guichet.engine.definitions import APPLICANT
from guichet.engine.models import (
    DRAFT,
    Attachment,
    CannedReply,
    Case,
    CaseQuerySet,
    Procedure,
    ProcedureVersion,
)
from guichet.tenants.models import Authority

WEB = "web"


def _sees_internal(user: Any, authority: Authority) -> bool:
    """Internal procedures (a service asking another, e.g. works for a school) are for
    the authority's own agents only."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.authority_id == authority.pk
        and user.is_agent
    )


def procedures_online(
    *, authority: Authority, query: str = "", user: Any = None
) -> list[Procedure]:
    procedures = Procedure.objects.filter(authority=authority, is_online=True).filter(
        versions__published_at__isnull=False
    )
    if not _sees_internal(user, authority):
        procedures = procedures.exclude(audience=Procedure.Audience.INTERNAL)
    if query:
        procedures = procedures.filter(Q(name__icontains=query) | Q(description__icontains=query))
    found = list(procedures.distinct().order_by("domain", "name"))
    # A procedure offered only at the counter, by post… (its `channels`) is not listed online.
    current: dict[int, ProcedureVersion] = {}
    for version in ProcedureVersion.objects.filter(
        authority=authority, procedure__in=found, published_at__isnull=False
    ).order_by("number"):
        current[version.procedure_id] = version
    return [p for p in found if WEB in current[p.pk].parsed.channels]


def procedure_get_online(*, authority: Authority, slug: str, user: Any = None) -> Procedure:
    procedure = Procedure.objects.filter(authority=authority, slug=slug, is_online=True).first()
    if procedure is None:
        raise Http404
    if procedure.audience == Procedure.Audience.INTERNAL and not _sees_internal(user, authority):
        raise Http404
    version = procedure_current_version(procedure=procedure)
    if version is None or WEB not in version.parsed.channels:
        raise Http404
    return procedure


def procedure_current_version(*, procedure: Procedure) -> ProcedureVersion | None:
    return (
        procedure.versions.filter(authority_id=procedure.authority_id, published_at__isnull=False)
        .order_by("-number")
        .first()
    )


def agent_service_roles(*, user: User) -> dict[int, set[str]]:
    """Service id → the user's roles in it."""
    roles: dict[int, set[str]] = {}
    for membership in Membership.objects.filter(authority_id=user.authority_id, user=user):
        roles.setdefault(membership.service_id, set()).add(membership.role)
    return roles


def case_roles(*, user: User | None, case: Case) -> set[str]:
    """The workflow roles a person holds on a case."""
    if user is None or not user.is_authenticated or user.authority_id != case.authority_id:
        return set()
    roles: set[str] = set()
    if case.applicant_id == user.pk:
        roles.add(APPLICANT)
    if user.is_authority_admin:
        roles |= {choice for choice, _ in Membership.Role.choices}
    else:
        roles |= agent_service_roles(user=user).get(case.service_id, set())
    return roles


def _cases(*, authority: Authority) -> CaseQuerySet:
    return Case.objects.filter(authority=authority).select_related(
        "procedure", "version", "applicant", "assigned_to", "service"
    )


def cases_visible_to_agent(*, agent: User) -> CaseQuerySet:
    cases = _cases(authority=agent.authority).filed()
    if agent.is_authority_admin:
        return cases
    # A subquery, not a join: no DISTINCT over a million rows to sort and paginate.
    services = Membership.objects.filter(user=agent).values("service_id")
    return cases.filter(service_id__in=services)


def case_get_for_agent(*, agent: User, case_id: int) -> Case:
    if not agent.is_authenticated or agent.authority_id is None:
        raise Http404
    case = cases_visible_to_agent(agent=agent).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def case_get_for_applicant(*, user: User, authority: Authority, case_id: int) -> Case:
    if not user.is_authenticated or user.authority_id != authority.pk:
        raise Http404
    case = _cases(authority=authority).filter(pk=case_id, applicant=user).first()
    if case is None:
        raise Http404
    return case


def case_get_by_tracking(*, authority: Authority, number: str, tracking_code: str) -> Case | None:
    code = tracking_code.strip().upper().replace("-", "").replace(" ", "")
    return (
        _cases(authority=authority)
        .filed()
        .filter(number=number.strip().upper(), tracking_code=code)
        .first()
    )


def cases_of_applicant(*, user: User, authority: Authority) -> CaseQuerySet:
    return _cases(authority=authority).filter(applicant=user).order_by("-updated_at")


@dataclass(frozen=True, slots=True)
class CaseFilters:
    queue: str = "todo"  # todo | mine | all
    procedure: int | None = None
    status: str = ""
    channel: str = ""
    assigned_to: int | None = None
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None
    is_overdue: bool = False
    query: str = ""
    sort: str = "-submitted_at"


SORTS = {
    "-submitted_at",
    "submitted_at",
    "number",
    "-number",
    "status",
    "-status",
    "procedure__name",
    "-procedure__name",
}


def cases_for_agent(*, agent: User, filters: CaseFilters, now: datetime.datetime) -> CaseQuerySet:
    cases = cases_visible_to_agent(agent=agent)
    if filters.queue == "mine":
        cases = cases.filter(assigned_to=agent)
    elif filters.queue == "todo":
        cases = cases.filter(closed_at__isnull=True)
    if filters.procedure:
        cases = cases.filter(procedure_id=filters.procedure)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.assigned_to:
        cases = cases.filter(assigned_to_id=filters.assigned_to)
    if filters.submitted_from:
        cases = cases.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to:
        cases = cases.filter(submitted_at__date__lte=filters.submitted_to)
    if filters.is_overdue:
        # A running deadline is past due exactly when the earliest one is.
        cases = cases.filter(next_due_at__lt=now)
    if filters.query:
        cases = cases.filter(_case_search(authority=agent.authority, query=filters.query))
    sort = filters.sort if filters.sort in SORTS else "-submitted_at"
    return cases.order_by(sort, "-id")


# Beyond this many matching people, the name is too common for a list of ids to help:
# the cases are then found by walking the queue in order, which stops at the first page.
SEARCH_PEOPLE_LIMIT = 500


def _case_search(*, authority: Authority, query: str) -> Q:
    """Number or name. Each condition bears on the case's own columns so that PostgreSQL
    combines their indexes (trigram indexes of migration 0002, the applicant's foreign
    key): the matching people are looked up first and passed as a list of ids, because
    an OR with a subquery cannot use an index."""
    query = query.strip()
    people = User.objects.filter(authority=authority).filter(
        Q(last_name__icontains=query) | Q(first_name__icontains=query)
    )
    people_ids = list(people.values_list("id", flat=True)[: SEARCH_PEOPLE_LIMIT + 1])
    applicants = (
        Q(applicant_id__in=people.values("id"))
        if len(people_ids) > SEARCH_PEOPLE_LIMIT
        else Q(applicant_id__in=people_ids)
    )
    return Q(number__icontains=query) | Q(contact__last_name__icontains=query) | applicants


def agents_of_authority(*, authority: Authority) -> list[User]:
    return list(
        User.objects.filter(authority=authority, is_active=True)
        .filter(Q(memberships__isnull=False) | Q(is_authority_admin=True))
        .distinct()
        .order_by("last_name", "first_name")
    )


def agents_for_case(*, case: Case) -> list[User]:
    """The agents who may process a case: members of its service and the administrators."""
    return list(
        User.objects.filter(authority_id=case.authority_id, is_active=True)
        .filter(Q(memberships__service_id=case.service_id) | Q(is_authority_admin=True))
        .distinct()
        .order_by("last_name", "first_name")
    )


def case_timeline(*, case: Case) -> list[dict[str, Any]]:
    """Transitions, messages, documents and corrections, oldest first (public part only)."""
    items: list[dict[str, Any]] = []
    workflow = case.version.parsed.workflow
    for transition in case.transitions.select_related("actor"):
        label = workflow.status(transition.to_status).label if transition.to_status != DRAFT else ""
        items.append(
            {
                "at": transition.at,
                "kind": "transition",
                "label": label,
                "comment": transition.comment,
                "actor": transition.actor,
            }
        )
    for message in case.messages.select_related("author"):
        items.append(
            {
                "at": message.at,
                "kind": "message",
                "body": message.body,
                "from_applicant": message.is_from_applicant,
                "actor": message.author,
            }
        )
    for attachment in case.attachments.exclude(kind="field"):
        items.append({"at": attachment.uploaded_at, "kind": "attachment", "attachment": attachment})
    for correction in case.corrections.select_related("agent"):
        items.append({"at": correction.at, "kind": "correction", "correction": correction})
    return sorted(items, key=lambda item: item["at"])


# --- Agents' back office ----------------------------------------------------------------------


def procedures_of_agent(*, agent: User) -> list[Procedure]:
    """The published procedures of the agent's services (all of them for an administrator)."""
    procedures = Procedure.objects.filter(
        authority_id=agent.authority_id, versions__published_at__isnull=False
    )
    if not agent.is_authority_admin:
        procedures = procedures.filter(service__memberships__user=agent)
    return list(procedures.select_related("service").distinct().order_by("name"))


def procedure_get_for_agent(*, agent: User, slug: str) -> Procedure:
    for procedure in procedures_of_agent(agent=agent):
        if procedure.slug == slug:
            return procedure
    raise Http404


def attachment_get_for_agent(*, agent: User, case_id: int, attachment_id: int) -> Attachment:
    case = case_get_for_agent(agent=agent, case_id=case_id)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def canned_replies_of_authority(*, authority: Authority) -> list[CannedReply]:
    return list(CannedReply.objects.filter(authority=authority))


def resident_get_by_email(*, authority: Authority, email: str) -> User | None:
    return User.objects.filter(
        authority=authority, email__iexact=email.strip(), is_active=True
    ).first()


@dataclass(frozen=True, slots=True)
class AgentReach:
    """What an agent's services handle, for the back office's menu: the services' slugs,
    and the slugs and domains of their procedures (of the whole authority for an
    administrator)."""

    services: frozenset[str]
    procedures: frozenset[str]
    domains: frozenset[str]


def agent_reach(*, agent: User) -> AgentReach:
    """One query: the menu is drawn on every back-office page."""
    if agent.is_authority_admin:
        rows = Procedure.objects.filter(authority_id=agent.authority_id).values_list(
            "service__slug", "slug", "domain"
        )
    else:
        # A service without a procedure (the childhood service's school pages) still counts.
        rows = Membership.objects.filter(authority_id=agent.authority_id, user=agent).values_list(
            "service__slug", "service__procedure__slug", "service__procedure__domain"
        )
    services, procedures, domains = set(), set(), set()
    for service, procedure, domain in rows:
        services.add(service)
        if procedure:
            procedures.add(procedure)
            domains.add(domain)
    return AgentReach(frozenset(services), frozenset(procedures), frozenset(domains))
