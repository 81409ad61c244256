"""The associations' share of the demo: two associations (one with a complete vault and
two representatives, so that "acting as" can be switched), an open call for projects,
a committee session, applications at several steps. (Their loans of rooms and equipment
are seeded with the facilities, whose registry lends them.)"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from guichet.accounts import services as accounts
from guichet.accounts.models import Organisation, Representative, User
from guichet.associations import services
from guichet.associations.budget import BudgetEntry
from guichet.associations.models import (
    CallForProjects,
    SubsidyApplication,
)
from guichet.associations.selectors import SUBSIDY_PROCEDURE_SLUG
from guichet.cli.demo_data import TINY_PDF
from guichet.engine import services as engine
from guichet.engine.models import Procedure
from guichet.tenants.models import Authority

PARK = {
    "name": "Les Amis du Parc",
    "siret": "78945612600018",
    "rna": "W451002345",
    "address": "4 allée des Tilleuls, 45999 Démo-sur-Loire",
    "purpose": "Animer le parc municipal et y organiser des fêtes de quartier.",
}
FESTIVAL = {
    "name": "Comité des fêtes du Vieux-Bourg",
    "siret": "73282932000074",
    "rna": "W451009876",
    "address": "3 place de la Mairie, 45999 Démo-sur-Loire",
    "purpose": "Organiser les fêtes et animations du Vieux-Bourg.",
}


def _pdf(name: str) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, TINY_PDF, "application/pdf")
    upload.sniffed_type = "application/pdf"  # type: ignore[attr-defined]
    return upload


def _organisation(authority: Authority, spec: dict[str, str], by: User, role: str) -> Organisation:
    found = Organisation.objects.filter(authority=authority, siret=spec["siret"]).first()
    if found is not None:
        return found
    return accounts.organisation_register(authority=authority, by=by, role=role, **spec)


def _join(organisation: Organisation, user: User, role: str, by: User) -> None:
    if Representative.objects.active().filter(organisation=organisation, user=user).exists():
        return
    invitation = accounts.representative_invite(
        organisation=organisation, by=by, email=user.email, role=role, accept_url="{token}"
    )
    accounts.invitation_accept(
        authority=organisation.authority, token=invitation.invitation_token, user=user
    )


def _vault(organisation: Organisation, by: User, today: datetime.date) -> None:
    if organisation.vault_documents.exists():
        return
    plan = [
        ("statutes", "statuts.pdf", None, ""),
        ("board_list", "liste-des-dirigeants.pdf", today + datetime.timedelta(days=300), ""),
        ("bank_details", "rib.pdf", None, "FR76 3000 6000 0112 3456 7890 189"),
        ("accounts", "comptes-2025.pdf", today + datetime.timedelta(days=200), ""),
        ("budget", "budget-2026.pdf", today + datetime.timedelta(days=120), ""),
        # Expires soon: the sweep reminds the representatives.
        ("insurance", "attestation-assurance.pdf", today + datetime.timedelta(days=20), ""),
    ]
    for kind, name, valid_until, iban in plan:
        services.vault_document_store(
            organisation=organisation,
            by=by,
            kind=kind,
            upload=_pdf(name),
            valid_until=valid_until,
            iban=iban,
        )


def _apply(
    call: CallForProjects, organisation: Organisation, by: User, key: str, title: str, amount: str
) -> SubsidyApplication:
    today = timezone.localdate()
    asked = Decimal(amount)
    return services.subsidy_apply(
        call=call,
        organisation=organisation,
        by=by,
        submission_key=f"demo-{call.authority.slug}-{key}",
        project=services.Project(
            title=title,
            goals="Rassembler les habitants du quartier autour d'une journée festive.",
            public="Environ 400 habitants, familles et personnes âgées",
            place="Place du Marché",
            starts_on=today + datetime.timedelta(days=40),
            ends_on=today + datetime.timedelta(days=41),
        ),
        entries=[
            BudgetEntry("charge", "60", "Achats (décoration, boissons)", asked),
            BudgetEntry("charge", "61", "Location de matériel", Decimal("1500.00")),
            BudgetEntry("resource", "70", "Buvette", Decimal("1000.00")),
            BudgetEntry("resource", "75", "Cotisations", Decimal("500.00")),
        ],
        amount_requested=asked,
        other_funders="",
        sworn_statement=True,
        uploads={},
        today=today,
    )


@transaction.atomic
def seed(authority: Authority, people: dict[str, Any]) -> None:
    today = timezone.localdate()
    Procedure.objects.filter(authority=authority, slug=SUBSIDY_PROCEDURE_SLUG).update(
        is_online=False  # filed from a call for projects, with its budget table
    )
    camille, jean = people["camille"], people["jean"]
    agent, manager = people["agent"], people["responsable"]
    park = _organisation(authority, PARK, camille, "treasurer")
    _join(park, jean, "president", camille)
    festival = _organisation(authority, FESTIVAL, jean, "president")
    _vault(park, camille, today)
    _vault(festival, jean, today)
    if CallForProjects.objects.filter(authority=authority).exists():
        return
    call = services.call_create(
        authority=authority,
        title="Vie de quartier 2027",
        description="Soutien aux projets qui animent les quartiers : fêtes, jardins partagés, "
        "rencontres entre voisins.",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
        envelope=Decimal("150000.00"),
    )
    services.call_create(
        authority=authority,
        title="Sport pour tous 2026",
        description="Appel clos.",
        opens_on=today - datetime.timedelta(days=200),
        closes_on=today - datetime.timedelta(days=100),
        envelope=Decimal("80000.00"),
    )
    session = services.session_create(
        authority=authority,
        title="Commission vie associative",
        meets_on=today + datetime.timedelta(days=14),
        place="Salle du conseil municipal",
    )
    _apply(call, festival, jean, "received", "Fête de la musique du Vieux-Bourg", "3000.00")
    scheduled = _apply(call, festival, jean, "scheduled", "Vide-grenier d'automne", "2000.00")
    engine.case_transition(case=scheduled.case, name="declare_eligible", by=agent)
    services.opinions_request(
        case=scheduled.case,
        services=[scheduled.case.service],
        by=agent,
        question="Le lieu est-il disponible ce jour-là ?",
    )
    services.application_schedule(
        application=scheduled, session=session, by=agent, amount_proposed=Decimal("1800.00")
    )
    granted = _apply(call, festival, jean, "granted", "Carnaval des enfants", "4000.00")
    engine.case_transition(case=granted.case, name="declare_eligible", by=agent)
    services.application_schedule(
        application=granted, session=session, by=agent, amount_proposed=Decimal("3500.00")
    )
    services.subsidy_decide(
        application=granted,
        by=manager,
        is_granted=True,
        amount=Decimal("3500.00"),
        votes_for=8,
        votes_against=0,
        votes_abstaining=1,
        comment="",
        today=today,
    )
