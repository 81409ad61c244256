"""K4, online payment: charges billed in the period and paid online, in number and amount,
settled through the real payment flow (eopayment's dummy backend, its signed notification)."""

import datetime
import zoneinfo
from decimal import Decimal
from urllib.parse import urlencode

import pytest

from guichet.barometer import indicators, services
from guichet.barometer.derived import reason_text
from guichet.barometer.models import Snapshot
from guichet.individuals.school import INVOICE_PURPOSE
from guichet.payments import services as payments
from guichet.payments.models import Charge
from tests.individuals.school_factories import regie

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MARCH = datetime.datetime(2026, 3, 10, 9, tzinfo=PARIS)


def bill(city, purpose_id, amount, billed_at=MARCH):
    return payments.charge_record(
        authority_id=city.pk,
        domain="individuals",
        purpose=INVOICE_PURPOSE,
        purpose_id=purpose_id,
        amount=Decimal(amount),
        billed_at=billed_at,
    )


def pay_online(city, charge, result="paid"):
    payment = payments.payment_start(
        regie=regie(city),
        amount=charge.amount,
        label="Facture",
        purpose=charge.purpose,
        purpose_id=charge.purpose_id,
    )
    payments.payment_request(
        payment=payment, return_url="http://x/retour", notify_url="http://x/notification"
    )
    payment.refresh_from_db()
    # What the dummy payment service notifies: `ok` only when paid, `signed` always.
    answer = {"transaction_id": payment.transaction_id, "signed": "1"}
    if result == "paid":
        answer["ok"] = "1"
    payments.payment_response_apply(
        authority=city,
        reference=payment.reference,
        fields=answer,
        channel="notification",
        query_string=urlencode(answer),
    )
    return payment


def march(city, **scope):
    start, end = indicators.bounds("month", datetime.date(2026, 3, 1))
    return indicators.compute(
        facts=indicators.CaseSet(authority=city, **scope),
        authority=city,
        start=start,
        end=end,
        now=MARCH + datetime.timedelta(days=60),
    )


@pytest.fixture
def billed(city):
    """Four invoices of 10, 20, 30 and 40 €: the first two paid online, the third at the
    counter, the fourth refused by the bank and still due."""
    charges = [
        bill(city, n, amount) for n, amount in enumerate(("10.00", "20.00", "30.00", "40.00"))
    ]
    pay_online(city, charges[0])
    pay_online(city, charges[1])
    payments.charge_settle_otherwise(
        authority_id=city.pk, purpose=INVOICE_PURPOSE, purpose_id=2, at=MARCH
    )
    pay_online(city, charges[3], result="refused")
    return charges


def test_k4__paid_online_over_billed_in_count_and_amount(billed, city):
    k4 = march(city)["K4"]

    assert (k4["measurable"], k4["count"], k4["base"], k4["share"]) == (True, 2, 4, 0.5)
    assert k4["amount"] == {"billed": "100.00", "paid_online": "30.00", "share": 0.3}
    assert k4["ci95"] == [0.15003898915214953, 0.8499610108478505]
    assert list(Charge.objects.order_by("purpose_id").values_list("settlement", flat=True)) == [
        "online",
        "online",
        "other",
        "",
    ]


def test_k4__scopes_and_periods(billed, city, other_city):
    bill(city, 10, "50.00", billed_at=MARCH + datetime.timedelta(days=30))  # April
    bill(other_city, 11, "99.00")  # another authority's: never counted here

    assert march(city, domain="individuals")["K4"]["base"] == 4
    assert march(city, domain="facilities")["K4"] == {
        "measurable": False,
        "reason": "aucune somme facturée dans la période",
    }
    # Invoices are not tied to a procedure: a procedure's scope has none.
    assert march(city, procedure_id=1)["K4"]["measurable"] is False


def test_k4__a_charge_is_recorded_and_settled_once(billed, city):
    again = bill(city, 0, "99.00")
    late_other = payments.charge_settle_otherwise(
        authority_id=city.pk, purpose=INVOICE_PURPOSE, purpose_id=0, at=MARCH
    )

    assert again.amount == Decimal("10.00")
    assert again.settlement == "online"
    assert late_other == 0
    assert Charge.objects.filter(authority=city).count() == 4


def test_k4__snapshots_and_the_online_payment_criterion(billed, city):
    services.snapshots_compute(authority=city, now=MARCH + datetime.timedelta(days=1))

    month = Snapshot.objects.get(period="month", start=datetime.date(2026, 3, 1), scope="all")
    quarter = Snapshot.objects.get(
        period="quarter", start=datetime.date(2026, 1, 1), scope="domain:individuals"
    )
    assert (month.values["K4"]["share"], month.values["K4"]["amount"]["share"]) == (0.5, 0.3)
    assert quarter.values["K4"]["base"] == 4
    year = Snapshot.objects.get(
        period="year", start=datetime.date(2026, 1, 1), scope="domain:individuals"
    )
    relation = year.values["K15"]["relation"]
    # The domain has no procedure on the platform here: level 0, whatever it bills.
    assert relation["level"] == 0
    assert reason_text(relation["reasons"][0]) == "aucune démarche de ce domaine sur la plateforme"


def k4(count, base):
    return {"measurable": True, "count": count, "base": base, "share": count / base}


def test_derived__online_payment_holds_r3_and_i3_back_under_half():
    from guichet.barometer.derived import derive

    end_to_end = {"measurable": True, "count": 10, "base": 10, "share": 1.0}
    given = {"K2": end_to_end, "K3": end_to_end, "filed": 10, "partners": 0}

    paid_little = derive(values=given | {"K4": k4(2, 10)}, procedures=1, online_procedures=1)
    paid_most = derive(values=given | {"K4": k4(6, 10)}, procedures=1, online_procedures=1)
    too_few = derive(values=given | {"K4": k4(0, 4)}, procedures=1, online_procedures=1)

    assert (paid_little["relation"]["level"], paid_little["internal"]["level"]) == (2, 2)
    assert reason_text(paid_little["relation"]["reasons"][-1]) == (
        "seulement 20 % des sommes facturées ont été payées en ligne"
    )
    assert (paid_most["relation"]["level"], paid_most["internal"]["level"]) == (3, 3)
    assert (too_few["relation"]["level"], too_few["internal"]["level"]) == (3, 3)


def test_dashboard__k4_chart_table_and_downloads(billed, city, city_client):
    import csv
    import io

    from tests import factories

    admin = factories.person(city, "admin@ville-a.fr", is_authority_admin=True)
    services.snapshots_compute(authority=city, now=MARCH + datetime.timedelta(days=1))
    city_client.force_login(admin)

    html = city_client.get("/agents/barometre/?scope=domain:individuals").content.decode()
    download = city_client.get("/agents/barometre/?period=month&format=csv")

    assert "Paiement en ligne (K4) par période" in html
    # A domain that bills is a scope of its own, even without a procedure on the platform.
    assert '<option value="domain:individuals" selected>' in html
    assert (
        '<tr><th scope="row">03/2026</th><td>4</td><td>2</td><td>50 %</td>'
        "<td>100,00 €</td><td>30,00 €</td><td>30 %</td></tr>"
    ) in html
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    k4 = next(r for r in rows if r[0] == "all" and r[3] == "K4" and r[2] == "2026-03-01")
    assert k4[5:9] == ["True", "2", "4", "0.5"]
    assert k4[9] == "50 % (2/4) ; en montant : 30 % (30.00 € sur 100.00 €)"
