"""Schemathesis over the app's own OpenAPI schema, as each role: no 5xx, and every response
that the schema describes matches it. Bounded examples per operation (CI time); each
example is sent as every role."""

from __future__ import annotations

import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from intake.app import create_app
from intake.runtime import Runtime
from intake.settings import Settings

pytestmark = [pytest.mark.redis, pytest.mark.slow]

EXAMPLES = 5  # per operation; × 4 roles
# The schema is read from the app itself; each test points the same app at its own runtime.
APP = create_app(runtime=Runtime(Settings(BAOQUAN_DATA=tempfile.mkdtemp(prefix="schema-"))))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture
def role_headers(runtime, policy, make_user):
    APP.state.runtime = runtime
    return {role: make_user(role)[1] for role in ("agent", "clerk", "auditor", "admin")}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_and_responses_match_the_schema(case, role_headers):
    for headers in role_headers.values():
        case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
