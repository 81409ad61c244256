"""Agents approving at the same instant loans of the last chairs and of the only sound
system: exactly the stock is lent, the other approvals are refused naming what is left.

Real threads, each with its own connection and transaction, on the database under test
(PostgreSQL: the trigger locks the equipment row; SQLite: its single writer)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.db.models import Sum

from guichet.facilities import loan_services
from guichet.facilities.models import EquipmentHold, Loan
from tests import factories
from tests.associations import factories as assoc
from tests.facilities.conftest import make_gym
from tests.facilities.test_loans import MARCH, TODAY, make_store

RACERS = 8


def _race(loans, keeper):
    barrier = threading.Barrier(len(loans))

    def approve(loan):
        barrier.wait()
        try:
            loan_services.loan_approve(loan=loan, agent=keeper)
        except loan_services.LoanUnavailable as error:
            return error.message
        finally:
            connections.close_all()
        return "approved"

    with ThreadPoolExecutor(max_workers=len(loans)) as pool:
        return list(pool.map(approve, loans))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("item", "stock", "each", "lent", "message"),
    [
        (
            "chairs",
            12,
            3,
            4,
            "Chaises pliantes : déjà prêté du 10/03/2027 au 11/03/2027 ; "
            "il en reste 0 sur 12 à ces dates.",
        ),
        (
            "sound",
            1,
            1,
            1,
            "Sonorisation portable : déjà prêté du 10/03/2027 au 11/03/2027 ; "
            "il en reste 0 sur 1 à ces dates.",
        ),
    ],
)
def test_concurrent_approvals_lend_exactly_the_stock(item, stock, each, lent, message):
    authority = factories.authority(f"ville-pret-{item}")
    make_gym(authority)
    store = make_store(authority, chairs=stock if item == "chairs" else 200, sound=stock)
    keeper = factories.agent(authority, "magasin@example.fr", services=("equipements",))
    treasurer = factories.person(authority, "tresoriere@example.fr")
    organisation = assoc.organisation(authority, treasurer)
    loans = [
        loan_services.loan_request(
            organisation=organisation,
            by=treasurer,
            rooms=[],
            equipment=[(store[item], each)],
            starts_on=MARCH[10],
            ends_on=MARCH[11],
            purpose=f"Fête {n}",
            today=TODAY,
        )
        for n in range(RACERS)
    ]

    answers = _race(loans, keeper)

    assert answers.count("approved") == lent
    assert answers.count(message) == RACERS - lent
    assert Loan.objects.filter(authority=authority, status="approved").count() == lent
    assert (
        EquipmentHold.objects.filter(authority=authority).aggregate(total=Sum("quantity"))["total"]
        == stock
    )
