"""The story commands: cluster, stories, story, merge, split, and clustering after ingest."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES, SEEDS

pytestmark = pytest.mark.seed


@pytest.fixture
def ingested(run_cli):  # type: ignore[no-untyped-def]
    result = run_cli("ingest", str(SEEDS), str(EXAMPLES / "articles" / "rates-nordwire-2025-03-11.txt"), "--json")
    assert result.exit_code == 0
    return run_cli


def test_ingest_groups_new_articles_unless_told_not_to(run_cli) -> None:  # type: ignore[no-untyped-def]
    run_cli("ingest", str(SEEDS), "--no-cluster")
    assert json.loads(run_cli("stories", "--json").output) == []
    assert run_cli("cluster").exit_code == 0
    assert len(json.loads(run_cli("stories", "--json").output)) == 1


def test_stories_json_lists_article_and_external_ids(ingested) -> None:  # type: ignore[no-untyped-def]
    stories = json.loads(ingested("stories", "--json").output)
    assert len(stories) == 2
    seeds = next(s for s in stories if len(s["article_ids"]) == 3)
    assert [a["id"] for a in seeds["articles"]] == seeds["article_ids"]
    assert all("external_id" in a for a in seeds["articles"])


def test_story_shows_articles_by_outlet(ingested) -> None:  # type: ignore[no-untyped-def]
    stories = json.loads(ingested("stories", "--json").output)
    seeds = next(s for s in stories if len(s["article_ids"]) == 3)
    result = ingested("story", seeds["id"][:8])
    assert result.exit_code == 0
    assert "TASS" in result.output and "Al Jazeera" in result.output and "2022-08-03" in result.output


def test_merge_and_split_from_the_command_line(ingested) -> None:  # type: ignore[no-untyped-def]
    first, second = json.loads(ingested("stories", "--json").output)
    assert ingested("merge", first["id"], second["id"]).exit_code == 0
    assert len(json.loads(ingested("stories", "--json").output)) == 1
    result = ingested("split", first["id"], second["article_ids"][0])
    assert result.exit_code == 0 and "new story" in result.output
    assert len(json.loads(ingested("stories", "--json").output)) == 2


def test_an_unknown_story_is_a_clear_error(ingested) -> None:  # type: ignore[no-untyped-def]
    result = ingested("story", "nosuchstory")
    assert result.exit_code == 1
    assert "no story 'nosuchstory'" in result.output
