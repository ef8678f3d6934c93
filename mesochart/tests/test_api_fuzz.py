"""The API against its own OpenAPI schema, fuzzed by schemathesis with a practitioner's
token (issue 14, Low): no answer is a 5xx, every status an endpoint returns is declared,
and every answer matches its declared content type and schema. Bounded: about 8 cases an
operation (some 550 in all), to stay under two minutes on a 2-core machine."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mesochart.accounts.models import ApiToken
from mesochart.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """The requests go to the WSGI application itself, not through Django's test client,
    which is what stops a request from closing the database connection as it starts and
    finishes. On PostgreSQL that closed the connection holding the test's transaction, and
    every request failed with "the connection is closed" (a 500 of the test's making, not
    the API's). Kept open here as the test client keeps it."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(practice):
    return ApiToken.issue(practice.practitioner, practice.clinic, "fuzz", second_factor=True)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_schema_and_never_fails_with_a_5xx(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
