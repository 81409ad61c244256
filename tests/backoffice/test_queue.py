import datetime
import re

from django.utils import timezone

from guichet.engine import services
from guichet.engine.models import Case, Deadline
from tests import factories


def _numbers(response) -> list[str]:
    """The case numbers listed, in table order."""
    return re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', response.content.decode()
    )


def test_queue__lists_the_cases_to_do(agent_client, filed_case, counter_case):
    response = agent_client.get("/agents/")

    assert response.status_code == 200
    assert _numbers(response) == [counter_case.number, filed_case.number]


def test_queue__filters_by_channel(agent_client, filed_case, counter_case):
    response = agent_client.get("/agents/?channel=counter")

    assert _numbers(response) == [counter_case.number]


def test_queue__filters_by_status(agent_client, filed_case, counter_case, agent):
    services.case_transition(case=filed_case, name="take", by=agent)

    response = agent_client.get("/agents/?status=in_review")

    assert _numbers(response) == [filed_case.number]


def test_queue__filters_by_assigned_agent(agent_client, filed_case, counter_case, agent):
    services.case_assign(case=counter_case, agent=agent, by=agent)

    response = agent_client.get(f"/agents/?assigned_to={agent.pk}")

    assert _numbers(response) == [counter_case.number]


def test_queue__filters_by_submission_dates(agent_client, filed_case, counter_case):
    Case.objects.filter(pk=filed_case.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=10)
    )
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    response = agent_client.get(f"/agents/?submitted_from={since}")
    earlier = agent_client.get(f"/agents/?submitted_to={since}")

    assert _numbers(response) == [counter_case.number]
    assert _numbers(earlier) == [filed_case.number]


def test_queue__filters_overdue_cases(agent_client, filed_case, counter_case):
    Deadline.objects.filter(case=filed_case).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )
    services.case_next_due_refresh(case=filed_case)

    response = agent_client.get("/agents/?overdue=on")

    assert _numbers(response) == [filed_case.number]


def test_queue__searches_by_number_and_by_name(agent_client, filed_case, counter_case):
    by_name = agent_client.get("/agents/?q=dupont")
    by_number = agent_client.get(f"/agents/?q={filed_case.number}")

    assert _numbers(by_name) == [counter_case.number]
    assert _numbers(by_number) == [filed_case.number]


def test_queue__mine_lists_only_the_cases_assigned_to_me(
    agent_client, filed_case, counter_case, agent
):
    services.case_assign(case=filed_case, agent=agent, by=agent)

    response = agent_client.get("/agents/?queue=mine")

    assert _numbers(response) == [filed_case.number]


def test_queue__todo_leaves_closed_cases_to_all(agent_client, filed_case, counter_case, agent):
    services.case_transition(case=filed_case, name="take", by=agent)
    services.case_transition(case=filed_case, name="accept", by=agent)

    todo = agent_client.get("/agents/?queue=todo")
    everything = agent_client.get("/agents/?queue=all")

    assert _numbers(todo) == [counter_case.number]
    assert _numbers(everything) == [counter_case.number, filed_case.number]


def test_queue__sorts_by_a_column_both_ways(agent_client, filed_case, counter_case):
    ascending = agent_client.get("/agents/?sort=number")
    descending = agent_client.get("/agents/?sort=-number")

    assert _numbers(ascending) == [filed_case.number, counter_case.number]
    assert _numbers(descending) == [counter_case.number, filed_case.number]
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-number">' in (
        ascending.content.decode()
    )


def test_queue__an_unknown_sort_falls_back_to_the_newest_first(
    agent_client, filed_case, counter_case
):
    response = agent_client.get("/agents/?sort=applicant__password")

    assert response.status_code == 200
    assert _numbers(response) == [counter_case.number, filed_case.number]


def test_queue__paginates_by_25_keeping_the_filters(agent_client, procedure, resident):
    cases = [factories.civil_status_case(procedure, resident) for _ in range(26)]

    first = agent_client.get("/agents/?channel=web")
    second = agent_client.get("/agents/?channel=web&page=2")

    assert len(_numbers(first)) == 25
    assert _numbers(second) == [cases[0].number]
    assert 'href="?channel=web&amp;page=2" rel="next"' in first.content.decode()
    assert "26 dossiers — page 2 sur 2" in second.content.decode()


def test_queue__filter_form_is_labelled(agent_client, filed_case):
    content = agent_client.get("/agents/").content.decode()

    for label in ["Démarche", "Statut", "Canal", "Agent attribué", "En retard seulement"]:
        assert f">{label}</label>" in content or f">{label} <" in content
    assert '<label for="id_submitted_from">Déposé à partir du</label>' in content


def test_queue__ids_are_unique_and_rows_are_selectable(agent_client, filed_case, counter_case):
    content = agent_client.get("/agents/").content.decode()

    ids = re.findall(r' id="([^"]+)"', content)
    assert len(ids) == len(set(ids))
    assert f'<label for="case-{filed_case.pk}" class="visually-hidden">' in content
    assert '<label for="bulk-name">Action <span class="required">(obligatoire)</span></label>' in (
        content
    )


def test_queue__beyond_the_cap_says_more_than_and_still_paginates(
    agent_client, procedure, resident, monkeypatch
):
    monkeypatch.setattr("guichet.backoffice.views.COUNT_CAP", 2)
    monkeypatch.setattr("guichet.backoffice.views.PAGE_SIZE", 2)
    cases = [factories.civil_status_case(procedure, resident) for _ in range(4)]

    first = agent_client.get("/agents/").content.decode()
    second = agent_client.get("/agents/?page=2")

    assert "Plus de 2 dossiers : affinez avec les filtres — page 1</caption>" in first
    assert 'href="?page=2" rel="next"' in first
    assert _numbers(second) == [cases[1].number]  # the list stops one past the cap


def test_queue__searches_by_the_account_holder_first_name(agent_client, filed_case, resident):
    response = agent_client.get(f"/agents/?q={resident.first_name.upper()}")

    assert _numbers(response) == [filed_case.number]
