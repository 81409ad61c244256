import re

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

# Tables holding rows of one authority (they all have an authority_id column).
TENANT_TABLES = (
    "engine_case",
    "engine_message",
    "engine_attachment",
    "engine_casetransition",
    "engine_deadline",
    "engine_satisfaction",
)
STATEMENT = re.compile(r'^\s*(?:SELECT .*? FROM|UPDATE|DELETE FROM)\s+"(?P<table>\w+)"', re.S)


def tenant_scope_violation(sql: str) -> str | None:
    """The rule a query on a tenant table must follow, or None when it does.

    A SELECT, UPDATE or DELETE whose main table is a tenant table must, in its WHERE
    clause, filter on `authority_id`, or on the primary key of a row already fetched
    through an access selector (`"engine_case"."id" = …`), or on the case such a row
    belongs to (`"case_id"`). Columns in the SELECT list or joins do not count: only
    the WHERE clause shows what the query is scoped to.
    """
    match = STATEMENT.match(sql)
    if match is None or match["table"] not in TENANT_TABLES:
        return None
    table = match["table"]
    _, _, where = sql.partition(" WHERE ")
    allowed = ("authority_id", f'"{table}"."id"', '"case_id"')
    if where and any(marker in where for marker in allowed):
        return None
    return f"unscoped query on {table}: {sql}"


class TenantScopeGuard:
    def __init__(self) -> None:
        self.checked = 0  # queries issued while handling a request
        self.violations: list[str] = []


@pytest.fixture
def tenant_scope_guard():
    """Fails the test if a view issues a query on a tenant table that is not scoped
    (see `tenant_scope_violation`). Only queries made while a request is handled are
    checked: the test's own set-up and assertions may look at the whole table."""
    guard_state = TenantScopeGuard()
    in_request = [False]

    def started(**kwargs):
        in_request[0] = True

    def finished(**kwargs):
        in_request[0] = False

    def guard(execute, sql, params, many, context):
        if in_request[0]:
            guard_state.checked += 1
            problem = tenant_scope_violation(sql)
            if problem:
                guard_state.violations.append(problem)
        return execute(sql, params, many, context)

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        with connection.execute_wrapper(guard):
            yield guard_state
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    assert guard_state.violations == []
