"""Services to individuals in the demo: a relayed civil-status request; in the city, a family
with children enrolled, attendance, last month's invoice to pay online and a leisure session
almost full; in the département, an APA case decided, with its payment plan."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import Membership, Service, User
from guichet.accounts.services import user_username
from guichet.individuals import school, social_aid
from guichet.individuals.models import (
    Activity,
    AidApplication,
    Creche,
    Enrolment,
    PriceBracket,
    Session,
)
from guichet.individuals.services import CivilStatusInput, civil_status_request_file
from guichet.payments.models import Regie
from guichet.tenants.models import Authority

GRIDS = {
    "canteen": ("Restaurant scolaire", ["0.95", "2.10", "3.40", "4.60"]),
    "after_school": ("Accueil périscolaire du soir", ["0.80", "1.60", "2.50", "3.20"]),
    "leisure": ("Centre de loisirs des Tilleuls", ["4.50", "8.00", "12.50", "16.00"]),
}
CEILINGS = ["400", "800", "1200", None]


@transaction.atomic
def seed(authority: Authority, people: dict[str, User]) -> None:
    _memberships(authority, people)
    # Civil status and schools are the commune's; social aid (APA, PCH, RSA) the département's.
    if authority.kind == Authority.Kind.DEPARTEMENT:
        _social_aid(authority, people)
    else:
        _relayed_request(authority)
        _school(authority, people)


def _memberships(authority: Authority, people: dict[str, User]) -> None:
    for slug in ("aide-sociale", "enfance"):
        service = Service.objects.get(authority=authority, slug=slug)
        for local, role in (("agent", "agent"), ("responsable", "manager")):
            Membership.objects.get_or_create(
                authority=authority, user=people[local], service=service, defaults={"role": role}
            )


def _relayed_request(authority: Authority) -> None:
    civil_status_request_file(
        authority=authority,
        given=CivilStatusInput(
            act_type="birth",
            copy_kind="full",
            relationship="descendant",
            person_last_name="Petit",
            person_first_names="Louise",
            event_date=datetime.date(1948, 3, 2),
            event_place="Démo-sur-Loire",
            parents="Henri Petit et Marthe Leroy",
            requester_first_name="Jean",
            requester_last_name="Petit",
            requester_email="jean.petit@example.fr",
            delivery_address="3 place de la Mairie, 45999 Démo-sur-Loire",
            copies=1,
        ),
        applicant=None,
        channel="partner",
        partner="Portail national (démo)",
        idempotency_key="demo:relay-0001",
    )


def _school(authority: Authority, people: dict[str, User]) -> None:
    regie, _ = Regie.objects.get_or_create(
        authority=authority,
        slug="enfance",
        defaults={
            "name": "Régie enfance et restauration",
            "merchant_id": f"{authority.slug}-enfance",
            "secret": f"demo-{authority.slug}-secret",
        },
    )
    activities = {}
    for kind, (name, prices) in GRIDS.items():
        activity, created = Activity.objects.get_or_create(
            authority=authority, kind=kind, name=name, defaults={"regie": regie}
        )
        if created:
            for ceiling, price in zip(CEILINGS, prices, strict=True):
                PriceBracket.objects.create(
                    authority=authority,
                    activity=activity,
                    quotient_max=Decimal(ceiling) if ceiling else None,
                    unit_price=Decimal(price),
                )
        activities[kind] = activity
    today = timezone.localdate()
    session, _ = Session.objects.get_or_create(
        authority=authority,
        activity=activities["leisure"],
        name="Vacances d'été — semaine 1",
        defaults={
            "starts_on": today + datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=34),
            "capacity": 12,
        },
    )
    Session.objects.get_or_create(
        authority=authority,
        activity=activities["leisure"],
        name="Mercredis récréatifs",
        defaults={
            "starts_on": today + datetime.timedelta(days=7),
            "ends_on": today + datetime.timedelta(days=90),
            "capacity": 24,
        },
    )
    camille = people["camille"]
    household = school.household_for(user=camille)
    if household.children.exists():
        return
    school.quotient_set(household=household, quotient=Decimal("720"), source="agent")
    lea = school.child_add(
        household=household,
        first_name="Léa",
        last_name="Martin",
        birth_date=datetime.date(2018, 5, 3),
        school="École Jules-Ferry",
        school_class="CE2",
    )
    school.child_add(
        household=household,
        first_name="Tom",
        last_name="Martin",
        birth_date=datetime.date(2021, 9, 14),
        school="École Jules-Ferry",
        school_class="Petite section",
    )
    canteen = school.activity_enrol(
        child=lea, activity=activities["canteen"], weekdays=[0, 1, 3, 4]
    )
    evening = school.activity_enrol(child=lea, activity=activities["after_school"], weekdays=[1, 3])
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    last_month = last_month_end.replace(day=1)
    day = last_month
    while day <= last_month_end:
        for enrolment in (canteen, evening):
            if day.weekday() in enrolment.weekdays:
                school.attendance_record(
                    enrolment=enrolment, date=day, is_present=day.day != 12, by=people["agent"]
                )
        day += datetime.timedelta(days=1)
    school.invoice_issue(household=household, regie=regie, month=last_month)
    Creche.objects.get_or_create(
        authority=authority, name="Crèche des Petits Pas", defaults={"capacity": 2}
    )
    school.creche_request_file(
        household=household,
        child=household.children.get(first_name="Tom"),
        date_needed=today + datetime.timedelta(days=60),
        weekdays=[0, 1, 3, 4],
        criteria=["both_working"],
    )
    # The session fills up: 11 of 12 places taken by other families.
    for number in range(11):
        parent = _parent(authority, number)
        other = school.household_for(user=parent)
        child = other.children.first() or school.child_add(
            household=other,
            first_name=f"Enfant {number + 1}",
            last_name=parent.last_name,
            birth_date=datetime.date(2017, 1, 1) + datetime.timedelta(days=90 * number),
        )
        if not Enrolment.objects.filter(child=child, session=session).exists():
            school.session_enrol(child=child, session=session)


def _parent(authority: Authority, number: int) -> User:
    email = f"famille{number + 1}@example.fr"
    user, _ = User.objects.get_or_create(
        authority=authority,
        email=email,
        defaults={
            "username": user_username(authority=authority, email=email),
            "last_name": f"Famille{number + 1}",
            "is_email_verified": True,
        },
    )
    return user


def _social_aid(authority: Authority, people: dict[str, User]) -> None:
    camille, agent = people["camille"], people["agent"]
    if AidApplication.objects.filter(authority=authority).exists():
        return
    decided = social_aid.aid_apply(
        authority=authority,
        applicant=camille,
        kind="apa",
        household_size=1,
        household="",
        monthly_resources=Decimal("1180.00"),
    )
    social_aid.aid_appointment_set(
        application=decided,
        at=timezone.now() - datetime.timedelta(days=20),
        place="à domicile, 12 rue des Lilas",
        by=agent,
    )
    social_aid.aid_decide(
        application=decided,
        by=agent,
        gir=3,
        monthly_amount=Decimal("642.30"),
        start_date=timezone.localdate().replace(day=1),
    )
