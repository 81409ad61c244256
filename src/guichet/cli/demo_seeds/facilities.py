"""Facilities in the demo: a gym with half courts, a festive hall, a meeting house, a pool
under maintenance (a reported problem and its work order) and a stadium; bookings by
residents (one paid online), an association and a service; a season planning granted to
the sports clubs, and the next season open to applications; a municipal store whose
chairs, tables, stands and sound system are lent to the demo associations (one loan
granted, one waiting for an agent)."""

import contextlib
import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.accounts import services as accounts
from guichet.accounts.models import Organisation, Service, User
from guichet.core.errors import DomainError
from guichet.facilities import loan_services, selectors, services
from guichet.facilities.calendar import OpeningCalendar, at
from guichet.facilities.models import (
    Audience,
    AudienceRule,
    Booking,
    Closure,
    Equipment,
    Facility,
    OpeningHours,
    Price,
    SeasonRound,
    Unit,
)
from guichet.interventions import services as interventions
from guichet.payments.models import Payment, Regie
from guichet.tenants.models import Authority

T = datetime.time

FACILITIES: list[dict[str, Any]] = [
    {
        "slug": "gymnase-jean-moulin",
        "name": "Gymnase Jean-Moulin",
        "kind": Facility.Kind.GYM,
        "address": "4 rue du Stade",
        "capacity": 300,
        "step_free": True,
        "accessibility": "Accès de plain-pied, vestiaires et sanitaires adaptés, places réservées au parking.",
        "hours": [(d, T(8), T(22)) for d in range(6)] + [(6, T(9), T(18))],
        "units": [
            ("Grande salle", 300, None),
            ("Demi-terrain A", 120, 0),
            ("Demi-terrain B", 120, 0),
        ],
        "prices": {
            0: {"resident": "30.00", "association": "8.00"},
            1: {"resident": "18.00", "association": "5.00"},
            2: {"resident": "18.00", "association": "5.00"},
        },
    },
    {
        "slug": "salle-des-fetes",
        "name": "Salle des fêtes",
        "kind": Facility.Kind.HALL,
        "address": "2 place de la Mairie",
        "capacity": 200,
        "step_free": True,
        "accessibility": "Accès de plain-pied, boucle magnétique.",
        "hours": [(d, T(9), T(23, 59)) for d in range(7)],
        "units": [("Salle principale", 200, None)],
        "prices": {0: {"resident": "45.00", "association": "15.00"}},
    },
    {
        "slug": "maison-des-associations",
        "name": "Maison des associations",
        "kind": Facility.Kind.MEETING_ROOM,
        "address": "18 avenue de la République",
        "capacity": 60,
        "step_free": False,
        "accessibility": "Salle Lumière au rez-de-chaussée ; salle Curie à l'étage sans ascenseur.",
        "hours": [(d, T(8), T(22)) for d in range(6)],
        "units": [("Salle Lumière", 40, None), ("Salle Curie", 20, None)],
        "prices": {0: {"resident": "12.50"}, 1: {"resident": "8.00"}},
    },
    {
        "slug": "piscine-municipale",
        "name": "Piscine municipale",
        "kind": Facility.Kind.POOL,
        "address": "1 allée des Sports",
        "capacity": 150,
        "step_free": True,
        "accessibility": "Fauteuil de mise à l'eau, vestiaire adapté.",
        "hours": [(d, T(7), T(21)) for d in range(6)],
        "units": [
            ("Bassin sportif", 100, None),
            ("Ligne d'eau 1", 10, 0),
            ("Ligne d'eau 2", 10, 0),
        ],
        "prices": {},
    },
    {
        "slug": "stade-municipal",
        "name": "Stade municipal",
        "kind": Facility.Kind.STADIUM,
        "address": "Route de la Loire",
        "capacity": 800,
        "step_free": True,
        "accessibility": "Tribune avec emplacements pour fauteuils.",
        "hours": [(d, T(8), T(22)) for d in range(7)],
        "units": [("Terrain d'honneur", 800, None), ("Terrain synthétique", 200, None)],
        "prices": {0: {"resident": "60.00", "association": "20.00"}},
    },
]

# The sports clubs of the season planning; their president is the demo's Jean.
CLUBS = {
    "basket": ("Basket Club de Démo", "44891234000016", "Sport"),
    "badminton": ("Badminton Loisirs", "44891234000024", "Sport"),
    "handball": ("Handball Démo", "44891234000032", "Sport"),
    "football": ("Football Club Démo", "44891234000040", "Sport"),
    "gym": ("Gym Volontaire", "44891234000057", "Sport"),
}

RULES = {
    Audience.RESIDENT: {
        "needs_approval": False,
        "min_notice_hours": 48,
        "max_days_ahead": 90,
        "max_duration_minutes": 480,
        "buffer_minutes": 30,
    },
    Audience.ASSOCIATION: {
        "needs_approval": True,
        "min_notice_hours": 72,
        "max_days_ahead": 365,
        "max_duration_minutes": 600,
        "buffer_minutes": 0,
    },
    Audience.INTERNAL: {
        "needs_approval": False,
        "min_notice_hours": 0,
        "max_days_ahead": 730,
        "max_duration_minutes": 900,
        "buffer_minutes": 0,
    },
}


def seed(authority: Authority, people: dict[str, User]) -> None:
    if Facility.objects.filter(authority=authority).exists():
        return
    with transaction.atomic():
        service, _ = Service.objects.get_or_create(
            authority=authority, slug="equipements", defaults={"name": "Équipements publics"}
        )
        regie, _ = Regie.objects.get_or_create(
            authority=authority,
            slug="equipements",
            defaults={
                "name": "Régie des équipements publics",
                "merchant_id": f"{authority.slug}-equipements",
                "secret": f"demo-{authority.slug}-equipements",
            },
        )
        made = {spec["slug"]: _facility(authority, service, spec) for spec in FACILITIES}
        rooms = made["maison-des-associations"]["facility"]
        rooms.regie = regie
        rooms.save(update_fields=["regie"])
        clubs = {
            key: _club(authority, people["camille" if key == "gym" else "jean"], *spec)
            for key, spec in CLUBS.items()
        }
        _bookings(service, people, made, clubs)
        _maintenance(people, made)
        _seasons(authority, people, made, clubs)
        _loans(authority, service, people, made)


def _club(authority: Authority, by: User, name: str, siret: str, purpose: str) -> Organisation:
    return accounts.organisation_register(
        authority=authority,
        by=by,
        name=name,
        siret=siret,
        rna="",
        address="Démo-sur-Loire",
        purpose=purpose,
        role="president",
    )


def _facility(authority: Authority, service: Service, spec: dict[str, Any]) -> dict[str, Any]:
    facility = Facility.objects.create(
        authority=authority,
        service=service,
        **{
            k: spec[k]
            for k in ("slug", "name", "kind", "address", "capacity", "step_free", "accessibility")
        },
    )
    for weekday, opens, closes in spec["hours"]:
        OpeningHours.objects.create(
            authority=authority, facility=facility, weekday=weekday, opens=opens, closes=closes
        )
    units: list[Unit] = []
    for position, (name, capacity, parent) in enumerate(spec["units"]):
        units.append(
            Unit.objects.create(
                authority=authority,
                facility=facility,
                name=name,
                capacity=capacity,
                position=position,
                parent=units[parent] if parent is not None else None,
            )
        )
    for audience, rule in RULES.items():
        if audience == Audience.RESIDENT and facility.kind == Facility.Kind.POOL:
            continue
        AudienceRule.objects.create(
            authority=authority, facility=facility, audience=audience, **rule
        )
    for index, prices in spec["prices"].items():
        for audience, hourly in prices.items():
            Price.objects.create(
                authority=authority, unit=units[index], audience=audience, hourly=Decimal(hourly)
            )
    return {"facility": facility, "units": units}


def _open_day(
    facility: Facility, start: datetime.date, weekday: int | None = None
) -> datetime.date:
    day = start
    calendar = OpeningCalendar(facility, start, start + datetime.timedelta(days=60))
    while calendar.day_closed(day) or (weekday is not None and day.weekday() != weekday):
        day += datetime.timedelta(days=1)
    return day


def _book(day: datetime.date, start: int, end: int, **kwargs: Any) -> Booking | None:
    # a demo slot that the calendar does not allow (a closure, a holiday) is skipped
    with contextlib.suppress(DomainError):
        return services.booking_request(
            starts_at=at(day, T(start)), ends_at=at(day, T(end)), **kwargs
        )
    return None


def _paid_online(booking: Booking) -> None:
    """What the bank's signed answer does (see `frontoffice.payments`), without a browser:
    the payment is recorded paid and the booking settled by it."""
    payment = services.booking_payment_start(booking=booking, payer=booking.holder)  # type: ignore[arg-type]
    Payment.objects.filter(pk=payment.pk).update(
        state=Payment.State.PAID, settled_at=timezone.now(), transaction_id="DEMO-0001"
    )
    payment.refresh_from_db()
    services.booking_settle(payment)


def _bookings(
    service: Service,
    people: dict[str, User],
    made: dict[str, Any],
    clubs: dict[str, Organisation],
) -> None:
    today = timezone.localdate()
    hall = made["salle-des-fetes"]
    rooms = made["maison-des-associations"]
    gym = made["gymnase-jean-moulin"]
    camille, jean, agent = people["camille"], people["jean"], people["agent"]
    saturday = _open_day(hall["facility"], today + datetime.timedelta(days=10), weekday=5)
    _book(
        saturday,
        14,
        22,
        unit=hall["units"][0],
        holder=camille,
        audience=Audience.RESIDENT,
        purpose="Anniversaire de mariage",
        attendance=80,
    )
    tuesday = _open_day(rooms["facility"], today + datetime.timedelta(days=5), weekday=1)
    paid = _book(
        tuesday,
        18,
        20,
        unit=rooms["units"][0],
        holder=jean,
        audience=Audience.RESIDENT,
        purpose="Réunion de copropriété",
        attendance=25,
    )
    if paid is not None:
        _paid_online(paid)
    _book(
        tuesday,
        10,
        12,
        unit=rooms["units"][1],
        holder=camille,
        audience=Audience.RESIDENT,
        purpose="Atelier couture",
        attendance=8,
    )  # still to pay
    _book(
        tuesday + datetime.timedelta(days=14),
        20,
        22,
        unit=rooms["units"][1],
        holder=camille,
        audience=Audience.ASSOCIATION,
        organisation=clubs["gym"],
        purpose="Assemblée générale",
        attendance=18,
    )
    wednesday = _open_day(gym["facility"], today + datetime.timedelta(days=7), weekday=2)
    _book(
        wednesday,
        9,
        12,
        unit=gym["units"][0],
        holder=agent,
        audience=Audience.INTERNAL,
        service=service,
        by_agent=agent,
        purpose="Rencontres sportives des écoles",
        attendance=150,
    )
    pool = made["piscine-municipale"]["facility"]
    closure_start = today + datetime.timedelta(days=3)
    _book(
        _open_day(pool, closure_start),
        10,
        12,
        unit=made["piscine-municipale"]["units"][1],
        holder=agent,
        audience=Audience.INTERNAL,
        service=service,
        by_agent=agent,
        purpose="Natation scolaire",
        attendance=28,
    )
    services.closure_create(
        facility=pool,
        kind=Closure.Kind.MAINTENANCE,
        starts_on=closure_start,
        ends_on=closure_start + datetime.timedelta(days=20),
        reason="Vidange annuelle et réparation du système de filtration",
    )


def _maintenance(people: dict[str, User], made: dict[str, Any]) -> None:
    """The pool's filtration reported by its agent: a work order under way; and a resident's
    report at the gym, already repaired."""
    pool = made["piscine-municipale"]
    _report, order = services.facility_report_file(
        facility=pool["facility"],
        reporter=people["agent"],
        unit=pool["units"][0],
        description="Pompe de filtration bruyante, eau trouble dans le bassin sportif.",
    )
    interventions.work_order_start(work_order=order, by=people["agent"])
    gym = made["gymnase-jean-moulin"]
    _report, order = services.facility_report_file(
        facility=gym["facility"],
        reporter=people["camille"],
        unit=gym["units"][1],
        description="Un panneau de basket est mal fixé sur le demi-terrain A.",
    )
    interventions.work_order_close(
        work_order=order, by=people["agent"], comment="Panneau refixé et contrôlé."
    )


def _seasons(
    authority: Authority,
    people: dict[str, User],
    made: dict[str, Any],
    clubs: dict[str, Organisation],
) -> None:
    today = timezone.localdate()
    starts = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    current = SeasonRound.objects.create(
        authority=authority,
        name=f"Saison {starts.year}-{starts.year + 1}",
        season_starts=starts,
        season_ends=datetime.date(starts.year + 1, 6, 30),
        applications_close=datetime.date(starts.year, 6, 30),
        status=SeasonRound.Status.OPEN,
    )
    gym = made["gymnase-jean-moulin"]["units"]
    stadium = made["stade-municipal"]["units"]
    club = people["jean"]
    requests = [
        (gym[1], clubs["basket"], 1, 18, 20, "Entraînement des jeunes"),
        (gym[2], clubs["badminton"], 1, 18, 20, "Badminton loisir"),
        (gym[0], clubs["handball"], 3, 19, 21, "Entraînement seniors"),
        (stadium[1], clubs["football"], 2, 17, 19, "École de football"),
    ]
    applications = [
        services.season_apply(
            season=current,
            unit=unit,
            holder=club,
            organisation=organisation,
            weekday=weekday,
            starts=T(s),
            ends=T(e),
            activity=activity,
        )
        for unit, organisation, weekday, s, e, activity in requests
    ]
    services.season_round_advance(season=current)  # allocation
    for application in applications:
        free = [
            o.day for o in selectors.season_occurrences(application=application) if not o.conflicts
        ]
        if free:
            services.season_approve(
                application=application, dates=free, agent=people["responsable"]
            )
    services.season_round_advance(season=current)  # results sent
    following = SeasonRound.objects.create(
        authority=authority,
        name=f"Saison {starts.year + 1}-{starts.year + 2}",
        season_starts=datetime.date(starts.year + 1, 9, 1),
        season_ends=datetime.date(starts.year + 2, 6, 30),
        applications_close=datetime.date(starts.year + 1, 6, 15),
        status=SeasonRound.Status.OPEN,
    )
    services.season_apply(
        season=following,
        unit=gym[0],
        holder=club,
        organisation=clubs["handball"],
        weekday=3,
        starts=T(19),
        ends=T(21),
        activity="Entraînement seniors",
    )
    services.season_apply(
        season=following,
        unit=gym[1],
        holder=people["camille"],
        organisation=clubs["gym"],
        weekday=3,
        starts=T(20),
        ends=T(22),
        activity="Gymnastique douce",
    )


EQUIPMENT = [
    ("Chaises pliantes", 200, "Par lots de 10, sur chariot."),
    ("Tables pliantes", 40, "180 cm sur 80 cm, 8 personnes."),
    ("Stands de 3 m sur 3 m", 12, "Barnums blancs avec lestage."),
    ("Sonorisation portable", 1, "Deux enceintes, table de mixage, deux micros sans fil."),
]


def _loans(
    authority: Authority, service: Service, people: dict[str, User], made: dict[str, Any]
) -> None:
    store = Facility.objects.create(
        authority=authority,
        service=service,
        slug="centre-technique",
        name="Centre technique municipal",
        kind=Facility.Kind.STORE,
        address="12 rue des Ateliers",
        accessibility="Retrait et retour du matériel au quai de chargement.",
        is_listed=False,  # lends equipment; nothing to book there
    )
    equipment = {
        name: Equipment.objects.create(
            authority=authority, facility=store, name=name, stock=stock, description=description
        )
        for name, stock, description in EQUIPMENT
    }
    organisations = {
        o.name: o for o in Organisation.objects.filter(authority=authority).order_by("pk")
    }
    park = organisations.get("Les Amis du Parc")
    festival = organisations.get("Comité des fêtes du Vieux-Bourg")
    if park is None or festival is None:
        return
    today = timezone.localdate()
    granted = loan_services.loan_request(
        organisation=park,
        by=people["camille"],
        rooms=[],
        equipment=[(equipment["Chaises pliantes"], 80), (equipment["Sonorisation portable"], 1)],
        starts_on=today + datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=41),
        purpose="Fête du parc",
    )
    loan_services.loan_approve(
        loan=granted, agent=people["agent"], comment="Retrait au centre technique la veille."
    )
    loan_services.loan_request(
        organisation=festival,
        by=people["jean"],
        rooms=[made["salle-des-fetes"]["units"][0]],
        equipment=[(equipment["Tables pliantes"], 20), (equipment["Chaises pliantes"], 120)],
        starts_on=today + datetime.timedelta(days=41),
        ends_on=today + datetime.timedelta(days=41),
        purpose="Repas des aînés",
    )
