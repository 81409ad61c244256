"""Factories that say what they make: `resident(authority)`, `civil_status_procedure(authority)`."""

from pathlib import Path
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

import guichet
from guichet.accounts.models import Membership, Service, User
from guichet.accounts.services import user_username
from guichet.cli.demo_data import TINY_PDF
from guichet.engine import services as engine
from guichet.engine.models import Case, Procedure
from guichet.tenants.models import Authority, AuthorityHost

PASSWORD = "correct-horse-battery"
PROCEDURES = Path(guichet.__file__).parent


def authority(slug: str, *, kind: str = "commune") -> Authority:
    made = Authority.objects.create(
        slug=slug,
        name=slug.replace("-", " ").title(),
        kind=kind,
        official_code="45999",
        population=1000,
        contact_email=f"contact@{slug}.fr",
    )
    AuthorityHost.objects.create(authority=made, host=f"{slug}.localhost")
    return made


def service(authority: Authority, slug: str = "etat-civil") -> Service:
    made, _ = Service.objects.get_or_create(
        authority=authority,
        slug=slug,
        defaults={"name": slug, "email": f"{slug}@{authority.slug}.fr"},
    )
    return made


def person(authority: Authority, email: str, **fields: Any) -> User:
    user = User(
        authority=authority,
        email=email,
        username=user_username(authority=authority, email=email),
        **{"is_email_verified": True, **fields},
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def resident(authority: Authority, email: str = "camille@example.fr") -> User:
    return person(authority, email, first_name="Camille", last_name="Martin")


def agent(
    authority: Authority,
    email: str = "agent@example.fr",
    *,
    role: str = "agent",
    services: tuple[str, ...] = ("etat-civil",),
) -> User:
    user = person(authority, email, first_name="Nadia", last_name="Benali")
    for slug in services:
        Membership.objects.create(
            authority=authority, user=user, service=service(authority, slug), role=role
        )
    return user


def procedure_from(authority: Authority, relative: str) -> Procedure:
    raw = yaml.safe_load((PROCEDURES / relative).read_text())
    service(authority, raw["service"])
    return engine.procedure_import(authority=authority, raw=raw).procedure


def civil_status_procedure(authority: Authority) -> Procedure:
    return procedure_from(authority, "individuals/procedures/civil_status_certificate.yaml")


def pdf_upload(name: str = "piece.pdf") -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, TINY_PDF, "application/pdf")
    upload.sniffed_type = "application/pdf"  # type: ignore[attr-defined]
    return upload


CIVIL_STATUS_ANSWERS = {
    "act_type": "birth",
    "copy_kind": "extract",
    "event_date": "1990-04-12",
    "copies": "1",
    "last_name": "Martin",
    "first_name": "Camille",
    "address": "12 rue des Lilas",
}


def civil_status_draft(procedure: Procedure, applicant: User) -> Case:
    case = engine.case_start(procedure=procedure, applicant=applicant)
    return engine.case_answers_save(
        case=case,
        answers=dict(CIVIL_STATUS_ANSWERS),
        uploads={"id_document": pdf_upload()},
        by=applicant,
    )


def civil_status_case(procedure: Procedure, applicant: User) -> Case:
    """A filed civil-status request, in its initial status."""
    return engine.case_submit(case=civil_status_draft(procedure, applicant), by=applicant)


def event_declaration_procedure(authority: Authority) -> Procedure:
    """The associations' event declaration: 60 days, then silence vaut accord."""
    return procedure_from(authority, "associations/procedures/event_declaration.yaml")


EVENT_DECLARATION_ANSWERS = {
    "organisation_name": "Comité des fêtes",
    "siret": "73282932000074",
    "contact_email": "comite@example.fr",
    "event_name": "Fête de quartier",
    "event_date": "2026-06-21",
    "location": "Place de la Mairie",
    "attendance": "200",
    "sells_drinks": False,
}


def event_declaration_case(procedure: Procedure, applicant: User) -> Case:
    """A filed event declaration, its 60-day clock running."""
    case = engine.case_start(procedure=procedure, applicant=applicant)
    engine.case_answers_save(
        case=case, answers=dict(EVENT_DECLARATION_ANSWERS), uploads={}, by=applicant
    )
    return engine.case_submit(case=case, by=applicant)
