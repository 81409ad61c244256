"""Every query the operations' pages make on a real-estate table is scoped: in its WHERE
clause, to the authority, or to a row already fetched through an access selector (the
operation, its contract, its budget). Same rule as the front office's guard."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

from guichet.real_estate import services
from tests.real_estate.conftest import contract_for

STATEMENT = re.compile(r'^\s*(?:SELECT .*? FROM|UPDATE|DELETE FROM)\s+"(?P<table>\w+)"', re.S)
SCOPES = ("authority_id", '"operation_id"', '"contract_id"', '"budget_id"')


def _violation(sql: str) -> str | None:
    match = STATEMENT.match(sql)
    if match is None or not match["table"].startswith("real_estate_"):
        return None
    _, _, where = sql.partition(" WHERE ")
    if where and any(m in where for m in (*SCOPES, f'"{match["table"]}"."id"')):
        return None
    return sql


@pytest.fixture
def scoped_queries():
    seen: list[str] = []
    in_request = [False]

    def started(**kwargs):
        in_request[0] = True

    def finished(**kwargs):
        in_request[0] = False

    def guard(execute, sql, params, many, context):
        if in_request[0]:
            seen.append(sql)
        return execute(sql, params, many, context)

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        with connection.execute_wrapper(guard):
            yield seen
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)


def test_operation_pages__query_real_estate_tables_within_scope(
    city_client, lead, operation, scoped_queries
):
    contract = contract_for(operation)
    services.invoice_receive(
        contract=contract,
        number="F1",
        received_on=datetime.date(2026, 3, 2),
        amount_ht=Decimal("10.00"),
    )
    services.budget_vote(
        operation=operation,
        reference="AP-1",
        amount=Decimal("1000000.00"),
        voted_on=datetime.date(2026, 1, 2),
        schedule={2026: Decimal("500000.00")},
        by=lead,
    )
    city_client.force_login(lead)

    for url in [
        "/agents/operations/",
        f"/agents/operations/{operation.pk}/",
        "/agents/operations/export/?what=invoices&format=csv",
        "/chantiers/",
        f"/chantiers/{operation.pk}/",
    ]:
        response = city_client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)

    tables = {m["table"] for sql in scoped_queries if (m := STATEMENT.match(sql))}
    assert {  # the guard did see the pages' queries on these tables
        "real_estate_operation",
        "real_estate_phase",
        "real_estate_contract",
        "real_estate_invoice",
        "real_estate_paymentcredit",
        "real_estate_programmeauthorisation",
    } <= tables
    assert [sql for sql in scoped_queries if _violation(sql)] == []
