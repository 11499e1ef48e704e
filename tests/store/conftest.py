"""Every store test runs on both backends: SQLite and PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture
def store(any_store):  # type: ignore[no-untyped-def]
    return any_store
