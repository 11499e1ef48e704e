"""`newsfuse analyse`, `entities`, `entity` and `article` with analysis, on the seeds."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.seed


@pytest.fixture
def analysed(run_cli):  # type: ignore[no-untyped-def]
    assert run_cli("ingest", str(SEEDS)).exit_code == 0
    result = run_cli("analyse", "--json")
    assert result.exit_code == 0, result.output
    return run_cli, json.loads(result.output)


def test_analyse_counts_every_article_once(analysed):  # type: ignore[no-untyped-def]
    run_cli, summary = analysed
    assert summary["analysed"] == 3
    assert json.loads(run_cli("analyse", "--json").output)["analysed"] == 0


def test_entities_lists_lavrov_once(analysed):  # type: ignore[no-untyped-def]
    run_cli, _ = analysed
    listing = json.loads(run_cli("entities", "--json").output)
    lavrov = [e for e in listing if "Lavrov" in e["name"]]
    assert len(lavrov) == 1 and lavrov[0]["articles"] == 3 and "Sergei Lavrov" in lavrov[0]["aliases"]


def test_entity_by_alias_shows_mentions_and_evidence(analysed):  # type: ignore[no-untyped-def]
    run_cli, _ = analysed
    result = run_cli("entity", "Sergei Lavrov")
    assert result.exit_code == 0
    assert "Sergey Lavrov" in result.output and "evidence" in result.output and "TASS" in result.output


def test_unknown_entity_is_a_clear_error(analysed):  # type: ignore[no-untyped-def]
    run_cli, _ = analysed
    result = run_cli("entity", "Nobody Atall")
    assert result.exit_code == 1 and "no entity 'Nobody Atall'" in result.output


def test_article_json_includes_analysis_with_spans(analysed):  # type: ignore[no-untyped-def]
    run_cli, _ = analysed
    articles = json.loads(run_cli("articles", "--json", "--outlet", "TASS").output)
    detail = json.loads(run_cli("article", articles[0]["id"], "--json").output)
    analysis = detail["analysis"]
    amount = next(a for a in analysis["amounts"] if a["currency"] == "USD")
    assert detail["text"][amount["start"]:amount["end"]] == "$431.6 mln"
    assert any(q["speaker"] == "the ministry" for q in analysis["quotes"])
    assert all(m["entity_id"] for m in analysis["entities"] if m["text"] == "Lavrov")


def test_article_text_mode_shows_quotes_and_dates(analysed):  # type: ignore[no-untyped-def]
    run_cli, _ = analysed
    articles = json.loads(run_cli("articles", "--json", "--outlet", "Al Jazeera").output)
    output = run_cli("article", articles[0]["id"]).output
    assert "quotes" in output and "Prak Sokhonn" in output and "2022-08-03" in output


def test_relink_finds_the_links_analyse_made_one_article_at_a_time(run_cli):  # type: ignore[no-untyped-def]
    for path in sorted(SEEDS.glob("*.txt")):
        assert run_cli("ingest", "--no-cluster", str(path)).exit_code == 0
        assert json.loads(run_cli("analyse", "--json").output)["analysed"] == 1
    before = json.loads(run_cli("entities", "--json").output)
    lavrov = [e for e in before if "Lavrov" in e["name"]]
    assert len(lavrov) == 1 and lavrov[0]["articles"] == 3  # linked across the three, one at a time
    result = run_cli("relink", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["entities"] == len(before)
    assert json.loads(run_cli("entities", "--json").output) == before
