"""A key is one authority's and grants scopes: a key of authority A never reads or writes B's
data through any API endpoint, and a key without the scope a write needs is refused (403)
with nothing changed. The writes and their scopes are read from the OpenAPI schema, so that
a new keyed operation is covered here without editing this file."""

import json

import pytest

from guichet.engine.models import Case
from guichet.public_space.models import Report, ReportUpdate
from guichet.security.api_keys import api_key_revoke
from guichet.security.models import ApiKey
from tests.api.conftest import HOST, openapi_document
from tests.individuals.conftest import RELAY_BODY

pytestmark = pytest.mark.django_db

OPEN311_FORM = {
    "service_code": "nid-de-poule",
    "lat": "47.902964",
    "long": "1.909251",
    "description": "Trou",
    "attribute[surface]": "chaussee",
}
# A valid body for each keyed write, so that only the key can make the difference.
BODIES = {
    "/api/open311/v2/requests.{format}": OPEN311_FORM,
    "/api/individuals/civil-status-requests/": RELAY_BODY,
}
CREATED = {200, 201}


def keyed_writes() -> list[tuple[str, str]]:
    """(path, scope) of every operation that needs a key, from the schema."""
    return sorted(
        (path, operation["x-api-key-scope"])
        for path, operations in openapi_document()["paths"].items()
        for operation in operations.values()
        if operation.get("security") and {} not in operation["security"]
    )


WRITES = keyed_writes()


def test_keyed_writes__are_the_two_known_ones():
    assert WRITES == [
        ("/api/individuals/civil-status-requests/", "relay"),
        ("/api/open311/v2/requests.{format}", "open311"),
    ]


def snapshot() -> dict[str, int]:
    return {
        "reports": Report.objects.count(),
        "updates": ReportUpdate.objects.count(),
        "cases": Case.objects.count(),
    }


def _post(client, path, key, *, host=HOST, query=""):
    url = path.replace("{format}", "json") + query
    return client.post(
        url,
        data=json.dumps(BODIES[path]),
        content_type="application/json",
        HTTP_HOST=host,
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_IDEMPOTENCY_KEY="portail-1",
    )


@pytest.mark.parametrize(("path", "scope"), WRITES)
def test_write__a_key_without_the_scope_is_403_and_changes_nothing(
    client, partner_a, partner_b, path, scope
):
    before = snapshot()

    for other_scope, key in partner_a.keys.items():
        if other_scope == scope:
            continue
        assert _post(client, path, key).status_code == 403, other_scope

    assert snapshot() == before
    assert _post(client, path, partner_a.keys[scope]).status_code in CREATED


@pytest.mark.parametrize(("path", "scope"), WRITES)
def test_write__another_authoritys_key_is_403_and_changes_nothing(
    client, partner_a, partner_b, path, scope
):
    before = snapshot()

    assert _post(client, path, partner_b.full_key).status_code == 403
    # On the platform's own host, naming B: A's key is still not B's.
    platform = _post(
        client, path, partner_a.full_key, host="testserver", query="?jurisdiction_id=ville-b"
    )
    assert platform.status_code == 403

    assert snapshot() == before


@pytest.mark.parametrize(("path", "scope"), WRITES)
def test_write__a_revoked_key_is_403(client, partner_a, path, scope):
    key = ApiKey.objects.get(prefix=partner_a.keys[scope].split(".")[0])
    api_key_revoke(key=key)
    before = snapshot()

    assert _post(client, path, partner_a.keys[scope]).status_code == 403
    assert snapshot() == before


def test_open311_file__the_key_in_the_form_needs_the_scope_too(client, partner_a):
    before = snapshot()

    refused = client.post(
        "/api/open311/v2/requests.json",
        {**OPEN311_FORM, "api_key": partner_a.keys["relay"]},
        HTTP_HOST=HOST,
    )

    assert refused.status_code == 403
    assert refused.json() == [
        {"code": 403, "description": "api_key was not provided or is invalid"}
    ]
    assert snapshot() == before


def test_open311_read__a_key_of_a_sees_only_a_reports(client, partner_a, partner_b):
    theirs = partner_b.report
    key = {"HTTP_AUTHORIZATION": f"Bearer {partner_a.keys['open311']}", "HTTP_HOST": HOST}

    listed = client.get("/api/open311/v2/requests.json", **key).json()
    by_number = client.get(
        f"/api/open311/v2/requests.json?service_request_id={theirs.number}", **key
    ).json()
    one = client.get(f"/api/open311/v2/requests/{theirs.number}.json", **key)
    token = client.get(f"/api/open311/v2/tokens/{theirs.token}.json", **key)
    updates = client.get("/api/open311/v2/servicerequestupdates.json", **key).json()

    # Both reports have the same number (numbers count per authority): the one read is A's.
    assert [r["description"] for r in listed] == ["Trou profond devant l'école"]
    assert [r["description"] for r in by_number] == ["Trou profond devant l'école"]
    assert one.json()[0]["description"] == "Trou profond devant l'école"
    assert token.status_code == 404
    # One update each (filing); A's key lists A's only.
    assert ReportUpdate.objects.count() == 2
    assert len(updates) == 1
    assert updates[0]["update_id"] == str(partner_a.report.updates.get().pk)


def test_open311_read__naming_b_on_a_host_is_404_and_a_key_of_a_is_refused_for_b(
    client, partner_a, partner_b
):
    key = {"HTTP_AUTHORIZATION": f"Bearer {partner_a.keys['open311']}"}

    on_a_host = client.get(
        "/api/open311/v2/requests.json?jurisdiction_id=ville-b", HTTP_HOST=HOST, **key
    )
    on_platform = client.get(
        "/api/open311/v2/requests.json?jurisdiction_id=ville-b", HTTP_HOST="testserver", **key
    )

    assert on_a_host.status_code == 404
    assert on_a_host.json() == [{"code": 404, "description": "jurisdiction_id not found"}]
    assert on_platform.status_code == 403
