"""Inputs that once made Open311 answer a server error (found by tests/api/test_schemathesis.py):
each now answers an Open311 error that says what is wrong, and files nothing."""

import datetime
import json

import pytest
from django.utils import timezone

from guichet.public_space.models import Report
from tests.api.conftest import HOST

pytestmark = pytest.mark.django_db
BASE = "/api/open311/v2"


def _file(client, partner, body):
    return client.post(
        f"{BASE}/requests.json",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_HOST=HOST,
        HTTP_AUTHORIZATION=f"Bearer {partner.keys['open311']}",
    )


def test_open311_token__not_a_uuid_is_404(client, partner_a):
    response = client.get(f"{BASE}/tokens/abc.json", HTTP_HOST=HOST)

    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "token not found"}]


def test_open311_token__its_uuid_gives_the_number(client, partner_a):
    report = partner_a.report

    response = client.get(f"{BASE}/tokens/{report.token}.json", HTTP_HOST=HOST)

    assert response.json() == [{"service_request_id": report.number, "token": str(report.token)}]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("start_date=2010-13-45T00:00:00Z", "start_date"),  # no 13th month
        ("start_date=2010-02-30T00:00:00Z", "start_date"),  # no 30 February
        ("end_date=0001-01-01T00:00:00Z", "end_date"),  # 90 days before: before year 1
        ("start_date=9999-12-31T00:00:00Z", "start_date"),  # 90 days after: after 9999
    ],
)
@pytest.mark.parametrize("endpoint", ["requests", "servicerequestupdates"])
def test_open311_dates__impossible_or_edge_dates_are_400(client, partner_a, query, name, endpoint):
    response = client.get(f"{BASE}/{endpoint}.json?{query}", HTTP_HOST=HOST)

    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": f"{name} is not a W3C datetime (e.g. 2010-01-01T00:00:00Z)"}
    ]


@pytest.mark.parametrize("endpoint", ["requests", "servicerequestupdates"])
def test_open311_dates__any_offset_python_reads_is_accepted(client, partner_a, endpoint):
    # PostgreSQL refused -19:32 (found by schemathesis on PostgreSQL): dates go to it in UTC.
    today = timezone.now().date()
    start, end = today - datetime.timedelta(days=10), today + datetime.timedelta(days=10)
    query = f"start_date={start}T00:00:00-19:32&end_date={end}T00:00:00%2B14:00"

    response = client.get(f"{BASE}/{endpoint}.json?{query}", HTTP_HOST=HOST)

    assert response.status_code == 200
    assert len(response.json()) == 1


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"service_code": 5, "lat": "1", "long": "2"}, "service_code not found"),
        ({"service_code": ["nid-de-poule", None]}, "service_code must be text"),
        (
            {"service_code": "nid-de-poule", "address_string": {"a": 1}},
            "address_string must be text",
        ),
        ([1, 2], "the body must be a form or a JSON object"),
        ("nid-de-poule", "the body must be a form or a JSON object"),
    ],
)
def test_open311_file__a_json_body_that_is_not_text_is_400(client, partner_a, body, description):
    response = _file(client, partner_a, body)

    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": description}]
    assert Report.objects.count() == 1  # the seeded one only


def test_open311_file__json_numbers_are_read_as_text(client, partner_a):
    body = {
        "service_code": "nid-de-poule",
        "lat": 47.902964,
        "long": 1.909251,
        "description": "Trou",
        "attribute[surface]": "chaussee",
        "attribute[nature][]": ["trou", "fissure"],
    }

    response = _file(client, partner_a, body)

    assert response.status_code == 200
    report = Report.objects.get(number=response.json()[0]["service_request_id"])
    assert (str(report.latitude), str(report.longitude)) == ("47.902964", "1.909251")
    assert report.answers == {"surface": "chaussee", "nature": ["trou", "fissure"]}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/open311/v2/nothing.json", [{"code": 404, "description": "not found"}]),
        ("/open311/v2/services.csv", [{"code": 404, "description": "not found"}]),
        ("/api/nothing/", {"detail": "Not found."}),
    ],
)
def test_api_path__unknown_is_a_json_404(client, partner_a, path, body):
    response = client.get(path, HTTP_HOST=HOST)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == body


def test_site_path__unknown_is_still_the_html_page(client, partner_a):
    response = client.get("/nulle-part/", HTTP_HOST=HOST)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
