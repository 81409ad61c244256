import datetime

import pytest
from django.core import mail

from guichet.engine import selectors, services
from guichet.engine.models import CaseTransition, Deadline
from tests import factories


@pytest.fixture
def event_procedure(city):
    return factories.event_declaration_procedure(city)


@pytest.fixture
def manager(city, event_procedure):
    return factories.agent(
        city, "manager@example.fr", role="manager", services=("vie-associative",)
    )


@pytest.fixture
def declaration(event_procedure, resident, clock):
    clock.day(0)
    return factories.event_declaration_case(event_procedure, resident)


def _last_transition(case):
    return CaseTransition.objects.filter(case=case).order_by("id").last()


def test_deadlines_process__silence_vaut_accord_accepts_after_60_days(declaration, clock):
    result = services.deadlines_process(now=clock.day(61))

    assert result == {"fired": 1, "alerted": 0}
    declaration.refresh_from_db()
    assert declaration.status == "accepted"
    assert declaration.closed_at == clock.current
    log = _last_transition(declaration)
    assert (log.from_status, log.to_status, log.actor) == ("submitted", "accepted", None)
    assert log.comment.startswith("Silence vaut accord")
    assert "60 jours" in log.comment


def test_deadlines_process__nothing_fires_before_the_due_date(declaration, clock):
    result = services.deadlines_process(now=clock.day(59))

    assert result == {"fired": 0, "alerted": 1}
    declaration.refresh_from_db()
    assert declaration.status == "submitted"


def test_deadlines_process__asking_for_documents_pauses_the_clock(
    declaration, clock, manager, resident
):
    clock.day(10)
    services.case_transition(
        case=declaration, name="ask_documents", by=manager, comment="Plan du site"
    )
    clock.day(40)
    services.case_transition(case=declaration, name="send_documents", by=resident)

    deadline = Deadline.objects.get(case=declaration)
    assert deadline.due_at == clock.start + datetime.timedelta(days=90)
    assert deadline.paused_at is None
    assert services.deadlines_process(now=clock.day(61)) == {"fired": 0, "alerted": 0}
    declaration.refresh_from_db()
    assert declaration.status == "submitted"

    assert services.deadlines_process(now=clock.day(91))["fired"] == 1
    declaration.refresh_from_db()
    assert declaration.status == "accepted"
    log = _last_transition(declaration)
    assert (log.actor, log.comment.startswith("Silence vaut accord")) == (None, True)
    assert "60 jours" in log.comment


def test_deadlines_process__paused_clock_never_fires(declaration, clock, manager):
    clock.day(10)
    services.case_transition(
        case=declaration, name="ask_documents", by=manager, comment="Plan du site"
    )

    assert services.deadlines_process(now=clock.day(200)) == {"fired": 0, "alerted": 0}
    declaration.refresh_from_db()
    assert declaration.status == "waiting_documents"


def test_deadlines_process__alerts_the_service_once(
    declaration, clock, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.deadlines_process(now=clock.day(51))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.deadlines_process(now=clock.day(52))

    assert (first, second) == ({"fired": 0, "alerted": 1}, {"fired": 0, "alerted": 0})
    alerts = [m for m in mail.outbox if "Échéance proche" in m.subject]
    assert [m.to for m in alerts] == [["vie-associative@ville-a.fr"]]
    assert alerts[0].subject == f"[Ville A] Échéance proche : dossier {declaration.number}"


def test_deadlines_process__no_alert_before_alert_day(declaration, clock):
    assert services.deadlines_process(now=clock.day(49)) == {"fired": 0, "alerted": 0}
    assert Deadline.objects.get(case=declaration).alerted_at is None


def test_deadlines_process__decision_before_due_date_stops_the_clock(declaration, clock, manager):
    clock.day(20)
    services.case_transition(case=declaration, name="reject", by=manager, comment="Trop tard")

    assert services.deadlines_process(now=clock.day(61)) == {"fired": 0, "alerted": 0}
    declaration.refresh_from_db()
    assert declaration.status == "rejected"


def test_drafts_remind__reminds_an_idle_draft_once(
    procedure, resident, clock, django_capture_on_commit_callbacks
):
    clock.day(0)
    draft = services.case_start(procedure=procedure, applicant=resident)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.drafts_remind(now=clock.day(8))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.drafts_remind(now=clock.day(9))

    assert (first, second) == (1, 0)
    assert [m.to for m in mail.outbox] == [[resident.email]]
    draft.refresh_from_db()
    assert draft.draft_reminded_at == clock.start + datetime.timedelta(days=8)


def test_drafts_remind__leaves_recent_drafts_alone(procedure, resident, clock):
    clock.day(0)
    draft = services.case_start(procedure=procedure, applicant=resident)

    assert services.drafts_remind(now=clock.day(6)) == 0
    draft.refresh_from_db()
    assert draft.draft_reminded_at is None


def _overdue_ids(agent, now) -> set[int]:
    filters = selectors.CaseFilters(queue="all", is_overdue=True)
    return set(
        selectors.cases_for_agent(agent=agent, filters=filters, now=now).values_list(
            "id", flat=True
        )
    )


def test_cases_for_agent__overdue_lists_exactly_the_cases_past_due_as_their_clocks_move(
    event_procedure, resident, manager, clock
):
    clock.day(0)
    late, paused, resumed, decided = (
        factories.event_declaration_case(event_procedure, resident) for _ in range(4)
    )
    clock.day(10)
    services.case_transition(case=paused, name="ask_documents", by=manager, comment="Plan")
    services.case_transition(case=resumed, name="ask_documents", by=manager, comment="Plan")
    clock.day(20)
    services.case_transition(case=decided, name="reject", by=manager, comment="Trop tard")
    clock.day(30)
    recent = factories.event_declaration_case(event_procedure, resident)  # due on day 90
    clock.day(40)
    # Thirty days paused: its clock now ends on day 90, not 60.
    services.case_transition(case=resumed, name="send_documents", by=resident)

    assert _overdue_ids(manager, clock.day(59)) == set()
    assert _overdue_ids(manager, clock.day(61)) == {late.pk}
    assert _overdue_ids(manager, clock.day(91)) == {late.pk, resumed.pk, recent.pk}

    # A deadline moved by hand (a seed, an import) counts once the engine recomputes it.
    Deadline.objects.filter(case=recent).update(due_at=clock.start + datetime.timedelta(days=120))
    services.case_next_due_refresh(case=recent)
    assert _overdue_ids(manager, clock.current) == {late.pk, resumed.pk}

    # The sweep fires the due deadlines: those clocks have ended, nothing is overdue.
    services.deadlines_process(now=clock.current)
    assert _overdue_ids(manager, clock.current) == set()
    paused.refresh_from_db()
    assert (paused.status, paused.next_due_at) == ("waiting_documents", None)
