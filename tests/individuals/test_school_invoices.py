"""Price grid and invoice totals on exact amounts (Decimal, euros, rounded to the cent)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from guichet.individuals import school
from tests import factories
from tests.individuals.school_factories import activity_with_grid, household_with_child

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("quotient", "price"),
    [
        ("0", "1.05"),
        ("500", "1.05"),
        ("500.01", "2.35"),
        ("1000", "2.35"),
        ("1000.01", "4.125"),
        (None, "4.125"),  # not declared: the top bracket
    ],
)
def test_unit_price__by_quotient_bracket(city, quotient, price):
    activity = activity_with_grid(city)

    found = school.unit_price(
        activity=activity, quotient=Decimal(quotient) if quotient is not None else None
    )

    assert found == Decimal(price)


def _present(enrolment, agent, days):
    for day in days:
        school.attendance_record(
            enrolment=enrolment, date=datetime.date(2027, 3, day), is_present=True, by=agent
        )


def test_invoice_issue__days_present_times_price_rounded_to_the_cent(city, resident):
    agent = factories.agent(city, services=("enfance",))
    canteen = activity_with_grid(city)
    after_school = activity_with_grid(city, kind="after_school", name="Périscolaire du soir")
    household, lea = household_with_child(resident)  # no quotient: 4.125 € a day
    tom = school.child_add(
        household=household,
        first_name="Tom",
        last_name="Martin",
        birth_date=datetime.date(2020, 1, 9),
    )
    lea_canteen = school.activity_enrol(child=lea, activity=canteen, weekdays=[0, 1, 3, 4])
    tom_canteen = school.activity_enrol(child=tom, activity=canteen, weekdays=[0, 3])
    lea_evening = school.activity_enrol(child=lea, activity=after_school, weekdays=[1])
    _present(lea_canteen, agent, [1, 2, 4, 5, 8])  # 5 days
    _present(tom_canteen, agent, [1, 4, 8])  # 3 days
    _present(lea_evening, agent, [2, 9, 16])  # 3 days
    school.attendance_record(
        enrolment=tom_canteen, date=datetime.date(2027, 3, 11), is_present=False, by=agent
    )
    _present(lea_canteen, agent, [])
    school.attendance_record(
        enrolment=lea_canteen, date=datetime.date(2027, 4, 1), is_present=True, by=agent
    )  # next month: not billed

    invoice = school.invoice_issue(household=household, regie=canteen.regie, month=MARCH)

    lines = [
        (line.label, line.quantity, line.unit_price, line.amount) for line in invoice.lines.all()
    ]
    assert lines == [
        ("Restaurant scolaire — Léa", 5, Decimal("4.125"), Decimal("20.63")),
        ("Périscolaire du soir — Léa", 3, Decimal("4.125"), Decimal("12.38")),
        ("Restaurant scolaire — Tom", 3, Decimal("4.125"), Decimal("12.38")),
    ]
    assert invoice.total == Decimal("45.39")
    assert invoice.due_date == datetime.date(2027, 4, 15)
    assert school.invoice_issue(household=household, regie=canteen.regie, month=MARCH) == invoice


def test_invoice_issue__with_a_quotient_uses_its_bracket(city, resident):
    agent = factories.agent(city, services=("enfance",))
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident, quotient="720")
    _present(school.activity_enrol(child=lea, activity=canteen, weekdays=[0]), agent, [1, 8, 15])

    invoice = school.invoice_issue(household=household, regie=canteen.regie, month=MARCH)

    assert invoice.total == Decimal("7.05")


def test_invoice_issue__nothing_to_bill_makes_no_invoice(city, resident):
    canteen = activity_with_grid(city)
    household, _lea = household_with_child(resident)

    assert school.invoice_issue(household=household, regie=canteen.regie, month=MARCH) is None


def test_invoice_pdf__shows_lines_and_total(city, resident):
    agent = factories.agent(city, services=("enfance",))
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident, quotient="320")
    _present(school.activity_enrol(child=lea, activity=canteen, weekdays=[0]), agent, [1, 8])
    invoice = school.invoice_issue(household=household, regie=canteen.regie, month=MARCH)

    text = PdfReader(BytesIO(school.invoice_pdf(invoice=invoice))).pages[0].extract_text()

    assert f"Facture {invoice.number}" in text
    assert "Restaurant scolaire — Léa" in text
    assert "Restaurant scolaire — Léa 2 1,050 € 2,10 €" in text
    assert "Total 2,10 €" in text


def test_invoices_remind__once_per_unpaid_invoice_past_due(city, resident):
    from guichet.notifications.models import OutgoingEmail

    agent = factories.agent(city, services=("enfance",))
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident)
    _present(school.activity_enrol(child=lea, activity=canteen, weekdays=[0]), agent, [1])
    invoice = school.invoice_issue(household=household, regie=canteen.regie, month=MARCH)
    due = datetime.datetime(2027, 4, 15, 12, tzinfo=datetime.UTC)

    early = school.invoices_remind(now=due + datetime.timedelta(days=7))
    late = school.invoices_remind(now=due + datetime.timedelta(days=8))
    again = school.invoices_remind(now=due + datetime.timedelta(days=30))

    assert (early, late, again) == (0, 1, 0)
    email = OutgoingEmail.objects.get()
    assert email.to == "camille@example.fr"
    assert email.subject == f"[Ville A] Facture {invoice.number} à régler"
