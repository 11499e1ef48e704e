"""export --parquet / import move a whole database between SQLite and PostgreSQL, row for row."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsfuse import api
from newsfuse.cli import main
from newsfuse.store import open_store, transfer
from tests.conftest import SEEDS

pytestmark = pytest.mark.seed


def cli(db: str, *args: str) -> dict:
    result = CliRunner().invoke(main, ["--db", db, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def table_rows(store) -> dict[str, list]:  # type: ignore[no-untyped-def]
    return {table: sorted((tuple(r) for r in store.stream_rows(table, [c for c, _ in columns])), key=repr)
            for table, columns in transfer.tables()}


def test_sqlite_to_postgresql_and_back_keeps_every_row(tmp_path, postgres_url):
    lite = str(tmp_path / "from.sqlite")
    with open_store(lite) as store:
        api.ingest([str(SEEDS)], store)
        api.cluster(store)
        before = table_rows(store)
    exported = cli(lite, "export", "--parquet", str(tmp_path / "export"))
    assert exported["rows"]["articles"] == 3 and exported["rows"]["story_articles"] == 3
    imported = cli(postgres_url, "import", str(tmp_path / "export"))
    assert imported["rows"] == exported["rows"]
    with open_store(postgres_url) as pg:
        assert table_rows(pg) == before
        assert [h["outlet"] for h in api.search(pg, "trade turnover")][:1] == ["TASS"]
        assert pg.integrity_ok()
        pg.record_failure("later.txt", "a new failure after the import")  # counters continue past the import
    cli(postgres_url, "export", "--parquet", str(tmp_path / "again"))
    cli(str(tmp_path / "back.sqlite"), "import", str(tmp_path / "again"))
    with open_store(tmp_path / "back.sqlite") as back:
        rows = table_rows(back)
        assert {t: r for t, r in rows.items() if t != "failures"} == {t: r for t, r in before.items() if t != "failures"}
        assert [f["location"] for f in back.failures()] == ["later.txt"]


def test_import_refuses_a_database_that_holds_articles(tmp_path):
    lite = str(tmp_path / "a.sqlite")
    with open_store(lite) as store:
        api.ingest([str(SEEDS)], store)
    cli(lite, "export", "--parquet", str(tmp_path / "export"))
    result = CliRunner().invoke(main, ["--db", lite, "import", str(tmp_path / "export")])
    assert result.exit_code == 1 and "already holds articles" in result.output
