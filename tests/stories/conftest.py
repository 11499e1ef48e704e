"""Fixtures for story grouping: the examples and seeds ingested once into a database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, SEEDS


def expected_groups() -> dict[str, list[str]]:
    return json.loads((EXAMPLES / "expected.json").read_text())


def file_of(store, article_id: str) -> str:  # type: ignore[no-untyped-def]
    return Path(store.sources(article_id)[0].location).name


@pytest.fixture(scope="module")
def grouped_db(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A database with the examples and the seeds ingested and clustered; returns its path."""
    from newsfuse import api

    if not (EXAMPLES / "expected.json").exists() or not SEEDS.is_dir():
        pytest.skip("examples/ or ../shared/seeds is missing")
    path = tmp_path_factory.mktemp("stories") / "grouped.sqlite"
    store = api.open_db(path)
    api.ingest([str(EXAMPLES / "articles"), str(SEEDS)], store)
    api.cluster(store)
    store.close()
    return path


@pytest.fixture
def grouped(grouped_db, tmp_path):  # type: ignore[no-untyped-def]
    """A private copy of the grouped database, so tests may change it."""
    from newsfuse import api

    copy = tmp_path / "copy.sqlite"
    shutil.copy(grouped_db, copy)
    store = api.open_db(copy)
    yield store
    store.close()


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The examples and seeds ingested, analysed (spaCy), then clustered from the stored analysis."""
    from newsfuse import api

    if not (EXAMPLES / "expected.json").exists() or not SEEDS.is_dir():
        pytest.skip("examples/ or ../shared/seeds is missing")
    store = api.open_db(tmp_path_factory.mktemp("stories") / "analysed.sqlite")
    api.ingest([str(EXAMPLES / "articles"), str(SEEDS)], store)
    api.analyse(store)
    api.cluster(store)
    yield store
    store.close()
