"""Who may do what, for every route the project has at run time (including routes added
after this test was written): each URL pattern is found by walking the resolver, filled
with ids of real objects of the city, then called as each kind of person.

- every `backoffice:` route: anonymous → login (or refused), a resident, an agent of
  another authority → refused; an agent of another service cannot open a case of the service;
  an agent and an administrator get the page;
- every `frontoffice:` route about a case: anonymous → login, another resident, an
  agent of another authority → 404;
- every `api:` route refuses a call without a key (or with another authority's key)
  unless declared in `guichet.api.public.PUBLIC_API_ROUTES`;
- no page answers a server error, and a refused write changes no row.
"""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guichet.api.public import PUBLIC_API_ROUTES
from guichet.security.api_keys import api_key_create
from guichet.security.models import ApiKey
from tests import factories

pytestmark = pytest.mark.django_db

HOST = "ville-a.localhost"
REFUSED = {403, 404}
REFUSED_GET = {403, 404, 405}  # a POST-only view may say 405 before asking who calls
# What a write could carry: status, message body, assignee, answers.
WRITE = {"status": "x", "to": "x", "body": "x", "comment": "x", "assigned_to": "1"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    converters: tuple[tuple[str, str], ...]  # (kwarg, converter class name)

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list, namespace: str = "") -> list[Route]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            found += _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = tuple(
                (name, type(conv).__name__) for name, conv in entry.pattern.converters.items()
            )
            found.append(
                Route(f"{namespace}:{entry.name}" if namespace else entry.name, converters)
            )
    return found


def routes_in(namespace: str) -> list[Route]:
    unique = {route.name: route for route in _walk(get_resolver().url_patterns)}
    return sorted(
        (route for route in unique.values() if route.name.startswith(f"{namespace}:")),
        key=lambda route: route.name,
    )


BACKOFFICE = routes_in("backoffice")
FRONTOFFICE_CASE = [r for r in routes_in("frontoffice") if "case_id" in dict(r.converters)]
FRONTOFFICE = routes_in("frontoffice")
API = routes_in("api")


@pytest.fixture
def world(city, other_city, procedure, resident, agent, filed_case):
    """The city's people and objects, and intruders of each kind."""
    attachment = filed_case.attachments.first()
    return {
        "case": filed_case,
        "attachment": attachment,
        "procedure": procedure,
        "resident": resident,
        "other_resident": factories.resident(city, "intrus@example.fr"),
        "agent": agent,
        "roads_agent": factories.agent(city, "voirie@example.fr", services=("voirie",)),
        "admin": factories.person(city, "admin@example.fr", is_authority_admin=True),
        "foreign_agent": factories.agent(other_city, "agent-b@example.fr"),
        "foreign_resident": factories.resident(other_city, "camille@example.fr"),
    }


# Domain pages (their names start with the domain) about a case expect a case of their
# own kind: the world's civil-status case fills their URL but does not complete it.
# Pages of a network operator (the barometer's campaigns), not of an authority's admin.
OPERATORS_ONLY = ("barometer_campaign",)
DOMAINS = ("associations_", "individuals_", "public_space_", "real_estate_", "facilities_")


def url_for(route: Route, world: dict) -> tuple[str, bool]:
    """The route's URL with real objects' ids, and whether every argument was known."""
    domain_specific = route.name.split(":")[-1].startswith(DOMAINS)
    known = {
        "case_id": world["case"].pk,
        "attachment_id": world["attachment"].pk,
        "slug": world["procedure"].slug,
    }
    kwargs, complete = {}, True
    for name, converter in route.converters:
        if name in known:
            kwargs[name] = known[name]
            complete = complete and not (domain_specific and name == "case_id")
        else:
            complete = False
            kwargs[name] = 1 if converter == "IntConverter" else "x"
    return reverse(route.name, kwargs=kwargs), complete


def client_as(user=None) -> Client:
    client = Client(HTTP_HOST=HOST)
    if user is not None:
        client.force_login(user)
    return client


def snapshot() -> dict:
    """Every row of the project's own tables (the sessions and login logs aside)."""
    rows = {}
    for model in apps.get_models():
        if model.__module__.startswith("guichet."):
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/connexion/" in response["Location"]


def test_the_matrix__finds_the_routes_of_every_interface():
    names = {route.name for route in BACKOFFICE + FRONTOFFICE}

    assert {"backoffice:queue", "backoffice:case", "frontoffice:case_detail"} <= names
    assert "frontoffice:case_detail" in {route.name for route in FRONTOFFICE_CASE}


@pytest.mark.parametrize("route", BACKOFFICE, ids=str)
def test_backoffice_route__refuses_anyone_but_this_authoritys_agents(route, world):
    url, _complete = url_for(route, world)
    anonymous = client_as()
    intruders = {
        who: client_as(world[who]) for who in ("resident", "foreign_agent", "foreign_resident")
    }
    before = snapshot()

    get, post = anonymous.get(url), anonymous.post(url, WRITE)
    assert is_login_redirect(get) or get.status_code in REFUSED_GET, url
    assert is_login_redirect(post) or post.status_code in REFUSED, url
    for who, client in intruders.items():
        assert client.get(url).status_code in REFUSED_GET, (who, url)
        assert client.post(url, WRITE).status_code in REFUSED, (who, url)

    assert snapshot() == before


@pytest.mark.parametrize("route", BACKOFFICE, ids=str)
def test_backoffice_route__serves_administrators_and_agents_or_refuses_them(route, world):
    """Administrators get every page; an agent gets it or a refusal (pages for
    administrators or the data protection officer), never the login page again."""
    url, complete = url_for(route, world)
    if not complete:
        pytest.skip(f"{url}: arguments this test cannot fill")

    admin = client_as(world["admin"]).get(url)
    agent = client_as(world["agent"]).get(url)

    operators_only = route.name.split(":")[-1].startswith(OPERATORS_ONLY)
    assert admin.status_code in {200, 302, 405} | ({404} if operators_only else set()), (
        url,
        admin.status_code,
    )
    assert agent.status_code in {200, 302, 403, 404, 405}, (url, agent.status_code)
    assert not is_login_redirect(admin), url
    assert not is_login_redirect(agent), url


@pytest.mark.parametrize(
    "route", [r for r in BACKOFFICE if "case_id" in dict(r.converters)], ids=str
)
def test_backoffice_case_route__refuses_an_agent_of_another_service(route, world):
    url, _complete = url_for(route, world)
    client = client_as(world["roads_agent"])
    before = snapshot()

    assert client.get(url).status_code in {404, 405}, url
    assert client.post(url, WRITE).status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("route", FRONTOFFICE_CASE, ids=str)
def test_frontoffice_case_route__only_for_its_applicant(route, world):
    url, _complete = url_for(route, world)
    anonymous = client_as()
    intruders = {
        who: client_as(world[who])
        for who in ("other_resident", "foreign_agent", "foreign_resident")
    }
    before = snapshot()

    get = anonymous.get(url)
    assert is_login_redirect(get) or get.status_code == 405, url
    assert is_login_redirect(anonymous.post(url, WRITE)), url
    for who, client in intruders.items():
        assert client.get(url).status_code in {404, 405}, (who, url)
        assert client.post(url, WRITE).status_code in {404, 405}, (who, url)

    assert snapshot() == before


@pytest.mark.parametrize("route", FRONTOFFICE, ids=str)
def test_frontoffice_route__an_empty_anonymous_post_never_fails_nor_writes(route, world):
    url, _complete = url_for(route, world)
    before = snapshot()

    response = client_as().post(url, {})

    assert response.status_code < 500, url
    assert snapshot() == before


@pytest.mark.parametrize("route", API, ids=str)
def test_api_route__refuses_calls_without_a_key_of_this_authority(route, world, other_city):
    if route.name in PUBLIC_API_ROUTES:
        pytest.skip(f"declared public: {PUBLIC_API_ROUTES[route.name]}")
    url, _complete = url_for(route, world)
    _key, foreign_raw = api_key_create(
        authority=other_city, name="Autre", scopes=list(ApiKey.Scope.values)
    )
    before = snapshot()

    for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {foreign_raw}"}):
        statuses = [
            client_as().get(url, **headers).status_code,
            client_as().post(url, {}, **headers).status_code,
        ]
        assert set(statuses) <= {401, 403, 405}, (url, headers, statuses)
        assert set(statuses) & {401, 403}, (url, headers, statuses)
    assert snapshot() == before


def test_rights_end_when_an_agent_leaves_the_service(world):
    client = client_as(world["agent"])
    url = reverse("backoffice:case", args=[world["case"].pk])
    assert client.get(url).status_code == 200

    world["agent"].memberships.all().delete()

    assert client.get(url).status_code == 404
    assert client.get(reverse("backoffice:queue")).status_code == 404


def test_backoffice_transition__a_step_its_domain_owns_is_refused_even_to_its_agents(world):
    """Issuing a certificate is the civil-status page's (it checks who may obtain it): the
    generic transition route refuses it to the case's agent and to an administrator."""
    from guichet.engine import services as engine

    case = engine.case_transition(case=world["case"], name="take", by=world["agent"])
    url = reverse("backoffice:transition", args=[case.pk])
    clients = [client_as(world[who]) for who in ("agent", "admin")]
    before = snapshot()

    statuses = [
        client.post(url, {"name": "accept", "comment": "x"}).status_code for client in clients
    ]

    assert statuses == [403, 403]
    assert snapshot() == before
