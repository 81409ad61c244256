"""Nothing crosses authorities, nor residents: a sweep of every URL that names an object.

Every named route of `guichet.config.urls` with an integer id in it (case_id,
attachment_id, message_id…) is requested, GET and POST, by people who must not reach
the object: a resident and an agent of city A asking for city B's case (on A's host
and on B's host), and a second resident of A asking for the first one's case. Each
must get 404 (403 is accepted too: it says nothing about the object), 405 for a GET
on a POST-only view, or a redirect to the login page when anonymous — and the
database must be unchanged. Back-office routes are picked up as they are added.
The Django admin (platform staff only, its own login) is left out.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from guichet.cli.demo_data import TINY_PDF
from guichet.engine import services
from guichet.engine.models import (
    Attachment,
    Case,
    CaseCorrection,
    CaseTransition,
    InternalNote,
    Message,
    Satisfaction,
)
from guichet.notifications.models import OutgoingEmail
from tests import factories

EXCLUDED_NAMESPACES = ("admin",)
DENIED = {403, 404}


def _walk(
    patterns: list[Any], namespace: str = "", converters: dict[str, Any] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    for pattern in patterns:
        own = dict(converters or {})
        own.update(getattr(pattern.pattern, "converters", {}))
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, own)
        elif isinstance(pattern, URLPattern) and pattern.name:
            for group in pattern.pattern.regex.groupindex:
                own.setdefault(group, None)
            yield f"{namespace}{pattern.name}", own


def object_routes() -> list[tuple[str, dict[str, Any]]]:
    """Every named route with an integer keyword argument, outside the admin."""
    routes = {}
    for name, converters in _walk(get_resolver().url_patterns):
        if name.split(":", 1)[0] in EXCLUDED_NAMESPACES:
            continue
        if any(isinstance(c, IntConverter) for c in converters.values()):
            routes[name] = converters
    return sorted(routes.items())


def _kwargs(converters: dict[str, Any], case: Case) -> dict[str, Any]:
    objects = {
        "case_id": case.pk,
        "attachment_id": case.attachments.values_list("pk", flat=True).first() or case.pk,
        "message_id": case.messages.values_list("pk", flat=True).first() or case.pk,
        "note_id": case.notes.values_list("pk", flat=True).first() or case.pk,
        "procedure_id": case.procedure_id,
        "service_id": case.service_id,
        "page": 0,
    }
    strings = {"name": "send_documents", "slug": case.procedure.slug, "document": "receipt"}
    kwargs = {}
    for key, converter in converters.items():
        if isinstance(converter, IntConverter):
            kwargs[key] = objects.get(key, case.pk)
        else:
            kwargs[key] = strings.get(key, "x")
    return kwargs


def _post_data() -> dict[str, Any]:
    return {
        "body": "Bonjour",
        "comment": "Un commentaire",
        "reason": "Une raison",
        "rating": "good",
        "understood": "4",
        "status": "accepted",
        "name": "accept",
        "agent": "",
        "save": "1",
        "next": "1",
        "last_name": "Intrus",
        "documents": SimpleUploadedFile("piece.pdf", TINY_PDF, "application/pdf"),
    }


def _snapshot() -> dict[str, Any]:
    return {
        "cases": list(
            Case.objects.order_by("pk").values_list(
                "pk", "status", "applicant_id", "assigned_to_id", "data", "closed_at"
            )
        ),
        "counts": [
            model.objects.count()
            for model in (
                CaseTransition,
                Message,
                Attachment,
                InternalNote,
                CaseCorrection,
                Satisfaction,
                OutgoingEmail,
            )
        ],
    }


def _sweep(client: Client, targets: list[Case], *, anonymous: bool = False) -> list[str]:
    """Requests every object route for every target; returns what got through."""
    leaks = []
    for name, converters in object_routes():
        for case in targets:
            url = reverse(name, kwargs=_kwargs(converters, case))
            for method in ("get", "post"):
                response = client.get(url) if method == "get" else client.post(url, _post_data())
                status = response.status_code
                if anonymous and status == 302:
                    if response["Location"].split("?")[0] in {"/connexion/", "/agents/connexion/"}:
                        continue
                elif status in DENIED or (method == "get" and status == 405):
                    continue
                leaks.append(f"{method.upper()} {url} ({name}) -> {status}")
    return leaks


@pytest.fixture
def world(city, other_city, procedure, django_capture_on_commit_callbacks):
    """Two cities, each with a filed case (with messages and documents) and a draft."""
    people = {}
    cases = {}
    for place in (city, other_city):
        proc = procedure if place == city else factories.civil_status_procedure(place)
        owner = factories.resident(place)
        agent = factories.agent(place, "agent@example.fr")
        with django_capture_on_commit_callbacks(execute=True):
            filed = factories.civil_status_case(proc, owner)
        services.case_transition(case=filed, name="take", by=agent)
        services.message_send(case=filed, by=agent, body="Bonjour")
        services.note_add(case=filed, by=agent, body="Note interne")
        draft = factories.civil_status_draft(proc, owner)
        people[place.slug] = {"owner": owner, "agent": agent}
        cases[place.slug] = [filed, draft]
    people["ville-a"]["admin"] = factories.person(city, "admin@example.fr", is_authority_admin=True)
    people["ville-a"]["neighbour"] = factories.person(city, "voisin@example.fr")
    return people, cases


def _client(host: str, user=None) -> Client:
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


def test_object_routes__include_the_front_office_case_routes():
    names = {name for name, _ in object_routes()}

    assert {
        "frontoffice:case_detail",
        "frontoffice:case_page",
        "frontoffice:case_review",
        "frontoffice:case_message",
        "frontoffice:case_action",
        "frontoffice:attachment",
        "frontoffice:case_receipt_pdf",
    } <= names


def test_object_routes__reach_the_owner(world):
    """The sweep's URLs are right: the rightful resident gets their case and document."""
    people, cases = world
    filed = cases["ville-a"][0]
    owner = _client("ville-a.localhost", people["ville-a"]["owner"])
    attachment = filed.attachments.first()

    detail = owner.get(reverse("frontoffice:case_detail", kwargs={"case_id": filed.pk}))
    download = owner.get(
        reverse(
            "frontoffice:attachment",
            kwargs={"case_id": filed.pk, "attachment_id": attachment.pk},
        )
    )

    assert (detail.status_code, download.status_code) == (200, 200)


def test_isolation__the_sweep_payload_works_for_the_owner(world):
    """The POST payload is one that does change things when the person is allowed to."""
    people, cases = world
    filed = cases["ville-a"][0]
    owner = _client("ville-a.localhost", people["ville-a"]["owner"])
    messages_before = Message.objects.filter(case=filed).count()

    response = owner.post(
        reverse("frontoffice:case_message", kwargs={"case_id": filed.pk}), _post_data()
    )

    assert response.status_code == 302
    assert Message.objects.filter(case=filed).count() == messages_before + 1


@pytest.mark.parametrize(
    ("who", "host", "whose"),
    [
        ("owner", "ville-a.localhost", "ville-b"),
        ("owner", "ville-b.localhost", "ville-b"),
        ("agent", "ville-a.localhost", "ville-b"),
        ("agent", "ville-b.localhost", "ville-b"),
        ("admin", "ville-a.localhost", "ville-b"),
        ("neighbour", "ville-a.localhost", "ville-a"),
    ],
    ids=[
        "resident_a_on_a_asks_b",
        "resident_a_on_b_asks_b",
        "agent_a_on_a_asks_b",
        "agent_a_on_b_asks_b",
        "admin_a_on_a_asks_b",
        "resident_2_asks_resident_1",
    ],
)
def test_isolation__object_routes_refuse_and_change_nothing(world, who, host, whose):
    people, cases = world
    client = _client(host, people["ville-a"][who])
    before = _snapshot()

    leaks = _sweep(client, cases[whose])

    assert leaks == []
    assert _snapshot() == before


def test_isolation__anonymous_is_sent_to_login_and_changes_nothing(world):
    _, cases = world
    before = _snapshot()

    leaks = _sweep(_client("ville-a.localhost"), cases["ville-a"], anonymous=True)

    assert leaks == []
    assert _snapshot() == before
