from django.core.management import call_command

from guichet.facilities import selectors
from guichet.facilities.models import (
    Booking,
    Closure,
    EquipmentHold,
    Facility,
    FacilityReport,
    Loan,
    SeasonApplication,
    SeasonRound,
    Series,
)
from guichet.payments.models import Payment
from guichet.tenants.models import Authority

MODELS = (
    Facility,
    Booking,
    Closure,
    SeasonRound,
    SeasonApplication,
    Series,
    FacilityReport,
    Loan,
    EquipmentHold,
)


def test_the_demo_has_facilities_a_season_planning_bookings_and_a_closure(db):
    call_command("seed_demo", verbosity=0)
    first = {model.__name__: model.objects.count() for model in MODELS}
    call_command("seed_demo", verbosity=0)

    assert {model.__name__: model.objects.count() for model in MODELS} == first
    for authority in Authority.objects.all():
        bookings = Booking.objects.filter(authority=authority)
        assert Facility.objects.filter(authority=authority).count() == 6
        loans = Loan.objects.filter(authority=authority).order_by("pk")
        assert [(loan.organisation.name, loan.status) for loan in loans] == [
            ("Les Amis du Parc", "approved"),
            ("Comité des fêtes du Vieux-Bourg", "requested"),
        ]
        assert sorted(
            EquipmentHold.objects.filter(authority=authority).values_list(
                "equipment__name", "quantity"
            )
        ) == [("Chaises pliantes", 80), ("Sonorisation portable", 1)]
        assert set(bookings.values_list("audience", flat=True)) == {
            "resident",
            "association",
            "internal",
        }
        assert Series.objects.filter(authority=authority).count() == 4
        assert Closure.objects.get(authority=authority).kind == "maintenance"
        assert SeasonRound.objects.filter(authority=authority, status="open").count() == 1
        pool = Facility.objects.get(authority=authority, slug="piscine-municipale")
        assert [
            order.status for order in selectors.work_orders_open_of_facility(facility=pool)
        ] == ["started"]
        assert sorted(
            FacilityReport.objects.filter(authority=authority).values_list("status", flat=True)
        ) == ["closed", "open"]
        paid = bookings.get(paid_at__isnull=False)
        payment = Payment.objects.get(authority=authority, purpose="facilities.booking")
        assert (paid.payment_reference, payment.state) == (payment.reference, "paid")
        at_the_house = bookings.filter(unit__facility__regie__isnull=False)
        assert sorted((b.purpose, b.is_to_pay, b.is_paid) for b in at_the_house) == [
            ("Assemblée générale", False, False),  # the association's price is nil
            ("Atelier couture", True, False),
            ("Réunion de copropriété", False, True),
        ]
        assert (
            bookings.filter(organisation__isnull=False).count()
            == bookings.filter(audience="association").count()
        )


def test_the_demo_pages_render(db, client):
    from guichet.accounts.models import User

    call_command("seed_demo", verbosity=0)
    authority = Authority.objects.order_by("pk").first()
    client.defaults["HTTP_HOST"] = authority.hosts.first().host
    agent = User.objects.get(authority=authority, email__startswith="agent@")
    client.force_login(agent)
    urls = [
        "/equipements/",
        "/creneaux-saison/",
        "/mes-reservations/",
        "/agents/equipements/",
        "/agents/equipements/prets/",
        "/agents/equipements/prets/par-article/",
    ]
    for facility in Facility.objects.filter(authority=authority):
        if facility.is_listed:  # the municipal store lends equipment, it is not shown
            urls.append(f"/equipements/{facility.slug}/")
        urls += [
            f"/agents/equipements/{facility.pk}/",
            f"/agents/equipements/{facility.pk}/registre/",
            f"/agents/equipements/{facility.pk}/occupation/",
        ]
    for season in SeasonRound.objects.filter(authority=authority):
        urls += [
            f"/agents/equipements/saisons/{season.pk}/",
            f"/agents/equipements/saisons/{season.pk}/planning.pdf",
        ]
    for application in SeasonApplication.objects.filter(authority=authority):
        urls.append(f"/agents/equipements/candidatures/{application.pk}/")
    for url in urls:
        assert client.get(url).status_code == 200, url
