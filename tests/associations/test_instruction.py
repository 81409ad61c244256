import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from guichet.associations import selectors, services
from guichet.associations.budget import BudgetEntry
from guichet.associations.models import Instalment, Opinion
from guichet.core.errors import DomainError
from guichet.engine.models import Attachment
from guichet.notifications.models import OutgoingEmail
from tests import factories
from tests.associations import factories as assoc


def _pdf_text(attachment: Attachment) -> str:
    with attachment.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join((page.extract_text() or "") for page in reader.pages).replace("\n", " ")


@pytest.fixture
def filed(
    city, organisation, treasurer, call, subsidy_procedure, django_capture_on_commit_callbacks
):
    assoc.full_vault(organisation, treasurer)
    with django_capture_on_commit_callbacks(execute=True):
        return assoc.application(call, organisation, treasurer)


def _agent_client(client, user):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(user)
    return client


def _big_application(call, organisation, treasurer):
    entries = [
        BudgetEntry("charge", "64", "Animateurs", Decimal("40000.00")),
        BudgetEntry("resource", "74-region", "Région", Decimal("10000.00")),
    ]
    return assoc.application(
        call, organisation, treasurer, amount="30000.00", entries=entries, key="big"
    )


def test_opinions__asked_of_several_services_in_parallel_each_answers(
    client, city, filed, instructor
):
    roads = factories.service(city, "voirie")
    police = factories.service(city, "police")
    roads_agent = factories.agent(city, "voirie@example.fr", services=("voirie",))

    services.opinions_request(
        case=filed.case, services=[roads, police], by=instructor, question="Bruit ?"
    )
    services.opinions_request(
        case=filed.case, services=[roads], by=instructor, question=""
    )  # asked once

    assert Opinion.objects.filter(case=filed.case).count() == 2
    assert sorted(
        OutgoingEmail.objects.filter(subject__contains="Avis demandé").values_list("to", flat=True)
    ) == ["police@ville-a.fr", "voirie@ville-a.fr"]
    opinion = Opinion.objects.get(service=roads)
    _agent_client(client, roads_agent)
    assert client.get(reverse("backoffice:associations_opinions")).status_code == 200
    refused = client.post(
        reverse("backoffice:associations_opinion", args=[opinion.pk]),
        {"verdict": "reserved", "comment": ""},
    )
    given = client.post(
        reverse("backoffice:associations_opinion", args=[opinion.pk]),
        {"verdict": "reserved", "comment": "Prévoir des barrières."},
    )

    opinion.refresh_from_db()
    assert (refused.status_code, given.status_code) == (422, 302)
    assert (opinion.verdict, opinion.comment, opinion.given_by) == (
        "reserved",
        "Prévoir des barrières.",
        roads_agent,
    )
    police_opinion = Opinion.objects.get(service=police)
    assert (
        client.get(reverse("backoffice:associations_opinion", args=[police_opinion.pk])).status_code
        == 404
    )


def test_instruction__from_eligibility_to_decision_letter_and_final_report(
    client, city, filed, instructor, manager, treasurer, django_capture_on_commit_callbacks
):
    session = assoc.session(city)
    _agent_client(client, instructor)
    page = reverse("backoffice:associations_application", args=[filed.pk])
    assert client.get(page).status_code == 200

    client.post(
        reverse("backoffice:associations_eligibility", args=[filed.pk]),
        {"name": "declare_eligible"},
    )
    client.post(
        reverse("backoffice:associations_schedule", args=[filed.pk]),
        {"session": session.pk, "amount_proposed": "3500"},
    )
    agenda = client.get(reverse("backoffice:associations_session_agenda", args=[session.pk]))
    filed.refresh_from_db()
    assert (filed.case.status, filed.amount_proposed) == ("committee", Decimal("3500.00"))
    agenda_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(agenda.content)).pages)
    assert filed.case.number in agenda_text
    assert "Les Amis du Parc" in agenda_text

    _agent_client(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            reverse("backoffice:associations_decide", args=[filed.pk]),
            {
                "decision": "grant",
                "amount": "3500",
                "votes_for": "7",
                "votes_against": "1",
                "votes_abstaining": "0",
                "comment": "",
            },
        )

    filed.refresh_from_db()
    assert decided.status_code == 302
    assert (filed.case.status, filed.amount_granted) == ("granted", Decimal("3500.00"))
    assert filed.report_due_on == services.months_later(filed.ends_on, 6)
    assert list(filed.instalments.values_list("amount", flat=True)) == [Decimal("3500.00")]
    letter = filed.case.attachments.get(kind="generated", field_name="notification")
    text = _pdf_text(letter)
    assert "accorde à Les Amis du Parc une subvention de 3500,00 €" in text
    assert "7 pour, 1 contre, 0 abstention" in text
    assert not filed.case.attachments.filter(field_name="agreement").exists()

    # The treasurer sees the letter and files the final report.
    treasurer_page = reverse(
        "frontoffice:associations_application", args=[filed.organisation_id, filed.pk]
    )
    _agent_client(client, treasurer)
    assert letter.original_name in client.get(treasurer_page).content.decode()
    client.post(
        reverse("frontoffice:associations_final_report", args=[filed.organisation_id, filed.pk]),
        {
            "actions_done": "Concert et pique-nique.",
            "public_reached": "320",
            "charges_executed": "4900",
            "resources_executed": "4900",
            "gaps_explained": "",
        },
    )
    filed.case.refresh_from_db()
    assert filed.case.status == "report_filed"
    assert filed.final_report.public_reached == 320

    _agent_client(client, instructor)
    instalment = filed.instalments.get()
    client.post(
        reverse("backoffice:associations_instalment_pay", args=[filed.pk, instalment.pk]),
        {"paid_on": timezone.localdate().isoformat()},
    )
    client.post(reverse("backoffice:associations_close", args=[filed.pk]))
    filed.case.refresh_from_db()
    assert filed.case.status == "closed"
    envelope = selectors.call_envelope(call=filed.call)
    assert (
        envelope.requested,
        envelope.proposed,
        envelope.granted,
        envelope.paid,
        envelope.remaining,
    ) == (
        Decimal("4000.00"),
        Decimal("3500.00"),
        Decimal("3500.00"),
        Decimal("3500.00"),
        Decimal("96500.00"),
    )


def test_decide__above_the_threshold_produces_an_agreement_and_instalments(
    city,
    organisation,
    treasurer,
    call,
    subsidy_procedure,
    instructor,
    manager,
    django_capture_on_commit_callbacks,
):
    assoc.full_vault(organisation, treasurer)
    application = _big_application(call, organisation, treasurer)
    services_case = application.case
    from guichet.engine import services as engine

    engine.case_transition(case=services_case, name="declare_eligible", by=instructor)
    services.application_schedule(
        application=application,
        session=assoc.session(city),
        by=instructor,
        amount_proposed=Decimal("30000"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.subsidy_decide(
            application=application,
            by=manager,
            is_granted=True,
            amount=Decimal("25000.01"),
            votes_for=9,
            votes_against=0,
            votes_abstaining=1,
            comment="",
            today=datetime.date(2027, 1, 10),
        )

    agreement = application.case.attachments.get(field_name="agreement")
    assert agreement.original_name == f"convention-{application.case.number}.pdf"
    assert "subvention de 25000,01 €" in _pdf_text(agreement)
    assert list(
        Instalment.objects.filter(application=application).values_list("amount", flat=True)
    ) == [Decimal("12500.00"), Decimal("7500.00"), Decimal("5000.01")]


def test_decide__more_than_requested_is_refused(city, filed, instructor, manager):
    from guichet.engine import services as engine

    engine.case_transition(case=filed.case, name="declare_eligible", by=instructor)
    services.application_schedule(
        application=filed,
        session=assoc.session(city),
        by=instructor,
        amount_proposed=Decimal("4000"),
    )

    with pytest.raises(DomainError):
        services.subsidy_decide(
            application=filed,
            by=manager,
            is_granted=True,
            amount=Decimal("4000.01"),
            votes_for=1,
            votes_against=0,
            votes_abstaining=0,
            comment="",
            today=timezone.localdate(),
        )
    filed.case.refresh_from_db()
    assert filed.case.status == "committee"


def test_final_report__reminded_before_and_after_the_due_date(
    city, filed, instructor, manager, treasurer
):
    from guichet.engine import services as engine

    engine.case_transition(case=filed.case, name="declare_eligible", by=instructor)
    services.application_schedule(
        application=filed,
        session=assoc.session(city),
        by=instructor,
        amount_proposed=Decimal("4000"),
    )
    services.subsidy_decide(
        application=filed,
        by=manager,
        is_granted=True,
        amount=Decimal("4000"),
        votes_for=1,
        votes_against=0,
        votes_abstaining=0,
        comment="",
        today=timezone.localdate(),
    )
    filed.refresh_from_db()
    due = filed.report_due_on

    counts = [
        services.final_report_remind(today=due - datetime.timedelta(days=31)),
        services.final_report_remind(today=due - datetime.timedelta(days=30)),
        services.final_report_remind(today=due - datetime.timedelta(days=29)),
        services.final_report_remind(today=due + datetime.timedelta(days=1)),
        services.final_report_remind(today=due + datetime.timedelta(days=2)),
    ]

    assert counts == [0, 1, 0, 1, 0]
    subjects = list(
        OutgoingEmail.objects.filter(to=treasurer.email, subject__contains="Compte rendu")
        .order_by("id")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        f"[Ville A] Compte rendu financier attendu avant le {due.day} {_month(due)} {due.year}",
        "[Ville A] Compte rendu financier en retard",
    ]


def _month(day):
    from django.utils.dateformat import format as date_format

    return date_format(day, "F")


def test_vault__expiry_reminder_is_sent_once_by_the_sweep(city, organisation, treasurer):
    today = timezone.localdate()
    assoc.full_vault(organisation, treasurer, valid_until=today + datetime.timedelta(days=30))

    first = services.vault_expiry_remind(today=today)
    second = services.vault_expiry_remind(today=today)

    assert (first, second) == (4, 0)  # the statutes have no end date
    assert (
        OutgoingEmail.objects.filter(to=treasurer.email, subject__contains="à renouveler").count()
        == 4
    )


def test_vault__a_new_upload_replaces_the_current_document(organisation, treasurer):
    assoc.full_vault(organisation, treasurer)
    services.vault_document_store(
        organisation=organisation,
        by=treasurer,
        kind="insurance",
        upload=factories.pdf_upload("assurance-2027.pdf"),
        valid_until=None,
    )

    current = selectors.vault_current(organisation=organisation, today=timezone.localdate())
    assert current["insurance"].original_name == "assurance-2027.pdf"
    assert organisation.vault_documents.filter(kind="insurance").count() == 2


def test_periodic__the_worker_collects_the_associations_sweep():
    from guichet.associations.periodic import SWEEPS, associations_sweep

    assert [associations_sweep] == SWEEPS


def test_back_office__calls_and_sessions_are_for_the_subsidy_service(
    client, city, instructor, call
):
    other = factories.agent(city, "etatcivil@example.fr", services=("etat-civil",))
    _agent_client(client, other)
    assert client.get(reverse("backoffice:associations_calls")).status_code == 404
    _agent_client(client, instructor)
    page = client.get(reverse("backoffice:associations_calls"))
    assert page.status_code == 200
    created = client.post(
        reverse("backoffice:associations_calls"),
        {
            "title": "Sport pour tous",
            "opens_on": "2027-01-01",
            "closes_on": "2026-12-01",
            "envelope": "1000",
        },
    )
    assert created.status_code == 422
    assert "La date de clôture doit suivre la date d&#x27;ouverture." in created.content.decode()


def test_decide__after_a_grant_from_the_generic_case_page_records_amount_and_letter(
    city, filed, instructor, manager, django_capture_on_commit_callbacks
):
    from guichet.engine import services as engine

    engine.case_transition(case=filed.case, name="declare_eligible", by=instructor)
    services.application_schedule(
        application=filed,
        session=assoc.session(city),
        by=instructor,
        amount_proposed=Decimal("3000"),
    )
    engine.case_transition(case=filed.case, name="grant", by=manager)  # no amount there

    with django_capture_on_commit_callbacks(execute=True):
        services.subsidy_decide(
            application=filed,
            by=manager,
            is_granted=True,
            amount=Decimal("3000"),
            votes_for=5,
            votes_against=0,
            votes_abstaining=0,
            comment="",
            today=timezone.localdate(),
        )

    filed.refresh_from_db()
    assert (filed.case.status, filed.amount_granted) == ("granted", Decimal("3000.00"))
    assert filed.case.attachments.filter(field_name="notification").count() == 1
