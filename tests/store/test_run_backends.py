"""`newsfuse run` gives the same articles, stories and facts on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from tests.conftest import EXAMPLES


def run(db: str, out: Path) -> dict:
    result = CliRunner().invoke(main, ["--db", db, "run", str(EXAMPLES / "articles"), "--out", str(out), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def outputs(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_run_writes_the_same_reports_on_both_backends(tmp_path, postgres_url):
    lite = run(str(tmp_path / "run.sqlite"), tmp_path / "lite")
    pg = run(postgres_url, tmp_path / "pg")
    assert lite["ingested"] == pg["ingested"] == 18
    assert pg["db"] == postgres_url  # no password in it to hide
    written_lite, written_pg = outputs(tmp_path / "lite"), outputs(tmp_path / "pg")
    assert written_lite.keys() == written_pg.keys()
    assert any(name.endswith(".json") and name.startswith("stories/") for name in written_lite)
    for name in written_lite:
        assert written_lite[name] == written_pg[name], name
