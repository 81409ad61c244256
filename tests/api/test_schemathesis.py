"""Every API operation, called in process with data schemathesis generates from our OpenAPI
schema: no answer is a server error, and every answer has a documented status, media type
and body.

Bounded and reproducible: a fixed number of examples per operation, derandomized, no
deadline (a shared CI machine is slow, not wrong). It runs on the host of an authority that
has something behind every endpoint, with a key holding every scope, so that calls go past
authentication. Failures found here were fixed in the code, each with its own test
(tests/api/test_open311_inputs.py, tests/api/test_relay_inputs.py).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guichet.config.wsgi import application
from tests.api.conftest import HOST, openapi_document

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 25


# Built at collection (no database needed), one test per operation.
schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = application


@pytest.fixture(autouse=True)
def _connection_kept_between_calls():
    """As Django's test client does: the WSGI handler would close the connection after each
    call, and with it the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,  # nothing written to .hypothesis/: every run is the same run
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api__answers_as_its_schema_says(case, partner_a, partner_b):
    case.call_and_validate(
        base_url=f"http://{HOST}",
        headers={"Authorization": f"Bearer {partner_a.full_key}"},
        checks=CHECKS,
    )
