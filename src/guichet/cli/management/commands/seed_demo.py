"""Idempotent demo data: run it twice, get the same demo."""

import datetime
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import Membership, Service, User
from guichet.accounts.services import user_username
from guichet.cli.demo_data import (
    AGENTS,
    AUTHORITIES,
    DEMO_PASSWORD,
    RESIDENTS,
    SERVICES,
    TINY_PDF,
    procedure_files,
)
from guichet.cli.demo_seeds import seeders
from guichet.engine import services as engine
from guichet.engine.models import CannedReply, Case, Channel, Deadline, Procedure
from guichet.tenants.models import Authority, AuthorityHost


class Command(BaseCommand):
    help = "Creates the demo authorities, people, procedures and cases (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for spec in AUTHORITIES:
            authority = self._authority(spec)
            people = self._people(authority, spec["email_domain"])
            for path in procedure_files():
                engine.procedure_import(authority=authority, raw=yaml.safe_load(path.read_text()))
            self._canned_replies(authority)
            if not Case.objects.filter(authority=authority).exists():
                self._cases(authority, people)
            for _name, seed in seeders():
                seed(authority, people)
            if options["verbosity"]:
                self.stdout.write(f"{authority.name}: {spec['host']}")
        operator, created = User.objects.get_or_create(
            username="operateur",
            defaults={"email": "operateur@guichet.local", "is_staff": True, "is_superuser": True},
        )
        if created:
            operator.set_password(DEMO_PASSWORD)
            operator.save(update_fields=["password"])
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _authority(self, spec: dict[str, Any]) -> Authority:
        fields = {k: v for k, v in spec.items() if k not in {"slug", "host", "email_domain"}}
        authority, _ = Authority.objects.update_or_create(
            slug=spec["slug"],
            defaults=fields
            | {
                "accessibility_compliance": Authority.Compliance.PARTIAL,
                "accessibility_audit_date": datetime.date(2026, 9, 15),
                "accessibility_rate": 82,
                "accessibility_exceptions": (
                    "Les documents PDF antérieurs à 2024 publiés dans les actes administratifs "
                    "ne sont pas balisés."
                ),
                "accessibility_contact": f"Écrivez à {spec['contact_email']} ou appelez le 01 23 45 67 89.",
            },
        )
        AuthorityHost.objects.get_or_create(host=spec["host"], defaults={"authority": authority})
        return authority

    def _user(self, authority: Authority, email: str, **fields: Any) -> User:
        user, created = User.objects.get_or_create(
            authority=authority,
            email=email,
            defaults={
                "username": user_username(authority=authority, email=email),
                "is_email_verified": True,
                **fields,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _people(self, authority: Authority, domain: str) -> dict[str, User]:
        services = {}
        for slug, name in SERVICES:
            services[slug], _ = Service.objects.get_or_create(
                authority=authority, slug=slug, defaults={"name": name, "email": f"{slug}@{domain}"}
            )
        people = {}
        for local, first, last, role, slugs in AGENTS:
            user = self._user(
                authority,
                f"{local}@{domain}",
                first_name=first,
                last_name=last,
                is_authority_admin=role == "admin",
            )
            for slug in slugs:
                Membership.objects.get_or_create(
                    authority=authority, user=user, service=services[slug], defaults={"role": role}
                )
            people[local] = user
        for email, first, last, phone, address in RESIDENTS:
            people[email.split(".")[0]] = self._user(
                authority, email, first_name=first, last_name=last, phone=phone, address=address
            )
        return people

    def _canned_replies(self, authority: Authority) -> None:
        for title, body in [
            (
                "Pièce d'identité illisible",
                "La pièce d'identité transmise est illisible. Merci d'en déposer une copie nette, recto et verso.",
            ),
            (
                "Justificatif de domicile",
                "Merci de joindre un justificatif de domicile de moins de trois mois.",
            ),
            ("Dossier complet", "Votre dossier est complet, il est en cours d'instruction."),
        ]:
            CannedReply.objects.get_or_create(
                authority=authority, title=title, defaults={"body": body}
            )

    @transaction.atomic
    def _cases(self, authority: Authority, people: dict[str, User]) -> None:
        """Cases in every status of the civil-status procedure and every channel."""
        procedure = Procedure.objects.get(authority=authority, slug="acte-etat-civil")
        agent, resident = people["agent"], people["camille"]
        answers = {
            "act_type": "birth",
            "copy_kind": "extract_filiation",
            "relationship": "self",
            "event_date": "1990-04-12",
            "copies": "1",
            "last_name": "Martin",
            "first_name": "Camille",
            "address": "12 rue des Lilas, 45999 Démo-sur-Loire",
        }

        def pdf() -> dict[str, SimpleUploadedFile]:
            upload = SimpleUploadedFile("piece-identite.pdf", TINY_PDF, "application/pdf")
            upload.sniffed_type = "application/pdf"  # type: ignore[attr-defined]
            return {"id_document": upload}

        plan = [  # (channel, transitions to apply)
            (Channel.WEB, []),
            (Channel.WEB, ["take"]),
            (Channel.WEB, ["take", "ask_documents"]),
            (Channel.COUNTER, ["take", "accept"]),
            (Channel.PHONE, ["take", "reject"]),
            (Channel.POST, ["take"]),
            (Channel.EMAIL, []),
            (Channel.PARTNER, ["take", "accept"]),
        ]
        for channel, steps in plan:
            if channel == Channel.WEB:
                case = engine.case_start(procedure=procedure, applicant=resident)
                engine.case_answers_save(
                    case=case, answers=dict(answers), uploads=pdf(), by=resident
                )
                case = engine.case_submit(case=case, by=resident)
            else:
                case = engine.case_intake(
                    procedure=procedure,
                    agent=agent,
                    channel=channel,
                    contact={
                        "first_name": "Louise",
                        "last_name": "Bernard",
                        "email": "louise.bernard@example.fr",
                        "phone": "01 23 45 67 89",
                    },
                    answers=dict(answers, last_name="Bernard", first_name="Louise"),
                    uploads=pdf(),
                    scan=None,
                )
            for step in steps:
                comment = (
                    "Merci de fournir une pièce d'identité en cours de validité."
                    if step in {"ask_documents", "reject"}
                    else ""
                )
                case = engine.case_transition(case=case, name=step, by=agent, comment=comment)
        self._other_domains(authority, people)
        # One case past its legal deadline, so that the "overdue" filter shows something.
        overdue = Deadline.objects.filter(case__authority=authority, done_at__isnull=True).first()
        if overdue is not None:
            overdue.due_at = timezone.now() - datetime.timedelta(days=2)
            overdue.save(update_fields=["due_at"])
            engine.case_next_due_refresh(case=overdue.case)
        # A draft left unfiled, for the "Mes démarches" page.
        draft = engine.case_start(
            procedure=Procedure.objects.get(authority=authority, slug="reservation-salle"),
            applicant=resident,
        )
        engine.case_answers_save(
            case=draft, answers={"room": "salle-des-fetes"}, uploads={}, by=resident
        )

    def _other_domains(self, authority: Authority, people: dict[str, User]) -> None:
        """A few cases for the other domains' procedures, along their workflows."""
        resident, manager, field_agent = people["jean"], people["responsable"], people["voirie"]
        plan = [  # (procedure slug, answers, [(transition, by, comment)])
            ("signalement-voirie", STREET_REPORT, []),
            (
                "signalement-voirie",
                STREET_REPORT | {"category": "lighting"},
                [("schedule", field_agent, "Passage de l'équipe éclairage jeudi.")],
            ),
            (
                "signalement-voirie",
                STREET_REPORT | {"category": "dumping"},
                [("schedule", field_agent, ""), ("fix", field_agent, "Dépôt enlevé.")],
            ),
            (
                "signalement-voirie",
                STREET_REPORT | {"category": "graffiti"},
                [("dismiss", field_agent, "Le mur appartient à une propriété privée.")],
            ),
            ("declaration-manifestation", EVENT_DECLARATION, []),
            ("declaration-manifestation", EVENT_DECLARATION, [("accept", manager, "")]),
            (
                "declaration-manifestation",
                EVENT_DECLARATION,
                [("ask_documents", manager, "Merci de joindre l'attestation d'assurance.")],
            ),
            ("reservation-salle", ROOM_BOOKING, []),
            ("reservation-salle", ROOM_BOOKING, [("confirm", manager, "")]),
            (
                "reservation-salle",
                ROOM_BOOKING,
                [("refuse", manager, "La salle est déjà réservée ce jour-là.")],
            ),
            ("question-chantier", WORKS_QUESTION, []),
            (
                "question-chantier",
                WORKS_QUESTION,
                [("answer", field_agent, "Les travaux de la médiathèque se terminent fin mars.")],
            ),
        ]
        for slug, answers, steps in plan:
            procedure = Procedure.objects.get(authority=authority, slug=slug)
            case = engine.case_start(procedure=procedure, applicant=resident)
            engine.case_answers_save(case=case, answers=dict(answers), uploads={}, by=resident)
            case = engine.case_submit(case=case, by=resident)
            for name, by, comment in steps:
                case = engine.case_transition(case=case, name=name, by=by, comment=comment)


STREET_REPORT = {
    "category": "roads",
    "location": "47.902964,1.909251",
    "address": "Avenue de la République, devant le n° 18",
    "description": "Nid-de-poule d'environ 30 cm sur la chaussée, dangereux pour les vélos.",
}
EVENT_DECLARATION = {
    "organisation_name": "Comité des fêtes du Vieux-Bourg",
    "siret": "73282932000074",
    "contact_email": "jean.petit@example.fr",
    "event_name": "Fête de la musique du quartier",
    "event_date": "2027-06-21",
    "location": "Place du Marché",
    "attendance": "300",
    "needs": ["road_closure", "barriers"],
    "sells_drinks": False,
    "volunteers": [],
}
ROOM_BOOKING = {
    "room": "maison-associations",
    "date": "2027-02-14",
    "attendance": "25",
    "purpose": "Assemblée générale de l'association des parents d'élèves.",
    "deposit": "150.00",
}
WORKS_QUESTION = {
    "operation": "Rénovation de la médiathèque",
    "email": "jean.petit@example.fr",
    "question": "Jusqu'à quand la rue sera-t-elle barrée ?",
}
