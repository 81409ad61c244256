"""Real-estate operations of the demo: several phases, budgets, contracts, invoices, risks,
public pages, and a school's works requests (one turned into an operation, one waiting)."""

import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from guichet.accounts.models import Membership, Service, User
from guichet.accounts.services import user_username
from guichet.cli.demo_data import DEMO_PASSWORD, TINY_PDF
from guichet.engine import services as engine
from guichet.engine.models import Procedure
from guichet.real_estate import services
from guichet.real_estate.models import Operation, Phase
from guichet.tenants.models import Authority

D = Decimal
SIRETS = ["73282932000074", "55208131766522", "44306184100047", "35600000000048"]


def _pdf(name: str) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, TINY_PDF, "application/pdf")
    upload.sniffed_type = "application/pdf"  # type: ignore[attr-defined]
    return upload


def _photo(colour: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 400), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 120, 560, 360), outline="white", width=8)
    draw.polygon([(80, 120), (320, 30), (560, 120)], outline="white")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile("chantier.jpg", buffer.getvalue(), "image/jpeg")


def _school_agent(authority: Authority, people: dict[str, User]) -> User:
    domain = people["agent"].email.split("@", 1)[1]
    service, _ = Service.objects.get_or_create(
        authority=authority,
        slug="ecoles",
        defaults={"name": "Écoles et restauration scolaire", "email": f"ecoles@{domain}"},
    )
    email = f"ecoles@{domain}"
    user, created = User.objects.get_or_create(
        authority=authority,
        email=email,
        defaults={
            "username": user_username(authority=authority, email=email),
            "first_name": "Claire",
            "last_name": "Rousseau",
            "is_email_verified": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        authority=authority, user=user, service=service, defaults={"role": "agent"}
    )
    return user


def _phases(operation: Operation, *, done: int, running: bool, late: set[str], today: Any) -> None:
    """Marks the first `done` phases finished (late ones after their planned end) and the next
    one started, as a project lead would have recorded them."""
    phases = list(operation.phases.all())
    for index, phase in enumerate(phases[: done + (1 if running else 0)]):
        slip = datetime.timedelta(days=20 if phase.kind in late else 0)
        actual_end = phase.planned_end + slip if index < done else None
        if actual_end is not None and actual_end > today:
            actual_end = today
        services.phase_dates_set(
            phase=phase,
            planned_start=phase.planned_start,
            planned_end=phase.planned_end,
            actual_start=min(phase.planned_start + slip, today),
            actual_end=actual_end,
        )


def _contracts(operation: Operation, lots: list[tuple[int, str, str, str]], signed: Any) -> list:
    return [
        services.contract_record(
            operation=operation,
            data=services.ContractData(
                lot_number=lot,
                lot_name=name,
                contractor_name=contractor,
                contractor_siret=SIRETS[index % len(SIRETS)],
                amount_ht=D(amount),
                vat_rate=D("20.00"),
                signed_on=signed,
            ),
        )
        for index, (lot, name, contractor, amount) in enumerate(lots)
    ]


def _operation(
    authority: Authority,
    people: dict[str, User],
    *,
    name: str,
    kind: str,
    address: str,
    parcel: str,
    start: Any,
    description: str,
    **extra: Any,
) -> Operation:
    lead = people["voirie"]
    return services.operation_create(
        service=Service.objects.get(authority=authority, slug="patrimoine"),
        data=services.OperationData(
            name=name,
            kind=kind,
            address=address,
            programme="Plan pluriannuel d'investissement 2025-2030",
            description=description,
            cadastral_parcel=parcel,
            lead=lead,
        ),
        by=lead,
        start=start,
        **extra,
    )


@transaction.atomic
def seed(authority: Authority, people: dict[str, User]) -> None:
    school_agent = _school_agent(authority, people)
    if Operation.objects.filter(authority=authority).exists():
        return
    today = timezone.localdate()
    lead = people["voirie"]
    host = authority.hosts.values_list("host", flat=True).first() or "localhost"
    url = f"http://{host}:8000/chantiers/desabonnement/{{token}}/"

    # 1. In works, one phase late, invoices at every step, one close to its legal date.
    school = _operation(
        authority,
        people,
        name="Rénovation énergétique de l'école Jules-Ferry",
        kind=Operation.Kind.ENERGY_RENOVATION,
        address="14 rue Jules-Ferry, 45999 Démo-sur-Loire",
        parcel="AB 0142",
        start=today - datetime.timedelta(days=560),
        description=(
            "Isolation des façades et de la toiture, remplacement des fenêtres et de la "
            "chaudière au fioul par une pompe à chaleur. Objectif : diviser par deux la "
            "consommation d'énergie de l'école."
        ),
    )
    _phases(school, done=6, running=True, late={"dce"}, today=today)
    services.decision_attach(
        operation=school,
        reference="DEL-2024-118",
        decided_on=today - datetime.timedelta(days=580),
        title="Approbation du programme et de l'enveloppe financière",
        upload=_pdf("del-2024-118.pdf"),
    )
    budget = services.budget_vote(
        operation=school,
        reference="AP-2024-07",
        amount=D("1450000.00"),
        voted_on=today - datetime.timedelta(days=580),
        schedule={
            today.year - 1: D("180000.00"),
            today.year: D("900000.00"),
            today.year + 1: D("370000.00"),
        },
        by=lead,
    )
    services.budget_revise(
        budget=budget,
        amount=D("1520000.00"),
        schedule={today.year: D("850000.00"), today.year + 1: D("490000.00")},
        reason="Désamiantage des faux plafonds découvert en cours de travaux ; report de CP",
        decided_on=today - datetime.timedelta(days=40),
        by=lead,
    )
    moe, insulation, windows = _contracts(
        school,
        [
            (0, "Maîtrise d'œuvre", "Atelier Loire Architectes", "118000.00"),
            (1, "Isolation et façades", "Bâti Centre SARL", "640000.00"),
            (2, "Menuiseries extérieures", "Menuiseries du Val", "255000.00"),
        ],
        today - datetime.timedelta(days=200),
    )
    services.amendment_record(
        contract=insulation,
        amount_ht=D("42500.00"),
        reason="Désamiantage des faux plafonds",
        signed_on=today - datetime.timedelta(days=45),
    )
    for contract, number, days_ago, amount, state in [
        (moe, "ALA-2025-031", 120, "35400.00", "paid"),
        (insulation, "BC-0412", 70, "192000.00", "paid"),
        (insulation, "BC-0455", 27, "118500.00", "certified"),
        (windows, "MV-1187", 8, "76500.00", "received"),
    ]:
        invoice = services.invoice_receive(
            contract=contract,
            number=number,
            received_on=today - datetime.timedelta(days=days_ago),
            amount_ht=D(amount),
        )
        if state in {"certified", "paid"}:
            services.invoice_certify(
                invoice=invoice, certified_on=invoice.received_on + datetime.timedelta(days=3)
            )
        if state == "paid":
            services.invoice_pay(
                invoice=invoice, paid_on=invoice.received_on + datetime.timedelta(days=21)
            )
    for title, probability, impact, mitigation in [
        (
            "Amiante dans les faux plafonds",
            3,
            3,
            "Diagnostic complémentaire et avenant de désamiantage.",
        ),
        (
            "Retard de livraison des menuiseries",
            2,
            2,
            "Pénalités prévues au marché ; suivi hebdomadaire.",
        ),
        (
            "Travaux pendant l'année scolaire",
            2,
            3,
            "Travaux bruyants pendant les vacances scolaires.",
        ),
    ]:
        services.risk_record(
            operation=school,
            title=title,
            probability=probability,
            impact=impact,
            mitigation=mitigation,
        )
    services.milestone_add(
        operation=school,
        name="Ordre de service des travaux",
        planned_on=school.phases.get(kind=Phase.Kind.WORKS).planned_start,
        achieved_on=school.phases.get(kind=Phase.Kind.WORKS).actual_start,
    )
    services.milestone_add(
        operation=school,
        name="Rentrée dans l'école rénovée",
        planned_on=school.phases.get(kind=Phase.Kind.ACCEPTANCE).planned_end,
        achieved_on=None,
    )
    services.document_add(
        operation=school,
        phase=school.phases.get(kind=Phase.Kind.PRO),
        title="Dossier PRO",
        upload=_pdf("dossier-pro.pdf"),
        by=lead,
    )
    services.document_add(
        operation=school,
        phase=school.phases.get(kind=Phase.Kind.DCE),
        title="Règlement de la consultation",
        upload=_pdf("rc.pdf"),
        by=lead,
    )
    services.photo_add(
        operation=school,
        upload=_photo("#6b4f2a"),
        caption="La façade nord sous échafaudage",
        taken_on=today - datetime.timedelta(days=30),
        is_public=True,
    )
    services.photo_add(
        operation=school,
        upload=_photo("#2a4f6b"),
        caption="Pose de l'isolant en toiture",
        taken_on=today - datetime.timedelta(days=10),
        is_public=True,
    )
    services.subscription_request(
        operation=school,
        email="camille.martin@example.fr",
        confirm_url=f"http://{host}:8000/chantiers/abonnement/{{token}}/",
    )
    services.notice_publish(
        operation=school,
        kind="road_closure",
        title="Rue Jules-Ferry fermée à la circulation",
        body="Livraison et montage de la grue : la rue est fermée entre la place de la Mairie et l'avenue des Écoles. Déviation par la rue Pasteur.",
        starts_on=today + datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=7),
        unsubscribe_url=url,
    )
    services.notice_publish(
        operation=school,
        kind="noise",
        title="Travaux bruyants de démolition",
        body="Dépose des anciennes menuiseries, de 8 h à 12 h.",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=10),
        unsubscribe_url=url,
    )

    # 2. In design studies; commitments beyond the AP: a forecast overrun.
    gym = _operation(
        authority,
        people,
        name="Construction du gymnase des Acacias",
        kind=Operation.Kind.NEW_BUILDING,
        address="Avenue des Acacias, 45999 Démo-sur-Loire",
        parcel="ZC 0087",
        start=today - datetime.timedelta(days=150),
        description="Un gymnase de 1 200 m² avec tribune de 200 places, ouvert aux écoles et aux clubs.",
    )
    _phases(gym, done=2, running=True, late={"esq"}, today=today)
    services.budget_vote(
        operation=gym,
        reference="AP-2025-02",
        amount=D("120000.00"),
        voted_on=today - datetime.timedelta(days=160),
        schedule={today.year: D("60000.00"), today.year + 1: D("60000.00")},
        by=lead,
    )
    _contracts(
        gym,
        [(0, "Maîtrise d'œuvre", "Studio Acacias Architecture", "105000.00")],
        today - datetime.timedelta(days=100),
    )
    services.risk_record(
        operation=gym,
        title="Sol argileux",
        probability=2,
        impact=3,
        mitigation="Étude géotechnique G2 avant l'APD.",
    )

    # 3. At acceptance, with reservations (one lifted).
    town_hall = _operation(
        authority,
        people,
        name="Mise en accessibilité de la mairie",
        kind=Operation.Kind.ACCESSIBILITY,
        address="1 place de la Mairie, 45999 Démo-sur-Loire",
        parcel="AB 0001",
        start=today - datetime.timedelta(days=1200),
        description="Ascenseur, rampe d'accès, banque d'accueil abaissée et sanitaires adaptés.",
    )
    _phases(town_hall, done=7, running=True, late=set(), today=today)
    services.budget_vote(
        operation=town_hall,
        reference="AP-2023-11",
        amount=D("380000.00"),
        voted_on=today - datetime.timedelta(days=1210),
        schedule={
            today.year - 2: D("60000.00"),
            today.year - 1: D("270000.00"),
            today.year: D("50000.00"),
        },
        by=lead,
    )
    _contracts(
        town_hall,
        [(1, "Ascenseur", "Élévation Centre", "98000.00")],
        today - datetime.timedelta(days=600),
    )
    services.reservation_note(
        operation=town_hall,
        description="Bouton d'appel de l'ascenseur sans braille",
        noted_on=today - datetime.timedelta(days=20),
    )
    lifted = services.reservation_note(
        operation=town_hall,
        description="Main courante de la rampe mal fixée",
        noted_on=today - datetime.timedelta(days=20),
    )
    services.reservation_lift(reservation=lifted, lifted_on=today - datetime.timedelta(days=5))

    # 4. The schools service asks for works: one request turned into an operation, one waiting.
    procedure = Procedure.objects.get(authority=authority, slug="demande-travaux")
    for building, description, convert in [
        (
            "Cantine de l'école des Tilleuls",
            "La cantine est trop petite : 40 places de plus.",
            True,
        ),
        ("École maternelle du Parc", "Remplacer les sanitaires des petits, vétustes.", False),
    ]:
        case = engine.case_start(procedure=procedure, applicant=school_agent)
        engine.case_answers_save(
            case=case,
            answers={
                "building": building,
                "address": "Démo-sur-Loire",
                "works_kind": "extension",
                "description": description,
            },
            uploads={},
            by=school_agent,
        )
        case = engine.case_submit(case=case, by=school_agent)
        if convert:
            services.operation_create_from_request(
                case=case,
                service=Service.objects.get(authority=authority, slug="patrimoine"),
                data=services.OperationData(
                    name="Extension de la cantine de l'école des Tilleuls",
                    kind=Operation.Kind.EXTENSION,
                    address="8 allée des Tilleuls, 45999 Démo-sur-Loire",
                    description=description,
                    lead=lead,
                ),
                by=lead,
                start=today - datetime.timedelta(days=30),
                requesting_service=Service.objects.get(authority=authority, slug="ecoles"),
            )
