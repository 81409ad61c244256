"""The OpenAPI schema: valid, without a generator warning, covering exactly the API's
operations with the statuses they really answer, and served at /api/schema/."""

import yaml
from django.core.management import call_command

from tests.api.conftest import HOST

KEY = [{"bearerKey": []}, {"apiKeyHeader": []}]
KEY_OR_NONE = [*KEY, {}]
OPEN311_READ = (["200", "400", "403", "404"], KEY_OR_NONE)
OPERATIONS = {
    ("get", "/api/barometre/{slug}.json"): (["200", "404"], None),
    ("get", "/api/barometre/niveaux.json"): (["200", "404"], None),
    ("post", "/api/individuals/civil-status-requests/"): (
        ["200", "201", "400", "403", "415", "422", "429"],
        KEY,
    ),
    ("get", "/api/open311/v2/discovery.{format}"): OPEN311_READ,
    ("get", "/api/open311/v2/requests.{format}"): OPEN311_READ,
    ("post", "/api/open311/v2/requests.{format}"): (
        ["200", "400", "403", "404", "415", "429"],
        KEY,
    ),
    ("get", "/api/open311/v2/requests/{service_request_id}.{format}"): OPEN311_READ,
    ("get", "/api/open311/v2/servicerequestupdates.{format}"): OPEN311_READ,
    ("get", "/api/open311/v2/services.{format}"): OPEN311_READ,
    ("get", "/api/open311/v2/services/{service_code}.{format}"): OPEN311_READ,
    ("get", "/api/open311/v2/tokens/{token}.{format}"): OPEN311_READ,
}


def _generate(tmp_path) -> dict:
    path = tmp_path / "schema.yaml"
    # Raises (SchemaGenerationError) on any warning or an invalid OpenAPI document.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema__valid_and_covers_exactly_the_api_operations(tmp_path):
    schema = _generate(tmp_path)

    assert schema["openapi"] == "3.0.3"
    found = {
        (method, path): (sorted(operation["responses"]), operation.get("security"))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert found == OPERATIONS


def test_schema__describes_the_key_both_ways_and_the_scope_each_write_needs(tmp_path):
    schema = _generate(tmp_path)

    assert schema["components"]["securitySchemes"] == {
        "bearerKey": {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <key>`: a key of the host's authority.",
        },
        "apiKeyHeader": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": "The same key, in its own header.",
        },
    }
    paths = schema["paths"]
    assert paths["/api/open311/v2/requests.{format}"]["post"]["x-api-key-scope"] == "open311"
    assert paths["/api/individuals/civil-status-requests/"]["post"]["x-api-key-scope"] == "relay"


def test_schema__open311_filters_and_formats_are_parameters(tmp_path):
    operation = _generate(tmp_path)["paths"]["/api/open311/v2/requests.{format}"]["get"]

    parameters = {(p["in"], p["name"]): p for p in operation["parameters"]}
    assert sorted(parameters) == [
        ("path", "format"),
        ("query", "end_date"),
        ("query", "jurisdiction_id"),
        ("query", "service_code"),
        ("query", "service_request_id"),
        ("query", "start_date"),
        ("query", "status"),
    ]
    assert parameters["path", "format"]["schema"]["enum"] == ["json", "xml"]
    assert parameters["query", "start_date"]["schema"] == {"type": "string", "format": "date-time"}


def test_schema__served_to_anyone_as_yaml_or_json(client, city):
    as_yaml = client.get("/api/schema/", HTTP_HOST=HOST)
    as_json = client.get("/api/schema/?format=json", HTTP_HOST=HOST)

    assert as_yaml.status_code == 200
    assert as_yaml["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert yaml.safe_load(as_yaml.content)["info"]["title"] == "Guichet API"
    assert as_json["Content-Type"] == "application/vnd.oai.openapi+json"
    assert sorted(as_json.json()["paths"]) == sorted({path for _method, path in OPERATIONS})


def test_docs_page__lists_every_operation_with_its_key_and_statuses(client, city):
    page = client.get("/api/docs/", HTTP_HOST=HOST)

    assert page.status_code == 200
    html = page.content.decode()
    for method, path in OPERATIONS:
        assert f"<code>{method.upper()} {path}</code>" in html
    assert html.count("Clé obligatoire, avec le droit <code>relay</code>.") == 1
    assert html.count("Clé obligatoire, avec le droit <code>open311</code>.") == 1
    assert html.count("Public : sans clé.") == 9
    assert html.count("<script") == 1  # the site's own file only (base.html), nothing inline
    assert '<script src="/static/guichet/guichet.js" defer></script>' in html
