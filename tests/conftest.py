"""Shared fixtures: the real seed articles, a fresh database, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
EXAMPLES = ROOT / "examples"

SEED_TBS = SEEDS / "000_9a1ddaff943672f7.txt"
SEED_ALJAZEERA = SEEDS / "001_f71878fb72305fb2.txt"
SEED_TASS = SEEDS / "002_82db80983b66ad16.txt"


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    if not SEEDS.is_dir():
        skip = pytest.mark.skip(reason="../shared/seeds is not beside the repository")
        for item in items:
            if "seed" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def store(tmp_path):  # type: ignore[no-untyped-def]
    from newsfuse.store import open_store

    db = open_store(tmp_path / "test.sqlite")
    yield db
    db.close()


@pytest.fixture(scope="session")
def seed_articles():  # type: ignore[no-untyped-def]
    """The three seeds, cleaned as one batch, keyed by outlet."""
    from newsfuse.clean import clean_document, complete_date
    from newsfuse.ingest import ReadOptions, read_input

    cleaned = [clean_document(raw) for path in (SEED_TBS, SEED_ALJAZEERA, SEED_TASS)
               for raw in read_input(str(path), ReadOptions())]
    dates = [c.article.published for c in cleaned if c.article.published]
    articles = [complete_date(c, dates) for c in cleaned]
    return {a.outlet: a for a in articles}


@pytest.fixture
def run_cli(tmp_path):  # type: ignore[no-untyped-def]
    """Invoke the CLI in-process against a fresh database; returns click's Result."""
    from click.testing import CliRunner

    from newsfuse.cli import main

    runner = CliRunner()
    db = str(tmp_path / "cli.sqlite")

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["--db", db, *args], catch_exceptions=False)

    invoke.db = db  # type: ignore[attr-defined]
    return invoke
