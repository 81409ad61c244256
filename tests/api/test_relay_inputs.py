"""The relay's refusals in the shapes its schema documents (found by
tests/api/test_schemathesis.py: malformed JSON answered DRF's `detail` instead of `errors`)."""

import pytest

from guichet.engine.models import Case
from tests.api.conftest import HOST

pytestmark = pytest.mark.django_db
URL = "/api/individuals/civil-status-requests/"


def _post(client, partner, data, content_type):
    return client.post(
        URL,
        data=data,
        content_type=content_type,
        HTTP_HOST=HOST,
        HTTP_AUTHORIZATION=f"Bearer {partner.keys['relay']}",
        HTTP_IDEMPOTENCY_KEY="portail-1",
    )


def test_relay__malformed_json_is_400_with_errors_on_the_body(client, partner_a):
    response = _post(client, partner_a, "\x00", "application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["errors"]
    assert list(response.json()["errors"]) == ["body"]
    assert response.json()["errors"]["body"][0].startswith("JSON parse error")
    assert Case.objects.count() == 0


def test_relay__a_form_is_415(client, partner_a):
    response = _post(client, partner_a, "act=birth", "application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert list(response.json()) == ["detail"]
    assert Case.objects.count() == 0


def test_relay__answers_json_even_to_a_browser(client, partner_a):
    # No browsable HTML page (it would carry inline script): JSON, or 406 (in JSON) to a
    # client that accepts HTML only.
    response = client.get(URL, HTTP_HOST=HOST, HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert b"<script" not in response.content
