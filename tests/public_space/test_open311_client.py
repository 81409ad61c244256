"""A third-party Open311 client (`georeport` from PyPI) reads our API over HTTP, from the
platform's host with `jurisdiction_id`, in JSON and in XML."""

import pytest

from guichet.public_space import services
from tests.public_space.conftest import HERE

georeport = pytest.importorskip("georeport")


@pytest.fixture
def filed(pothole):
    return services.report_file(
        category=pothole,
        description="Trou profond",
        latitude=HERE[0],
        longitude=HERE[1],
        address="18 avenue de la République",
        answers={"surface": "chaussee"},
    )


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_client_reads_services_and_requests(live_server, filed, output_format):
    client = georeport.GeoReport(
        f"{live_server.url}/open311/v2/", jurisdiction="ville-a", output_format=output_format
    )

    service_list = client.get_service_list()
    definition = client.get_service_definition("nid-de-poule")
    requests = client.get_service_requests(status="open", service_code="nid-de-poule")
    one = client.get_service_request(filed.number)

    if output_format == "xml":  # xmltodict: one child is a dict, several a list; text only
        service_list = [service_list] if isinstance(service_list, dict) else service_list
        requests = [requests] if isinstance(requests, dict) else requests
        one = one if isinstance(one, dict) else one[0]
        attribute = definition["attributes"]["attribute"][0]
    else:
        attribute = definition["attributes"][0]
    assert [s["service_code"] for s in service_list] == ["nid-de-poule"]
    assert attribute["code"] == "surface"
    assert [r["service_request_id"] for r in requests] == [filed.number]
    assert (one["service_request_id"], one["status"], one["lat"]) == (
        filed.number,
        "open",
        "47.902964",
    )
