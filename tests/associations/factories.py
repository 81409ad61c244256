"""Factories of the associations domain that say what they make."""

import datetime
from decimal import Decimal

from django.utils import timezone

from guichet.accounts import services as accounts
from guichet.accounts.models import Organisation, User
from guichet.associations import services
from guichet.associations.budget import BudgetEntry
from guichet.associations.models import CallForProjects, CommitteeSession, SubsidyApplication
from guichet.engine.models import Procedure
from guichet.tenants.models import Authority
from tests import factories

SIRET = "73282932000074"
OTHER_SIRET = "35600000000048"  # La Poste's rule
IBAN = "FR76 3000 6000 0112 3456 7890 189"


def subsidy_procedure(authority: Authority) -> Procedure:
    procedure = factories.procedure_from(
        authority, "associations/procedures/subsidy_application.yaml"
    )
    # Filed from a call for projects, not from the generic catalogue.
    Procedure.objects.filter(pk=procedure.pk).update(is_online=False)
    return procedure


def organisation(
    authority: Authority, by: User, *, name: str = "Les Amis du Parc", siret: str = SIRET
) -> Organisation:
    return accounts.organisation_register(
        authority=authority,
        by=by,
        name=name,
        siret=siret,
        rna="W451234567",
        address="1 place de la Mairie, 45000 Ville A",
        purpose="Animer le parc municipal.",
        role="treasurer",
    )


def full_vault(
    organisation: Organisation, by: User, *, valid_until: datetime.date | None = None
) -> None:
    valid_until = valid_until or timezone.localdate() + datetime.timedelta(days=365)
    for kind in ("statutes", "board_list", "bank_details", "accounts", "insurance"):
        services.vault_document_store(
            organisation=organisation,
            by=by,
            kind=kind,
            upload=factories.pdf_upload(f"{kind}.pdf"),
            valid_until=None if kind == "statutes" else valid_until,
            iban=IBAN if kind == "bank_details" else "",
        )


def open_call(authority: Authority, *, envelope: str = "100000.00") -> CallForProjects:
    today = timezone.localdate()
    return services.call_create(
        authority=authority,
        title="Vie de quartier 2027",
        description="Projets d'animation des quartiers.",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
        envelope=Decimal(envelope),
    )


BALANCED = [
    BudgetEntry("charge", "60", "Matériel", Decimal("3000.00")),
    BudgetEntry("charge", "62", "Location de scène", Decimal("2000.00")),
    BudgetEntry("resource", "75", "Cotisations", Decimal("1000.00")),
]  # 5,000 of charges; 1,000 + the 4,000 asked of resources


def application(
    call: CallForProjects,
    organisation: Organisation,
    by: User,
    *,
    amount: str = "4000.00",
    entries: list[BudgetEntry] | None = None,
    key: str = "key-1",
) -> SubsidyApplication:
    today = timezone.localdate()
    return services.subsidy_apply(
        call=call,
        organisation=organisation,
        by=by,
        submission_key=key,
        project=services.Project(
            title="Fête du parc",
            goals="Réunir les habitants.",
            public="300 habitants du quartier",
            place="Parc municipal",
            starts_on=today + datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=60),
        ),
        entries=entries if entries is not None else BALANCED,
        amount_requested=Decimal(amount),
        other_funders="",
        sworn_statement=True,
        uploads={},
        today=today,
    )


def session(authority: Authority) -> CommitteeSession:
    return services.session_create(
        authority=authority,
        title="Commission vie associative de mars",
        meets_on=timezone.localdate() + datetime.timedelta(days=5),
        place="Salle du conseil",
    )
