"""Incremental clustering over the store: late arrivals, rebuild, merge and split."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsfuse import api
from newsfuse.stories.service import STORY_JOB
from tests.conftest import EXAMPLES
from tests.stories.conftest import expected_groups, file_of

pytestmark = pytest.mark.seed


def _ingest(store, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    api.ingest([str(EXAMPLES / "articles" / name) for name in names], store)


def test_an_old_article_ingested_late_joins_its_story(store) -> None:  # type: ignore[no-untyped-def]
    if not (EXAMPLES / "expected.json").exists():
        pytest.skip("examples/ missing")
    first = expected_groups()["shooting-1"]
    late = "shooting-1-harbor-daily-2025-03-11.txt"
    _ingest(store, [n for n in first if n != late] + expected_groups()["shooting-2"])
    api.cluster(store)
    _ingest(store, [late])
    changed = api.cluster(store)
    late_id = next(a.id for a in store.articles() if file_of(store, a.id) == late)
    story = store.story(store.story_of(late_id))
    assert {file_of(store, a) for a in story.article_ids} == set(first)
    assert changed == [story.id]


def test_clustering_again_changes_nothing(grouped) -> None:  # type: ignore[no-untyped-def]
    before = {s.id: s.article_ids for s in grouped.stories()}
    assert api.cluster(grouped) == []
    assert {s.id: s.article_ids for s in grouped.stories()} == before


def test_rebuild_gives_the_same_stories(grouped) -> None:  # type: ignore[no-untyped-def]
    before = {frozenset(s.article_ids) for s in grouped.stories()}
    api.cluster(grouped, rebuild=True)
    assert {frozenset(s.article_ids) for s in grouped.stories()} == before


def test_merge_moves_every_article_and_is_recorded(grouped) -> None:  # type: ignore[no-untyped-def]
    first, second = grouped.stories()[:2]
    merged = api.merge_stories(grouped, first.id, second.id)
    assert set(merged.article_ids) == set(first.article_ids) | set(second.article_ids)
    assert all(s.id != second.id for s in grouped.stories())
    event = grouped.story_events()[-1]
    assert event["kind"] == "merge" and event["data"]["from"] == second.id


def test_split_makes_a_new_story_and_is_recorded(grouped) -> None:  # type: ignore[no-untyped-def]
    story = max(grouped.stories(), key=lambda s: len(s.article_ids))
    moving = list(story.article_ids[:1])
    created = api.split_story(grouped, story.id, moving)
    assert created.article_ids == tuple(moving)
    assert moving[0] not in grouped.story(story.id).article_ids
    assert grouped.story_events()[-1]["kind"] == "split"


def test_splitting_a_stranger_article_is_refused(grouped) -> None:  # type: ignore[no-untyped-def]
    from newsfuse.errors import NotFound

    first, second = grouped.stories()[:2]
    with pytest.raises(NotFound, match="not in story"):
        api.split_story(grouped, first.id, [second.article_ids[0]])


def test_stories_filter_by_outlet_entity_and_query(grouped) -> None:  # type: ignore[no-untyped-def]
    assert all("TASS" in s.outlets for s in api.list_stories(grouped, outlet="tass"))
    assert api.list_stories(grouped, entity="lavrov")
    found = api.list_stories(grouped, query="pawn shop")
    assert found and all(any("pawn" in a.text.lower() for a in grouped.articles(ids=list(s.article_ids))) for s in found)
    assert api.list_stories(grouped, since="2030-01-01") == []


@pytest.mark.skipif(sys.platform == "win32", reason="the story lock is a POSIX flock")
def test_a_second_clustering_waits_for_the_first_then_finds_its_work_done(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two processes clustering one database would each write story states the other never saw."""
    db = tmp_path / "two.sqlite"
    store = api.open_db(db)
    _ingest(store, expected_groups()["shooting-1"])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    command = [sys.executable, "-m", "newsfuse", "--db", str(db), "cluster", "--json"]
    with store.exclusive(STORY_JOB):  # as a clustering in another process would hold it
        other = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        waiting = other.stderr.readline()  # type: ignore[union-attr]
        assert "waiting for another stories" in waiting and other.poll() is None
        changed = api.cluster(store)  # re-entrant for the holder
    out, _ = other.communicate(timeout=120)
    assert other.returncode == 0
    assert len(changed) == 1 and json.loads(out)["stories_changed"] == []  # the waiting one found them all in a story
    story = store.story(changed[0])
    assert {file_of(store, a) for a in story.article_ids} == set(expected_groups()["shooting-1"])
    store.close()


def test_tiny_caches_group_exactly_as_large_ones(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Clustering a corpus with more stories and keys than the caches hold reads the rest back from the
    store; the stories must not depend on what happened to be cached."""
    from newsfuse.stories import index, service
    from tests.stories.conftest import SEEDS

    forgot: list[bool] = []
    original = index.StoryIndex.forget_keys
    monkeypatch.setattr(index.StoryIndex, "forget_keys", lambda self: forgot.append(original(self)) or forgot[-1])
    monkeypatch.setattr(service, "CHUNK", 2)  # written every two articles, so states and keys leave the caches
    groups = {}
    for cache in (20_000, 1):
        monkeypatch.setattr(service, "CACHE_STORIES", cache)
        monkeypatch.setattr(index, "CACHE_KEYS", cache)
        forgot.clear()
        store = api.open_db(tmp_path / f"cache{cache}.sqlite")
        api.ingest([str(EXAMPLES / "articles"), str(SEEDS)], store)
        api.cluster(store)
        groups[cache] = {frozenset(file_of(store, a) for a in s.article_ids) for s in store.stories()}
        store.close()
        assert any(forgot) == (cache == 1)
    assert groups[1] == groups[20_000]
    assert len(groups[1]) >= 6
