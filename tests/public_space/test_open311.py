"""Contract tests of the Open311 GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2),
in JSON and XML, with the specification's field and element names."""

import datetime
import json
import re
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from guichet.interventions import services as interventions
from guichet.public_space import services
from guichet.public_space.models import Report
from guichet.security.api_keys import api_key_create
from tests import factories
from tests.public_space.conftest import HERE, photo_upload

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
BASE = "/open311/v2"


@pytest.fixture
def key(city):
    return api_key_create(authority=city, name="FixMyStreet", scopes=["open311"])[1]


@pytest.fixture
def filed(pothole, road_agent):
    report = services.report_file(
        category=pothole,
        description="Trou profond",
        latitude=HERE[0],
        longitude=HERE[1],
        address="18 avenue de la République",
        answers={"surface": "chaussee"},
        contact_email="alice@example.fr",
        photos=[photo_upload()],
    )
    services.report_photo_publish(photo=report.photos.get(), by=road_agent)
    return report


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def children(element):
    return [child.tag for child in element]


def test_discovery(city_client):
    body = city_client.get(f"{BASE}/discovery.json").json()
    assert body["contact"] == "contact@ville-a.fr"
    assert body["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://ville-a.localhost/open311/v2/",
            "changeset": body["changeset"],
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ]
    root = xml(city_client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list(city_client, pothole, lighting):
    assert city_client.get(f"{BASE}/services.json").json() == [
        {
            "service_code": "nid-de-poule",
            "service_name": "Nid-de-poule",
            "description": "Chaussée abîmée",
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": "Voirie",
        },
        {
            "service_code": "eclairage",
            "service_name": "Éclairage",
            "description": "",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        },
    ]
    root = xml(city_client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert children(root) == ["service", "service"]
    first = root.find("service")
    assert children(first) == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert (first.findtext("service_code"), first.findtext("metadata")) == ("nid-de-poule", "true")


def test_service_definition(city_client, pothole):
    body = city_client.get(f"{BASE}/services/nid-de-poule.json").json()
    assert body["service_code"] == "nid-de-poule"
    assert body["attributes"][0] == {
        "variable": True,
        "code": "surface",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "",
        "order": 1,
        "description": "Où se trouve le défaut ?",
        "values": [
            {"key": "chaussee", "name": "Sur la chaussée"},
            {"key": "trottoir", "name": "Sur le trottoir"},
        ],
    }
    assert body["attributes"][1]["datatype"] == "multivaluelist"
    root = xml(city_client.get(f"{BASE}/services/nid-de-poule.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert children(attribute) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert [(v.findtext("key"), v.findtext("name")) for v in attribute.find("values")] == [
        ("chaussee", "Sur la chaussée"),
        ("trottoir", "Sur le trottoir"),
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_a_404_in_the_error_format(city_client, pothole, fmt):
    response = city_client.get(f"{BASE}/services/inconnu.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert response.json() == [{"code": 404, "description": "service_code not found"}]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
            ("404", "service_code not found")
        ]


def test_post_request_with_api_key_form_field(city_client, pothole, key):
    response = city_client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "nid-de-poule",
            "lat": "47.902964",
            "long": "1.909251",
            "address_string": "18 avenue de la République",
            "attribute[surface]": "trottoir",
            "attribute[nature][]": ["trou", "fissure"],
            "email": "fms@example.fr",
            "first_name": "Léa",
            "last_name": "Roux",
            "phone": "0600000000",
            "description": "Trou signalé via FixMyStreet",
            "media_url": "https://fms.example/photo/1.jpeg",
        },
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert response.json() == [
        {
            "service_request_id": report.number,
            "token": str(report.token),
            "service_notice": "",
            "account_id": None,
        }
    ]
    assert (report.channel, report.contact_name, report.contact_email) == (
        "api",
        "Léa Roux",
        "fms@example.fr",
    )
    assert report.answers == {"surface": "trottoir", "nature": ["trou", "fissure"]}
    assert (report.latitude, report.longitude, report.media_url) == (
        HERE[0],
        HERE[1],
        "https://fms.example/photo/1.jpeg",
    )


def test_post_request_in_xml_with_the_key_in_a_header(city_client, pothole, key):
    response = city_client.post(
        f"{BASE}/requests.xml",
        {
            "service_code": "nid-de-poule",
            "address_string": "47.9, 1.9",
            "attribute[surface]": "chaussee",
            "description": "x",
        },
        HTTP_X_API_KEY=key,
    )
    root = xml(response)
    assert root.tag == "service_requests"
    assert children(root.find("request")) == [
        "service_request_id",
        "token",
        "service_notice",
        "account_id",
    ]
    assert root.findtext("request/service_request_id") == Report.objects.get().number


@pytest.mark.parametrize(
    ("data", "status", "description"),
    [
        (
            {"service_code": "nid-de-poule", "lat": "47.9", "long": "1.9"},
            403,
            "api_key was not provided or is invalid",
        ),
        (
            {"api_key": "nope.nope", "service_code": "nid-de-poule", "lat": "47.9", "long": "1.9"},
            403,
            "api_key was not provided or is invalid",
        ),
        (
            {"api_key": "KEY", "service_code": "inconnu", "lat": "47.9", "long": "1.9"},
            400,
            "service_code not found",
        ),
        ({"api_key": "KEY", "lat": "47.9", "long": "1.9"}, 400, "service_code not provided"),
        (
            {"api_key": "KEY", "service_code": "nid-de-poule", "attribute[surface]": "chaussee"},
            400,
            "a location is required: lat and long, or address_string",
        ),
        (
            {"api_key": "KEY", "service_code": "nid-de-poule", "lat": "north", "long": "1.9"},
            400,
            "lat and long must be decimal degrees (WGS84)",
        ),
        (
            {"api_key": "KEY", "service_code": "nid-de-poule", "lat": "47.9", "long": "1.9"},
            400,
            "Réponse manquante ou invalide : Où se trouve le défaut ?.",
        ),
    ],
)
def test_post_errors(city_client, pothole, key, data, status, description):
    data = {k: (key if v == "KEY" else v) for k, v in data.items()}
    response = city_client.post(f"{BASE}/requests.json", data)
    assert (response.status_code, response.json()) == (
        status,
        [{"code": status, "description": description}],
    )
    assert Report.objects.count() == 0


def test_a_key_of_another_authority_or_scope_is_refused(city_client, pothole, other_city, city):
    foreign = api_key_create(authority=other_city, name="x", scopes=["open311"])[1]
    relay = api_key_create(authority=city, name="y", scopes=["relay"])[1]
    for raw in (foreign, relay):
        response = city_client.post(
            f"{BASE}/requests.json",
            {"api_key": raw, "service_code": "nid-de-poule", "lat": "47.9", "long": "1.9"},
        )
        assert response.status_code == 403


def test_get_requests_json_and_xml(city_client, filed):
    body = city_client.get(f"{BASE}/requests.json").json()
    assert len(body) == 1
    item = body[0]
    assert list(item) == REQUEST_FIELDS
    assert item["service_request_id"] == filed.number
    assert (item["status"], item["service_code"], item["lat"], item["long"]) == (
        "open",
        "nid-de-poule",
        "47.902964",
        "1.909251",
    )
    assert item["agency_responsible"] == "voirie"
    assert W3C.match(item["requested_datetime"])
    photo = filed.photos.get()
    assert (
        item["media_url"]
        == f"http://ville-a.localhost/signalements/{filed.number}/photos/{photo.pk}/"
    )
    assert "alice@example.fr" not in json.dumps(body)

    root = xml(city_client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    assert children(root.find("request")) == REQUEST_FIELDS
    assert city_client.get(f"{BASE}/requests/{filed.number}.json").json() == body
    one = xml(city_client.get(f"{BASE}/requests/{filed.number}.xml"))
    assert one.findtext("request/service_request_id") == filed.number


def test_get_requests_filters(city_client, filed, pothole, lighting, road_agent):
    lamp = services.report_file(category=lighting, description="x", address="Place")
    old = services.report_file(category=lighting, description="old", address="Place")
    Report.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=120)
    )
    services.report_reject(report=lamp, by=road_agent, message="m", competent_body="Département")

    def ids(**params):
        return [
            r["service_request_id"] for r in city_client.get(f"{BASE}/requests.json", params).json()
        ]

    assert ids() == [lamp.number, filed.number]
    assert ids(status="closed") == [lamp.number]
    assert ids(status="open,closed") == [lamp.number, filed.number]
    assert ids(service_code="nid-de-poule") == [filed.number]
    assert ids(service_request_id=f"{old.number},{filed.number}") == [filed.number, old.number]
    start = (timezone.now() - datetime.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - datetime.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=start, end_date=end) == [old.number]
    too_wide = city_client.get(
        f"{BASE}/requests.json",
        {"start_date": "2020-01-01T00:00:00Z", "end_date": "2021-01-01T00:00:00Z"},
    )
    assert too_wide.status_code == 400
    assert city_client.get(f"{BASE}/requests.json", {"start_date": "hier"}).status_code == 400
    assert city_client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400


def test_unknown_request_and_token(city_client, filed):
    response = city_client.get(f"{BASE}/requests/2099-SIG-000001.xml")
    assert response.status_code == 404
    assert xml(response).findtext("error/description") == "service_request_id not found"
    assert (
        city_client.get(f"{BASE}/tokens/00000000-0000-0000-0000-000000000000.json").status_code
        == 404
    )


def test_token(city_client, filed):
    assert city_client.get(f"{BASE}/tokens/{filed.token}.json").json() == [
        {"service_request_id": filed.number, "token": str(filed.token)}
    ]
    root = xml(city_client.get(f"{BASE}/tokens/{filed.token}.xml"))
    assert children(root.find("request")) == ["service_request_id", "token"]


def test_service_request_updates(city_client, filed, road_agent):
    order = services.reports_work_order_create(reports=[filed], by=road_agent)
    interventions.work_order_close(
        work_order=order, by=road_agent, comment="Rebouché", photo=photo_upload()
    )
    updates = city_client.get(f"{BASE}/servicerequestupdates.json").json()
    assert [(u["status"], u["description"]) for u in updates] == [
        ("open", "Signalement reçu."),
        ("open", "Intervention programmée."),
        ("closed", "Rebouché"),
    ]
    assert list(updates[-1]) == [
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    ]
    assert updates[-1]["media_url"].startswith(
        f"http://ville-a.localhost/signalements/{filed.number}/suivi/"
    )
    assert (
        city_client.get(
            updates[-1]["media_url"].removeprefix("http://ville-a.localhost")
        ).status_code
        == 200
    )
    root = xml(city_client.get(f"{BASE}/servicerequestupdates.xml"))
    assert root.tag == "service_request_updates"
    assert children(root) == ["request_update"] * 3
    future = city_client.get(
        f"{BASE}/servicerequestupdates.json",
        {"start_date": "2099-01-01T00:00:00Z", "end_date": "2099-02-01T00:00:00Z"},
    )
    assert future.json() == []


def test_platform_host_needs_the_jurisdiction(client, filed, other_city):
    assert client.get(f"{BASE}/services.json").json() == [
        {"code": 400, "description": "jurisdiction_id not provided"}
    ]
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "nowhere"}).status_code == 404
    services_ = client.get(f"{BASE}/services.json", {"jurisdiction_id": "ville-a"}).json()
    assert [s["service_code"] for s in services_] == ["nid-de-poule"]
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "ville-b"}).json() == []


def test_another_authority_sees_nothing_of_ours(client, filed, other_city):
    client.defaults["HTTP_HOST"] = "ville-b.localhost"
    assert client.get(f"{BASE}/requests.json").json() == []
    assert client.get(f"{BASE}/requests/{filed.number}.json").status_code == 404
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "ville-a"}).status_code == 404


def test_also_under_api_prefix(city_client, pothole):
    assert (
        city_client.get("/api/open311/v2/services.json").json()[0]["service_code"] == "nid-de-poule"
    )


def test_demo_key_is_seeded(db):
    from guichet.cli.demo_seeds.public_space import DEMO_KEY_PREFIX, DEMO_KEY_SECRET
    from guichet.security.api_keys import api_key_authenticate

    city = factories.authority("ville-demo")
    from guichet.cli.demo_seeds import public_space as seed

    seed._api_key(city)
    assert api_key_authenticate(
        authority=city, raw=f"{DEMO_KEY_PREFIX}.{DEMO_KEY_SECRET}", scope="open311"
    )


def test_post_on_the_platform_host_with_the_jurisdiction(client, pothole, key):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "jurisdiction_id": "ville-a",
            "api_key": key,
            "service_code": "nid-de-poule",
            "lat": "47.9",
            "long": "1.9",
            "attribute[surface]": "chaussee",
            "description": "x" * 4000,
        },
    )
    assert response.status_code == 200
    assert Report.objects.get().authority.slug == "ville-a"
    too_long = client.post(
        f"{BASE}/requests.json",
        {
            "jurisdiction_id": "ville-a",
            "api_key": key,
            "service_code": "nid-de-poule",
            "lat": "47.9",
            "long": "1.9",
            "attribute[surface]": "chaussee",
            "description": "x" * 4001,
        },
    )
    assert too_long.status_code == 400


def test_requests_list_queries_do_not_grow_with_the_results(
    city_client, filed, pothole, django_assert_max_num_queries
):
    for _ in range(5):
        services.report_file(
            category=pothole, description="x", address="a", answers={"surface": "chaussee"}
        )
    with django_assert_max_num_queries(6):
        assert len(city_client.get(f"{BASE}/requests.json").json()) == 6


def test_platform_host_errors_answer_in_the_requested_format(client, pothole):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 400
    root = xml(response)
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
        ("400", "jurisdiction_id not provided")
    ]
