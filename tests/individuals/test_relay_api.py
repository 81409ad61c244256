import json

import pytest

from guichet.engine.models import Case
from guichet.individuals.models import CivilStatusRequest
from guichet.security.api_keys import api_key_create
from tests.individuals.conftest import RELAY_BODY

pytestmark = pytest.mark.django_db
URL = "/api/individuals/civil-status-requests/"


def _post(client, key, body, idempotency="portail-000123", raw=None):
    return client.post(
        URL,
        data=raw if raw is not None else json.dumps(body),
        content_type="application/json",
        HTTP_HOST="ville-a.localhost",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_IDEMPOTENCY_KEY=idempotency,
    )


def test_relay__the_same_request_posted_twice_makes_one_case(client, relay_key):
    first = _post(client, relay_key, RELAY_BODY)
    second = _post(client, relay_key, RELAY_BODY)

    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json() == second.json()
    case = Case.objects.get()
    assert first.json() == {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "status": "submitted",
    }
    assert (case.channel, case.applicant, case.contact["last_name"]) == ("partner", None, "Martin")
    assert CivilStatusRequest.objects.get().relay_partner == "Portail national"


def test_relay__another_idempotency_key_is_another_request(client, relay_key):
    _post(client, relay_key, RELAY_BODY, idempotency="a")
    _post(client, relay_key, RELAY_BODY, idempotency="b")

    assert Case.objects.count() == 2


def test_relay__malformed_json_is_400(client, relay_key):
    response = _post(client, relay_key, None, raw='{"act": ')

    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_relay__a_field_in_error_is_named(client, relay_key):
    body = json.loads(json.dumps(RELAY_BODY))
    body["act"]["date"] = "12/04/1990"
    body["requester"]["relationship"] = "cousin"

    response = _post(client, relay_key, body)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["act", "requester"]
    assert list(errors["act"]) == ["date"]
    # DRF's own messages in French (rest_framework is an installed app: its catalogue loads).
    assert errors["requester"]["relationship"] == ["«\xa0cousin\xa0» n'est pas un choix valide."]
    assert Case.objects.count() == 0


def test_relay__without_idempotency_key_is_400(client, relay_key):
    response = _post(client, relay_key, RELAY_BODY, idempotency="")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


def test_relay__a_wrong_key_is_403(client, city, relay_key):
    _key, open311 = api_key_create(authority=city, name="Appli", scopes=["open311"])

    assert _post(client, "nope.nope", RELAY_BODY).status_code == 403
    assert _post(client, open311, RELAY_BODY).status_code == 403
    assert Case.objects.count() == 0


def test_relay__a_key_of_another_authority_is_403(client, other_city, relay_key):
    _key, other = api_key_create(authority=other_city, name="Portail", scopes=["relay"])

    assert _post(client, other, RELAY_BODY).status_code == 403


def test_relay__a_copy_the_requester_may_not_obtain_is_422_with_the_rule(client, relay_key):
    body = json.loads(json.dumps(RELAY_BODY))
    body["requester"]["relationship"] = "other"

    response = _post(client, relay_key, body)

    assert response.status_code == 422
    assert response.json()["code"] == "not_allowed"
    assert "extrait sans filiation" in response.json()["detail"]
    assert Case.objects.count() == 0
