"""Schemathesis against /openapi.json: generated requests for every documented route, no server error."""

from __future__ import annotations

import pytest

from newsfuse import api
from tests.conftest import EXAMPLES

# Generated cases per API operation (each a request through the app in-process).
EXAMPLES_PER_OPERATION = 30


def test_no_generated_request_gets_a_server_error(tmp_path):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    from newsfuse.web import create_app

    names = ("strike-harbor-daily-2025-03-12.txt", "strike-orsenna-ledger-2025-03-12.txt", "rates-nordwire-2025-03-11.txt")
    with api.open_db(tmp_path / "db.sqlite") as store:
        api.run([str(EXAMPLES / "articles" / n) for n in names], store, tmp_path / "out")
    # No background worker: a generated POST /api/jobs must never make the server fetch a generated URL.
    app = create_app(tmp_path / "db.sqlite", background=False, allowed_hosts=["testserver", "localhost"])
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    made: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call()
            made.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query or ''} -> {response.status_code}")

        check()
    assert failures == []
    assert len(made) >= 5 * len(operations) and any(status == 200 for status in made)
