"""Each back-office list page runs the same number of SQL queries whatever the number of
cases it shows: no query per row (the back-office benchmark measures the same pages)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.engine import services as engine
from guichet.engine.models import Case, Deadline
from tests import factories

MENU_QUERIES = 3  # the agent's services and procedures, the DPO, a facility they manage
QUERIES = 11 + MENU_QUERIES  # session, user, memberships, filters, count, the page (joins)
SEARCH_QUERIES = QUERIES + 1  # the people matching the name, looked up first
CASE_PAGE_QUERIES = 18 + MENU_QUERIES
PAGES = [
    "/agents/",
    "/agents/?queue=all",
    "/agents/?queue=mine",
    "/agents/?queue=all&status=submitted&channel=web",
    "/agents/?overdue=on",
    "/agents/?queue=all&q=Martin",
    "/agents/?queue=all&sort=procedure__name",
]


def _copies(case: Case, numbers: range, agent) -> None:
    """More cases like `case`, each with its own applicant, assignee and running deadline."""
    for n in numbers:
        applicant = factories.resident(case.authority, f"habitant{n}@example.fr")
        applicant.last_name = f"Martin{n}"
        applicant.save(update_fields=["last_name"])
        copy = Case.objects.create(
            authority=case.authority,
            version=case.version,
            procedure=case.procedure,
            service=case.service,
            number=f"2026-ACTE-{900_000 + n}",
            tracking_code=f"Q{n:09d}",
            status=case.status,
            channel=case.channel,
            applicant=applicant,
            assigned_to=agent,
            submitted_at=timezone.now() - datetime.timedelta(days=n),
        )
        Deadline.objects.create(
            authority=case.authority,
            case=copy,
            started_in=copy.status,
            target_status=copy.status,
            due_at=timezone.now() - datetime.timedelta(days=1),
        )
        engine.case_next_due_refresh(case=copy)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
def test_queue_page__runs_a_constant_number_of_queries(agent_client, filed_case, agent, path):
    _copies(filed_case, range(2), agent)
    with_three_cases = _queries(agent_client, path)

    _copies(filed_case, range(2, 24), agent)
    with_twenty_five_cases = _queries(agent_client, path)

    assert Case.objects.filed().count() == 25
    expected = SEARCH_QUERIES if "q=" in path else QUERIES
    assert with_three_cases == with_twenty_five_cases == expected


def test_case_page__runs_a_constant_number_of_queries(agent_client, filed_case, agent):
    path = f"/agents/dossiers/{filed_case.pk}/"
    before = _queries(agent_client, path)
    for n in range(5):
        agent_client.post(f"{path}note/", {"body": f"Note {n}"})
        agent_client.post(f"{path}message/", {"body": f"Message {n}"})

    assert filed_case.notes.count() == 5
    assert filed_case.messages.count() == 5
    assert _queries(agent_client, path) == before == CASE_PAGE_QUERIES
