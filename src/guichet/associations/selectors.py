"""Reads of the associations domain; the `*_get_for_*` selectors are the access checks."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.http import Http404

from guichet.accounts.models import Membership, Organisation, User
from guichet.associations.budget import ZERO
from guichet.associations.models import (
    CallForProjects,
    CommitteeSession,
    Instalment,
    Opinion,
    SubsidyApplication,
    VaultDocument,
)
from guichet.engine.models import Case
from guichet.engine.selectors import cases_visible_to_agent
from guichet.tenants.models import Authority

SUBSIDY_PROCEDURE_SLUG = "demande-subvention"
# What a subsidy application needs from the vault (the CERFA's list of documents).
SUBSIDY_DOCUMENTS = [
    VaultDocument.Kind.STATUTES.value,
    VaultDocument.Kind.BOARD_LIST.value,
    VaultDocument.Kind.BANK_DETAILS.value,
    VaultDocument.Kind.ACCOUNTS.value,
]


# --- Vault ---------------------------------------------------------------------------------------


def vault_current(*, organisation: Organisation, today: datetime.date) -> dict[str, VaultDocument]:
    """Kind → the current document, still valid today (an expired one is not reused)."""
    documents = VaultDocument.objects.filter(
        authority_id=organisation.authority_id, organisation=organisation, replaced_at__isnull=True
    )
    return {d.kind: d for d in documents if d.is_valid_on(today)}


def vault_overview(*, organisation: Organisation) -> list[tuple[str, str, VaultDocument | None]]:
    """(kind, label, current document or None) for every kind, in the vault's order."""
    documents = {
        d.kind: d
        for d in VaultDocument.objects.filter(
            authority_id=organisation.authority_id,
            organisation=organisation,
            replaced_at__isnull=True,
        )
    }
    return [(kind, label, documents.get(kind)) for kind, label in VaultDocument.Kind.choices]


def vault_document_get(*, organisation: Organisation, document_id: int) -> VaultDocument:
    document = VaultDocument.objects.filter(
        authority_id=organisation.authority_id, organisation=organisation, pk=document_id
    ).first()
    if document is None:
        raise Http404
    return document


# --- Calls and applications --------------------------------------------------------------------


def calls_open(*, authority: Authority, today: datetime.date) -> list[CallForProjects]:
    return list(
        CallForProjects.objects.filter(
            authority=authority, opens_on__lte=today, closes_on__gte=today
        )
    )


def calls_of_authority(*, authority: Authority) -> list[CallForProjects]:
    return list(CallForProjects.objects.filter(authority=authority))


def call_get(*, authority: Authority, call_id: int) -> CallForProjects:
    call = CallForProjects.objects.filter(authority=authority, pk=call_id).first()
    if call is None:
        raise Http404
    return call


def applications_of_organisation(*, organisation: Organisation) -> list[SubsidyApplication]:
    return list(
        SubsidyApplication.objects.filter(
            authority_id=organisation.authority_id, organisation=organisation
        ).select_related("case", "case__version", "call")
    )


def application_get_for_representative(
    *, organisation: Organisation, application_id: int
) -> SubsidyApplication:
    application = (
        SubsidyApplication.objects.filter(
            authority_id=organisation.authority_id, organisation=organisation, pk=application_id
        )
        .select_related("case", "case__version", "call")
        .first()
    )
    if application is None:
        raise Http404
    return application


def _applications_for_agent(*, agent: User):  # type: ignore[no-untyped-def]
    cases = cases_visible_to_agent(agent=agent).values("pk")
    return SubsidyApplication.objects.filter(
        authority_id=agent.authority_id, case_id__in=cases
    ).select_related("case", "case__version", "case__procedure", "organisation", "call", "session")


def applications_for_agent(
    *, agent: User, call: CallForProjects | None = None
) -> list[SubsidyApplication]:
    applications = _applications_for_agent(agent=agent)
    if call is not None:
        applications = applications.filter(call=call)
    return list(applications)


def application_get_for_agent(*, agent: User, application_id: int) -> SubsidyApplication:
    if not agent.is_authenticated or agent.authority_id is None:
        raise Http404
    application = _applications_for_agent(agent=agent).filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def application_of_case(*, case: Case) -> SubsidyApplication | None:
    """The subsidy application a case carries, if any (not every case of the procedure
    went through a call for projects)."""
    return SubsidyApplication.objects.filter(authority_id=case.authority_id, case=case).first()


@dataclass(frozen=True, slots=True)
class Envelope:
    budget: Decimal
    requested: Decimal
    proposed: Decimal
    granted: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.granted


def call_envelope(*, call: CallForProjects) -> Envelope:
    """Requested, proposed, granted and paid against the call's budget."""
    applications = SubsidyApplication.objects.filter(authority_id=call.authority_id, call=call)
    totals = applications.aggregate(
        requested=Sum("amount_requested"),
        proposed=Sum("amount_proposed"),
        granted=Sum("amount_granted"),
    )
    paid = Instalment.objects.filter(
        authority_id=call.authority_id, application__call=call, paid_on__isnull=False
    ).aggregate(total=Sum("amount"))["total"]
    return Envelope(
        budget=call.envelope,
        requested=totals["requested"] or ZERO,
        proposed=totals["proposed"] or ZERO,
        granted=totals["granted"] or ZERO,
        paid=paid or ZERO,
    )


@dataclass(frozen=True, slots=True)
class Check:
    label: str
    is_ok: bool


def eligibility_checks(*, application: SubsidyApplication, today: datetime.date) -> list[Check]:
    """What the agent checks before declaring the application admissible."""
    case = application.case
    documents = {a.field_name for a in case.attachments.all()}
    vault = vault_current(organisation=application.organisation, today=today)
    checks = [
        Check("SIRET vérifié (clé de contrôle)", bool(application.organisation.siret)),
        Check(
            "Déposée pendant l'appel à projets",
            case.submitted_at is not None and application.call.is_open_on(case.submitted_at.date()),
        ),
        Check("Budget équilibré", application.total_charges == application.total_resources),
        Check(
            "Montant demandé dans l'enveloppe",
            application.amount_requested <= application.call.envelope,
        ),
        Check("Déclaration sur l'honneur signée", case.data.get("sworn_statement") is True),
    ]
    for kind in SUBSIDY_DOCUMENTS:
        label = VaultDocument.Kind(kind).label
        checks.append(Check(f"{label} : fourni", kind in documents))
        checks.append(Check(f"{label} : en cours de validité", kind in vault))
    return checks


# --- Opinions, committee -----------------------------------------------------------------------


def opinions_of_case(*, case_id: int, authority_id: int) -> list[Opinion]:
    return list(
        Opinion.objects.filter(authority_id=authority_id, case_id=case_id).select_related(
            "service", "given_by"
        )
    )


def opinions_pending_for_agent(*, agent: User) -> list[Opinion]:
    opinions = Opinion.objects.filter(authority_id=agent.authority_id, given_at__isnull=True)
    if not agent.is_authority_admin:
        services = Membership.objects.filter(user=agent).values("service_id")
        opinions = opinions.filter(service_id__in=services)
    return list(opinions.select_related("case", "case__procedure", "service"))


def opinion_get_for_agent(*, agent: User, opinion_id: int) -> Opinion:
    if not agent.is_authenticated or agent.authority_id is None:
        raise Http404
    opinions = Opinion.objects.filter(authority_id=agent.authority_id, pk=opinion_id)
    if not agent.is_authority_admin:
        opinions = opinions.filter(
            Q(service__memberships__user=agent) | Q(case__service__memberships__user=agent)
        )
    opinion = opinions.select_related("case", "case__procedure", "case__version", "service").first()
    if opinion is None:
        raise Http404
    return opinion


def sessions_of_authority(*, authority: Authority) -> list[CommitteeSession]:
    return list(CommitteeSession.objects.filter(authority=authority))


def session_get(*, authority: Authority, session_id: int) -> CommitteeSession:
    session = CommitteeSession.objects.filter(authority=authority, pk=session_id).first()
    if session is None:
        raise Http404
    return session


def session_agenda(*, session: CommitteeSession) -> list[SubsidyApplication]:
    return list(
        SubsidyApplication.objects.filter(authority_id=session.authority_id, session=session)
        .select_related("case", "case__version", "organisation", "call")
        .order_by("case__number")
    )


def is_subsidy_agent(*, agent: User) -> bool:
    """An administrator, or a member of the service that processes subsidy applications."""
    if agent.is_authority_admin:
        return True
    return Membership.objects.filter(
        authority_id=agent.authority_id,
        user=agent,
        service__procedure__slug=SUBSIDY_PROCEDURE_SLUG,
    ).exists()


def sessions_queryset(*, authority: Authority):  # type: ignore[no-untyped-def]
    return CommitteeSession.objects.filter(authority=authority)
