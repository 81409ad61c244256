"""Loans of rooms and equipment to associations: picked from the registry, held on approval,
never lent twice (rooms) nor beyond the stock (equipment), by the database itself."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from guichet.facilities import loan_services, services
from guichet.facilities.calendar import at
from guichet.facilities.models import (
    Audience,
    Booking,
    Equipment,
    EquipmentHold,
    Facility,
    Loan,
    Occupation,
)
from guichet.notifications.models import OutgoingEmail
from tests import factories
from tests.associations import factories as assoc
from tests.facilities.conftest import NOW, make_gym
from tests.facilities.test_tenant_scope import guard  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

TODAY = NOW.date()
MARCH = {day: datetime.date(2027, 3, day) for day in range(1, 32)}


def make_store(authority, *, chairs=200, sound=1):
    store = Facility.objects.create(
        authority=authority,
        service=factories.service(authority, "equipements"),
        slug="centre-technique",
        name="Centre technique municipal",
        kind=Facility.Kind.STORE,
        address="12 rue des Ateliers",
        is_listed=False,
    )
    return {
        "store": store,
        "chairs": Equipment.objects.create(
            authority=authority, facility=store, name="Chaises pliantes", stock=chairs
        ),
        "sound": Equipment.objects.create(
            authority=authority, facility=store, name="Sonorisation portable", stock=sound
        ),
    }


@pytest.fixture
def store(city, gym):
    return make_store(city)


@pytest.fixture
def treasurer(city):
    return factories.person(city, "tresoriere@example.fr", first_name="Alice", last_name="Durand")


@pytest.fixture
def organisation(city, treasurer):
    return assoc.organisation(city, treasurer)


@pytest.fixture
def festival(city, treasurer):
    return assoc.organisation(
        city, treasurer, name="Comité des fêtes du Vieux-Bourg", siret="78945612600018"
    )


@pytest.fixture
def keeper(city, gym):
    """An agent of the service that manages the gym, the rooms and the store."""
    return factories.agent(city, "magasin@example.fr", services=("equipements",))


def ask(organisation, by, first, last, *, rooms=(), equipment=(), **kwargs):
    return loan_services.loan_request(
        organisation=organisation,
        by=by,
        rooms=list(rooms),
        equipment=list(equipment),
        starts_on=MARCH[first],
        ends_on=MARCH[last],
        purpose="Fête du quartier",
        today=TODAY,
        **kwargs,
    )


# --- Overlaps: touching allowed, overlapping refused ---------------------------------------------

OVERLAPS = [
    # (first day, last day) of a second loan against one lent from the 10th to the 12th
    ((8, 9), True),  # ends the day before: touches
    ((13, 14), True),  # starts the day after: touches
    ((12, 13), False),  # shares the 12th
    ((9, 10), False),  # shares the 10th
    ((11, 11), False),  # inside
    ((9, 13), False),  # covers it
]


@pytest.mark.parametrize(("days", "allowed"), OVERLAPS)
def test_loan__the_last_sound_system__touching_lent_overlapping_refused_at_request(
    store, organisation, festival, treasurer, keeper, days, allowed
):
    first = ask(organisation, treasurer, 10, 12, equipment=[(store["sound"], 1)])
    loan_services.loan_approve(loan=first, agent=keeper)

    if allowed:
        second = ask(festival, treasurer, *days, equipment=[(store["sound"], 1)])
        loan_services.loan_approve(loan=second, agent=keeper)
        assert EquipmentHold.objects.filter(equipment=store["sound"]).count() == 2
    else:
        with pytest.raises(loan_services.LoanUnavailable) as refused:
            ask(festival, treasurer, *days, equipment=[(store["sound"], 1)])
        assert refused.value.message == (
            "Sonorisation portable : déjà prêté du 10/03/2027 au 12/03/2027 ; "
            "il en reste 0 sur 1 à ces dates."
        )
        assert Loan.objects.filter(organisation=festival).count() == 0


@pytest.mark.parametrize(("days", "allowed"), OVERLAPS)
def test_loan__the_same_room__touching_lent_overlapping_refused_by_the_database_on_approval(
    gym, organisation, festival, treasurer, keeper, days, allowed
):
    # Both asked while nothing is held: the approval is where the database decides.
    first = ask(organisation, treasurer, 10, 12, rooms=[gym.room])
    second = ask(festival, treasurer, *days, rooms=[gym.room])
    loan_services.loan_approve(loan=first, agent=keeper)

    if allowed:
        loan_services.loan_approve(loan=second, agent=keeper)
        assert Loan.objects.get(pk=second.pk).status == "approved"
    else:
        with pytest.raises(loan_services.LoanUnavailable) as refused:
            loan_services.loan_approve(loan=second, agent=keeper)
        assert refused.value.message == (
            "Maison des associations — Salle Lumière : déjà prêté du 10/03/2027 au 12/03/2027."
        )
        assert Loan.objects.get(pk=second.pk).status == "requested"
        assert Booking.objects.filter(unit=gym.room).count() == 1


def test_loan__approval_holds_whole_days_in_the_registry(gym, organisation, treasurer, keeper):
    loan = ask(organisation, treasurer, 10, 12, rooms=[gym.hall])

    loan_services.loan_approve(loan=loan, agent=keeper)

    booking = Booking.objects.get(unit=gym.hall)
    assert (booking.status, booking.audience, booking.organisation.name, booking.holder) == (
        "confirmed",
        "association",
        "Les Amis du Parc",
        None,
    )
    assert (booking.starts_at, booking.ends_at) == (
        at(MARCH[10], datetime.time(0)),
        at(MARCH[13], datetime.time(0)),
    )
    # The whole hall holds its two half courts.
    assert sorted(
        Occupation.objects.filter(booking=booking).values_list("leaf__name", flat=True)
    ) == [
        "Demi-terrain A",
        "Demi-terrain B",
    ]


# --- Quantities: never beyond the stock ---------------------------------------------------------


def test_loan__chairs__what_is_left_is_named_and_can_be_lent(
    store, organisation, festival, treasurer, keeper
):
    chairs = store["chairs"]
    loan_services.loan_approve(
        loan=ask(organisation, treasurer, 10, 12, equipment=[(chairs, 150)]), agent=keeper
    )

    with pytest.raises(loan_services.LoanUnavailable) as refused:
        ask(festival, treasurer, 12, 13, equipment=[(chairs, 51)])
    loan_services.loan_approve(
        loan=ask(festival, treasurer, 12, 13, equipment=[(chairs, 50)]), agent=keeper
    )

    assert refused.value.message == (
        "Chaises pliantes : déjà prêté du 10/03/2027 au 12/03/2027 ; "
        "il en reste 50 sur 200 à ces dates."
    )
    assert sorted(EquipmentHold.objects.values_list("quantity", flat=True)) == [50, 150]


def test_loan__chairs__the_peak_counts_not_the_sum_of_every_loan_met(
    store, organisation, festival, treasurer, keeper
):
    chairs = store["chairs"]
    for day in (10, 12):
        loan_services.loan_approve(
            loan=ask(organisation, treasurer, day, day, equipment=[(chairs, 120)]), agent=keeper
        )

    # 120 + 80 on the 10th and on the 12th, 80 on the 11th: never more than 200 at once.
    loan = ask(festival, treasurer, 10, 12, equipment=[(chairs, 80)])
    loan_services.loan_approve(loan=loan, agent=keeper)
    with pytest.raises(loan_services.LoanUnavailable):
        ask(festival, treasurer, 12, 12, equipment=[(chairs, 1)])

    assert Loan.objects.get(pk=loan.pk).status == "approved"
    assert EquipmentHold.objects.filter(equipment=chairs).count() == 3


def test_equipment_hold__the_database_refuses_more_than_the_stock(
    city, store, organisation, treasurer, keeper
):
    sound = store["sound"]
    loan = ask(organisation, treasurer, 10, 10, equipment=[(sound, 1)])
    other = ask(organisation, treasurer, 10, 10, equipment=[(sound, 1)])
    loan_services.loan_approve(loan=loan, agent=keeper)

    with pytest.raises(IntegrityError, match="facilities_over_stock"), transaction.atomic():
        EquipmentHold.objects.create(
            authority=city,
            equipment=sound,
            line=other.lines.get(),
            quantity=1,
            starts_at=at(MARCH[10], datetime.time(12)),
            ends_at=at(MARCH[11], datetime.time(0)),
        )

    assert EquipmentHold.objects.filter(equipment=sound).count() == 1


def test_loan__several_things__held_all_or_nothing(
    gym, store, organisation, festival, treasurer, keeper
):
    taken = ask(organisation, treasurer, 10, 10, equipment=[(store["sound"], 1)])
    wanted = ask(
        festival,
        treasurer,
        10,
        10,
        rooms=[gym.room],
        equipment=[(store["chairs"], 30), (store["sound"], 1)],
    )
    loan_services.loan_approve(loan=taken, agent=keeper)

    with pytest.raises(loan_services.LoanUnavailable):
        loan_services.loan_approve(loan=wanted, agent=keeper)

    assert Booking.objects.filter(unit=gym.room).count() == 0
    assert EquipmentHold.objects.filter(equipment=store["chairs"]).count() == 0
    assert Loan.objects.get(pk=wanted.pk).status == "requested"


# --- Loans and bookings of residents hold the same registry ------------------------------------


def test_loan__blocks_a_residents_booking_of_the_same_room(
    gym, organisation, treasurer, keeper, resident
):
    loan_services.loan_approve(
        loan=ask(organisation, treasurer, 2, 2, rooms=[gym.hall]), agent=keeper
    )

    with pytest.raises(services.SlotTaken):
        services.booking_request(
            unit=gym.half_b,
            holder=resident,
            audience=Audience.RESIDENT,
            starts_at=at(MARCH[2], datetime.time(10)),
            ends_at=at(MARCH[2], datetime.time(11)),
            purpose="Badminton",
            now=NOW,
        )

    assert Booking.objects.filter(holder=resident).count() == 0


def _resident_books_the_room(gym, resident):
    return services.booking_request(
        unit=gym.room,
        holder=resident,
        audience=Audience.RESIDENT,
        starts_at=at(MARCH[2], datetime.time(18)),
        ends_at=at(MARCH[2], datetime.time(20)),
        purpose="Réunion de copropriété",
        now=NOW,
    )


def test_residents_booking__blocks_a_loan_request_of_the_same_room(
    gym, organisation, treasurer, resident
):
    _resident_books_the_room(gym, resident)

    with pytest.raises(loan_services.LoanUnavailable) as refused:
        ask(organisation, treasurer, 1, 3, rooms=[gym.room])

    assert refused.value.message == (
        "Maison des associations — Salle Lumière : "
        "déjà réservé du 02/03/2027 18:00 au 02/03/2027 20:00."
    )
    assert Loan.objects.count() == 0


def test_residents_booking__made_while_the_loan_waits__stops_its_approval(
    gym, organisation, treasurer, keeper, resident
):
    loan = ask(organisation, treasurer, 2, 2, rooms=[gym.room])
    _resident_books_the_room(gym, resident)

    with pytest.raises(loan_services.LoanUnavailable) as refused:
        loan_services.loan_approve(loan=loan, agent=keeper)

    assert refused.value.message == (
        "Maison des associations — Salle Lumière : "
        "déjà réservé du 02/03/2027 18:00 au 02/03/2027 20:00."
    )
    assert Loan.objects.get(pk=loan.pk).status == "requested"


def test_loan__cancelled_by_an_agent__frees_the_room_and_the_equipment(
    gym, store, organisation, treasurer, keeper, resident
):
    loan = ask(organisation, treasurer, 2, 2, rooms=[gym.room], equipment=[(store["sound"], 1)])
    loan_services.loan_approve(loan=loan, agent=keeper)

    loan_services.loan_cancel(loan=loan, agent=keeper, comment="Fête reportée.")
    booking = _resident_books_the_room(gym, resident)

    assert booking.status == "confirmed"
    assert EquipmentHold.objects.count() == 0
    assert Booking.objects.get(loan_line__loan=loan).status == "cancelled"
    assert Loan.objects.get(pk=loan.pk).status == "cancelled"


# --- Asking: who, what, bad input ----------------------------------------------------------------


def test_loan_request__refuses_someone_who_does_not_represent_the_organisation(
    city, store, organisation
):
    stranger = factories.resident(city, "inconnu@example.fr")

    with pytest.raises(loan_services.DomainError):
        ask(organisation, stranger, 10, 10, equipment=[(store["sound"], 1)])

    assert Loan.objects.count() == 0


def test_loan_request__refuses_another_authoritys_equipment(
    other_city, store, organisation, treasurer
):
    elsewhere = make_store(other_city)

    with pytest.raises(loan_services.DomainError) as refused:
        ask(organisation, treasurer, 10, 10, equipment=[(elsewhere["chairs"], 10)])

    assert refused.value.message == "Salle ou matériel inconnu."
    assert Loan.objects.count() == 0


# --- Through the pages, without JavaScript -------------------------------------------------------


def _form(store, gym, **values):
    return {
        "starts_on": "2027-03-10",
        "ends_on": "2027-03-11",
        "purpose": "Fête du parc",
        "request_key": "formulaire-1",
        f"room_{gym.room.pk}": "on",
        f"equipment_{store['chairs'].pk}": "120",
        f"equipment_{store['sound'].pk}": "1",
    } | values


@pytest.fixture
def treasurer_client(client, treasurer):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(treasurer)
    return client


def test_loan_page__a_conflict_is_named_and_what_was_typed_is_kept(
    treasurer_client, gym, store, organisation, festival, treasurer, keeper
):
    loan_services.loan_approve(
        loan=ask(festival, treasurer, 11, 11, equipment=[(store["sound"], 1)]), agent=keeper
    )
    url = reverse("frontoffice:associations_loan", args=[organisation.pk])

    refused = treasurer_client.post(url, _form(store, gym))
    page = refused.content.decode()

    assert refused.status_code == 422
    assert (
        "Sonorisation portable : déjà prêté du 11/03/2027 au 11/03/2027 ; "
        "il en reste 0 sur 1 à ces dates." in page
    )
    assert f'name="equipment_{store["chairs"].pk}" value="120"' in page
    assert f'name="room_{gym.room.pk}" id="id_room_{gym.room.pk}" checked' in page
    assert 'value="Fête du parc"' in page
    assert 'value="2027-03-10"' in page
    assert Loan.objects.filter(organisation=organisation).count() == 0


def test_loan_page__asked_twice_with_the_same_form_makes_one_loan(
    treasurer_client, gym, store, organisation
):
    url = reverse("frontoffice:associations_loan", args=[organisation.pk])

    first = treasurer_client.post(url, _form(store, gym))
    second = treasurer_client.post(url, _form(store, gym))

    assert (first.status_code, second.status_code) == (302, 302)
    loan = Loan.objects.get(organisation=organisation)
    assert (loan.starts_on, loan.ends_on, loan.status, loan.requested_by.email) == (
        MARCH[10],
        MARCH[11],
        "requested",
        "tresoriere@example.fr",
    )
    assert sorted(str(line) for line in loan.lines.all()) == [
        "1 × Sonorisation portable",  # noqa: RUF001
        "120 × Chaises pliantes",  # noqa: RUF001
        "Maison des associations — Salle Lumière",
    ]


def test_loan_page__nothing_chosen_is_refused_clearly(treasurer_client, gym, store, organisation):
    url = reverse("frontoffice:associations_loan", args=[organisation.pk])

    response = treasurer_client.post(
        url,
        _form(store, gym)
        | {
            f"room_{gym.room.pk}": "",
            f"equipment_{store['chairs'].pk}": "0",
            f"equipment_{store['sound'].pk}": "",
        },
    )

    assert response.status_code == 422
    assert "Choisissez au moins une salle ou un matériel." in response.content.decode()
    assert Loan.objects.count() == 0


def test_backoffice__the_keeper_approves_and_the_treasurer_is_told(
    client, gym, store, organisation, treasurer, keeper
):
    loan = ask(organisation, treasurer, 10, 11, equipment=[(store["chairs"], 40)])
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(keeper)

    page = client.get(reverse("backoffice:facilities_loans"))
    response = client.post(
        reverse("backoffice:facilities_loan_decide", args=[loan.pk]),
        {"decision": "approve", "comment": "Retrait au centre technique."},
    )
    by_item = client.get(reverse("backoffice:facilities_loans_by_item")).content.decode()

    assert page.status_code == 200
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.status, loan.decided_by, loan.comment) == (
        "approved",
        keeper,
        "Retrait au centre technique.",
    )
    assert EquipmentHold.objects.get().quantity == 40
    assert (
        OutgoingEmail.objects.filter(to=treasurer.email, subject__contains="accordé").count() == 1
    )
    assert loan.reference in by_item
    assert "Chaises pliantes" in by_item


def test_backoffice__an_agent_of_another_service_or_authority_cannot_decide(
    client, city, other_city, gym, store, organisation, treasurer
):
    loan = ask(organisation, treasurer, 10, 11, equipment=[(store["chairs"], 40)])
    outsiders = [
        (factories.agent(city, "etat-civil@example.fr"), "ville-a.localhost"),
        (
            factories.agent(other_city, "agent-b@example.fr", services=("equipements",)),
            "ville-b.localhost",
        ),
    ]
    for agent, host in outsiders:
        client.defaults["HTTP_HOST"] = host
        client.force_login(agent)

        listed = client.get(reverse("backoffice:facilities_loans")).content.decode()
        decided = client.post(
            reverse("backoffice:facilities_loan_decide", args=[loan.pk]), {"decision": "approve"}
        )
        by_item = client.get(reverse("backoffice:facilities_loans_by_item")).content.decode()

        assert decided.status_code == 404
        assert loan.reference not in listed
        assert "Chaises pliantes" not in by_item
    loan.refresh_from_db()
    assert loan.status == "requested"
    assert EquipmentHold.objects.count() == 0


def test_organisation_page__lists_only_the_authoritys_rooms_and_equipment(
    treasurer_client, other_city, gym, store, organisation
):
    make_gym(other_city, slug="gymnase-b")
    elsewhere = make_store(other_city)

    page = treasurer_client.get(
        reverse("frontoffice:associations_organisation", args=[organisation.pk])
    ).content.decode()

    assert f'name="equipment_{store["chairs"].pk}"' in page
    assert f'name="equipment_{elsewhere["chairs"].pk}"' not in page
    assert page.count('name="room_') == 4  # the hall, its two halves, the room of city A


def test_registry__an_agent_adds_equipment_to_the_store(client, city, store, keeper):
    from tests.facilities.test_registry import form_values

    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(keeper)
    url = reverse("backoffice:facilities_registry", args=[store["store"].pk])
    values = form_values(client.get(url).content.decode())
    values.update(
        {
            "equipment-2-name": "Barrières de sécurité",
            "equipment-2-stock": "50",
            "equipment-2-description": "Barrières Vauban de 2 m.",
        }
    )

    response = client.post(url, values)

    assert response.status_code == 302
    added = Equipment.objects.get(name="Barrières de sécurité")
    assert (added.authority, added.facility, added.stock) == (city, store["store"], 50)
    assert Equipment.objects.filter(facility=store["store"]).count() == 3


def test_the_loan_pages_scope_every_query(
    treasurer_client,
    gym,
    store,
    organisation,
    festival,
    treasurer,
    keeper,
    guard,  # noqa: F811
):
    loan_services.loan_approve(
        loan=ask(festival, treasurer, 11, 11, equipment=[(store["sound"], 1)]), agent=keeper
    )
    organisation_url = reverse("frontoffice:associations_organisation", args=[organisation.pk])
    loan_url = reverse("frontoffice:associations_loan", args=[organisation.pk])

    pages = [treasurer_client.get(organisation_url).status_code]
    pages.append(treasurer_client.post(loan_url, _form(store, gym)).status_code)
    pages.append(
        treasurer_client.post(
            loan_url, _form(store, gym) | {f"equipment_{store['sound'].pk}": ""}
        ).status_code
    )
    treasurer_client.force_login(keeper)
    loan = Loan.objects.get(organisation=organisation)
    pages.append(treasurer_client.get(reverse("backoffice:facilities_loans")).status_code)
    pages.append(
        treasurer_client.post(
            reverse("backoffice:facilities_loan_decide", args=[loan.pk]), {"decision": "approve"}
        ).status_code
    )
    pages.append(
        treasurer_client.post(
            reverse("backoffice:facilities_loan_decide", args=[loan.pk]), {"decision": "cancel"}
        ).status_code
    )
    pages.append(treasurer_client.get(reverse("backoffice:facilities_loans_by_item")).status_code)

    assert pages == [200, 422, 302, 200, 302, 302, 200]
    assert Loan.objects.get(pk=loan.pk).status == "cancelled"
    assert guard == []


def test_loan__a_room_keeps_the_associations_buffer_after_it(
    gym, organisation, festival, treasurer, keeper
):
    gym.room_facility.rules.filter(audience=Audience.ASSOCIATION).update(buffer_minutes=60)
    loan_services.loan_approve(
        loan=ask(organisation, treasurer, 10, 10, rooms=[gym.room]), agent=keeper
    )

    with pytest.raises(loan_services.LoanUnavailable) as refused:
        ask(festival, treasurer, 11, 11, rooms=[gym.room])

    assert refused.value.message == (
        "Maison des associations — Salle Lumière : déjà prêté du 10/03/2027 au 10/03/2027."
    )
    occupation = Occupation.objects.get(booking__unit=gym.room)
    assert occupation.ends_at == at(MARCH[11], datetime.time(1))
