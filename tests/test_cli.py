"""The CLI as a user meets it: exit codes, messages, JSON output."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.seed


def test_ingest_seeds_then_articles_json_shows_three_dated_articles(run_cli):
    result = run_cli("ingest", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "ingested 3" in result.output
    listed = json.loads(run_cli("articles", "--json").output)
    assert sorted(a["outlet"] for a in listed) == ["Al Jazeera", "TASS", "TBS News"]
    assert {a["published"] for a in listed} == {"2022-08-03"}


def test_ingest_reports_each_bad_input_and_exits_non_zero(run_cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run_cli("ingest", str(empty), str(tmp_path / "missing.txt"), str(SEEDS))
    assert result.exit_code == 1
    assert f"{empty}: empty file" in result.output
    assert "missing.txt: no such file or directory" in result.output
    assert "ingested 3" in result.output


def test_article_shows_cleaning_log_and_original(run_cli):
    run_cli("ingest", str(SEEDS))
    tass = next(a for a in json.loads(run_cli("articles", "--json").output) if a["outlet"] == "TASS")
    detail = json.loads(run_cli("article", tass["id"], "--json").output)
    assert {r["reason"] for r in detail["removals"]} >= {"navigation", "teaser", "dateline"}
    original = run_cli("article", tass["id"], "--original").output
    assert original.startswith("All news")


def test_unknown_article_is_a_clear_error_not_a_traceback(run_cli):
    result = run_cli("article", "doesnotexist")
    assert result.exit_code == 1
    assert "no article 'doesnotexist'" in result.output
    assert "Traceback" not in result.output


def test_articles_filters_by_outlet(run_cli):
    run_cli("ingest", str(SEEDS))
    listed = json.loads(run_cli("articles", "--outlet", "tass", "--json").output)
    assert [a["outlet"] for a in listed] == ["TASS"]
