import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from guichet.individuals import school
from guichet.individuals.models import Attendance, Enrolment
from tests import factories
from tests.individuals.school_factories import activity_with_grid, household_with_child

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2027, 3, 1)


@pytest.fixture
def school_agent(city):
    return factories.agent(city, "enfance@example.fr", services=("enfance",))


@pytest.fixture
def school_client(client, school_agent):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(school_agent)
    return client


def test_roll_call__lists_the_children_expected_and_records_who_came(school_client, city, resident):
    canteen = activity_with_grid(city)
    _household, lea = household_with_child(resident)
    other = factories.person(city, "b@example.fr", last_name="Bernard")
    _h2, paul = household_with_child(other)
    lea_enrolment = school.activity_enrol(child=lea, activity=canteen, weekdays=[0, 1])
    paul_enrolment = school.activity_enrol(child=paul, activity=canteen, weekdays=[0])
    school.activity_enrol(
        child=school.child_add(
            household=_h2, first_name="Zoé", last_name="Bernard", birth_date=MONDAY
        ),
        activity=canteen,
        weekdays=[3],  # Thursdays only: not expected on a Monday
    )
    url = f"/agents/enfance/appel/{canteen.pk}/"

    page = school_client.get(url, {"date": "2027-03-01"}).content.decode()
    response = school_client.post(url, {"date": "2027-03-01", "present": [str(lea_enrolment.pk)]})

    assert "Léa Bernard" in page
    assert "Léa Martin" in page
    assert "Zoé" not in page
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("enrolment_id", "date", "is_present")) == {
        (lea_enrolment.pk, MONDAY, True),
        (paul_enrolment.pk, MONDAY, False),
    }


def test_regie__counts_paid_and_unpaid_and_exports_for_accounting(
    school_client, city, resident, school_agent
):
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident, quotient="720")
    enrolment = school.activity_enrol(child=lea, activity=canteen, weekdays=[0])
    for day in (1, 8):
        school.attendance_record(
            enrolment=enrolment, date=datetime.date(2027, 3, day), is_present=True, by=school_agent
        )

    issued = school_client.post("/agents/regie/", {"month": "03/2027"})
    page = school_client.get("/agents/regie/").content.decode()
    export = school_client.get("/agents/regie/", {"format": "xlsx"})

    assert issued.status_code == 302
    assert "0 payée(s) : 0 €." in page
    assert "1 impayée(s) : 4,70 €." in page
    rows = list(load_workbook(BytesIO(export.content)).active.values)
    assert rows == [
        ("numéro", "foyer", "mois", "régie", "total", "échéance", "payée le", "paiement"),
        (
            f"ENFANCE-202703-{household.pk:06d}",
            "Martin",
            "2027-03",
            "Régie enfance",
            "4.70",
            "2027-04-15",
            None,
            None,
        ),
    ]


def test_quotient__entered_by_an_agent(school_client, resident):
    household, _lea = household_with_child(resident)

    response = school_client.post(
        f"/agents/enfance/foyers/{household.pk}/quotient/", {"quotient": "612,50"}
    )

    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.quotient, household.quotient_source) == (Decimal("612.50"), "agent")


def test_school_pages__other_authority_or_other_service_is_404(
    client, city, other_city, resident, school_agent
):
    other_activity = activity_with_grid(other_city)
    other_household, _child = household_with_child(factories.resident(other_city))
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(school_agent)

    assert client.get(f"/agents/enfance/appel/{other_activity.pk}/").status_code == 404
    assert (
        client.post(
            f"/agents/enfance/foyers/{other_household.pk}/quotient/", {"quotient": "1"}
        ).status_code
        == 404
    )
    civil_agent = factories.agent(city, "ec@example.fr")
    client.force_login(civil_agent)
    assert client.get("/agents/regie/").status_code == 404
    other_household.refresh_from_db()
    assert other_household.quotient is None


def test_family__declares_the_quotient_with_a_document_and_enrols_in_the_canteen(
    client, city, resident
):
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident)
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)

    declared = client.post(
        "/famille/quotient/", {"quotient": "540", "document": factories.pdf_upload("caf.pdf")}
    )
    enrolled = client.post(
        "/famille/activites/",
        {"activite-child": lea.pk, "activite-activity": canteen.pk, "activite-weekdays": [0, 1, 3]},
    )

    assert (declared.status_code, enrolled.status_code) == (302, 302)
    household.refresh_from_db()
    assert (household.quotient, household.quotient_source) == (Decimal("540"), "declared")
    assert household.quotient_document.name.startswith("households/")
    assert Enrolment.objects.get().weekdays == [0, 1, 3]
