"""Every associations URL that names an object refuses people of another authority, people
who do not represent the organisation, and agents outside the service — and changes nothing."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Representative
from guichet.associations import services
from guichet.associations.models import (
    FinalReport,
    Instalment,
    Opinion,
    SubsidyApplication,
    VaultDocument,
)
from guichet.engine import services as engine
from guichet.engine.models import Case
from tests import factories
from tests.associations import factories as assoc
from tests.contracts.test_isolation import object_routes


@pytest.fixture
def world_b(other_city, django_capture_on_commit_callbacks):
    """City B's association, with an object of every kind."""
    assoc.subsidy_procedure(other_city)
    treasurer = factories.person(other_city, "tresorier@example.fr")
    agent = factories.agent(other_city, "agent@example.fr", services=("vie-associative",))
    manager = factories.agent(
        other_city, "chef@example.fr", role="manager", services=("vie-associative",)
    )
    organisation = assoc.organisation(other_city, treasurer)
    assoc.full_vault(organisation, treasurer)
    call = assoc.open_call(other_city)
    with django_capture_on_commit_callbacks(execute=True):
        application = assoc.application(call, organisation, treasurer)
        engine.case_transition(case=application.case, name="declare_eligible", by=agent)
        opinion = services.opinions_request(
            case=application.case, services=[application.case.service], by=agent, question=""
        )[0]
        session = assoc.session(other_city)
        services.application_schedule(
            application=application, session=session, by=agent, amount_proposed=Decimal("4000")
        )
        services.subsidy_decide(
            application=application,
            by=manager,
            is_granted=True,
            amount=Decimal("4000"),
            votes_for=1,
            votes_against=0,
            votes_abstaining=0,
            comment="",
            today=timezone.localdate(),
        )
    return {
        "organisation_id": organisation.pk,
        "representative_id": organisation.representatives.get().pk,
        "document_id": organisation.vault_documents.first().pk,
        "call_id": call.pk,
        "application_id": application.pk,
        "attachment_id": application.case.attachments.first().pk,
        "instalment_id": application.instalments.get().pk,
        "opinion_id": opinion.pk,
        "session_id": session.pk,
        "case_id": application.case_id,
        "token": organisation.representatives.get().invitation_token,
    }


def _snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Case,
            SubsidyApplication,
            Representative,
            VaultDocument,
            Opinion,
            Instalment,
            FinalReport,
        )
    ]


def _routes(ids):
    for name, converters in object_routes():
        if "associations_" not in name:
            continue
        kwargs = {key: ids[key] for key in converters}
        yield name, reverse(name, kwargs=kwargs)


POST = {
    "email": "x@example.fr",
    "role": "member",
    "organisation": "1",
    "kind": "statutes",
    "verdict": "favourable",
    "comment": "Oui",
    "name": "declare_eligible",
    "decision": "grant",
    "amount": "1",
    "votes_for": "1",
    "votes_against": "0",
    "votes_abstaining": "0",
    "paid_on": "2026-01-01",
    "actions_done": "x",
    "public_reached": "1",
    "charges_executed": "1",
    "resources_executed": "1",
    "quantity": "1",
    "services": ["1"],
    "session": "1",
    "amount_proposed": "1",
}


@pytest.mark.parametrize("who", ["resident", "agent", "admin"])
def test_associations_routes__refuse_city_a_people_and_change_nothing(city, world_b, who):
    person = {
        "resident": lambda: factories.resident(city),
        "agent": lambda: factories.agent(city, "a@example.fr", services=("vie-associative",)),
        "admin": lambda: factories.person(city, "admin@example.fr", is_authority_admin=True),
    }[who]()
    client = Client(HTTP_HOST="ville-a.localhost")
    client.force_login(person)
    before = _snapshot()
    leaks = []

    routes = list(_routes(world_b))
    for name, url in routes:
        for method in ("get", "post"):
            response = client.get(url) if method == "get" else client.post(url, POST)
            if response.status_code in {403, 404} or (
                method == "get" and response.status_code == 405
            ):
                continue
            leaks.append(f"{method} {name} -> {response.status_code}")

    assert len(routes) == 22
    assert leaks == []
    assert _snapshot() == before


def test_associations_routes__reach_the_rightful_people(other_city, world_b):
    """The sweep's ids are right: B's treasurer and agent get B's pages."""
    treasurer = Client(HTTP_HOST="ville-b.localhost")
    treasurer.force_login(Representative.objects.get(authority=other_city).user)
    agent = Client(HTTP_HOST="ville-b.localhost")
    agent.force_login(factories.agent(other_city, "b@example.fr", services=("vie-associative",)))
    ids = world_b

    assert (
        treasurer.get(
            reverse(
                "frontoffice:associations_application",
                args=[ids["organisation_id"], ids["application_id"]],
            )
        ).status_code
        == 200
    )
    assert (
        agent.get(
            reverse("backoffice:associations_application", args=[ids["application_id"]])
        ).status_code
        == 200
    )
    assert (
        agent.get(
            reverse("backoffice:associations_session_agenda", args=[ids["session_id"]])
        ).status_code
        == 200
    )
