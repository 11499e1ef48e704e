"""The story index: a bounded in-memory mode that forgets old stories and keys; mean vectors, merges."""

from __future__ import annotations

import dataclasses
import json

import pytest

from newsfuse.stories.assign import Assigner
from newsfuse.stories.features import ArticleFeatures
from newsfuse.stories.index import EVICT_EVERY, DenseTable, StoryIndex, StoryState


def _report(n: int, day: int) -> ArticleFeatures:
    name = f"victim{n}"
    return ArticleFeatures(
        article_id=f"a{n}", day=day, title={"shooting": 1, name: 1}, lead={"shot": 1, name: 1}, body={"shot": 2, name: 1},
        entities={name: 1.0, "calloway street": 1.0},
    )


def test_a_horizon_keeps_memory_flat_and_forgets_only_old_stories() -> None:
    index = StoryIndex(horizon_days=30)
    assigner = Assigner(index)
    start = 739000
    for n in range(3 * EVICT_EVERY):  # ten reports a day, each of its own event
        assigner.assign(_report(n, start + n // 10))
    newest = start + (3 * EVICT_EVERY - 1) // 10
    assert index.evicted > 0
    assert all(s.last_day is not None and s.last_day >= newest - 30 for s in index.stories.values())
    assert len(index.stories) <= 10 * (30 + 1) + EVICT_EVERY  # a horizon's worth, plus one check interval
    assert "e:victim0" not in index.df and "victim0" not in index.postings  # its keys are forgotten too
    live = set(index.stories)
    assert all(sid in live for posting in index.postings.values() for sid in posting)


def test_a_follow_up_within_the_horizon_still_finds_its_story() -> None:
    index = StoryIndex(horizon_days=30)
    assigner = Assigner(index)
    first = assigner.assign(_report(0, 739000))
    for n in range(1, EVICT_EVERY + 1):
        assigner.assign(_report(n, 739000 + 20))
    again = assigner.assign(_report(0, 739000 + 1))  # a late report, a day after the first
    assert again.story_id == first.story_id and not again.new


def test_without_a_horizon_nothing_is_forgotten() -> None:
    index = StoryIndex()
    assigner = Assigner(index)
    opened = {assigner.assign(_report(n, 739000 + n)).story_id for n in range(EVICT_EVERY + 10)}
    assert index.evicted == 0 and set(index.stories) == opened


def _unit(*values: float):  # type: ignore[no-untyped-def]
    import numpy as np

    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def _with_embedding(n: int, day: int, vector) -> ArticleFeatures:  # type: ignore[no-untyped-def]
    return dataclasses.replace(_report(n, day), embedding=vector, numbers=(str(10 + n),), quotes=(n,))


def test_a_story_state_keeps_its_mean_vector_numbers_and_quotes_through_the_store() -> None:
    index = StoryIndex()
    state = StoryState(id="s1")
    for n, vector in enumerate([_unit(1, 0, 0), _unit(1, 1, 0)]):
        index.add_to_story(state, index.weigh(_with_embedding(n, 739000, vector)), [])
    again = StoryState.from_json("s1", json.loads(json.dumps(state.to_json())))
    assert again.dense_cosine(_unit(1, 0.4, 0)) == pytest.approx(state.dense_cosine(_unit(1, 0.4, 0)), abs=1e-6)
    assert again.numbers == state.numbers == {"10": 1, "11": 1} and again.quotes == {0: 1, 1: 1}


def test_the_dense_table_finds_the_nearest_recent_stories() -> None:
    table = DenseTable(capacity=2)
    table.update("a", _unit(1, 0, 0), 1.0)
    table.update("b", _unit(0, 1, 0), 1.0)
    assert [sid for sid, _ in table.nearest(_unit(0.9, 0.1, 0), 1)] == ["a"]
    table.update("c", _unit(0, 0, 1), 1.0)  # full: the least recently updated story ("a") goes
    assert {sid for sid, _ in table.nearest(_unit(1, 0, 0), 2)} == {"b", "c"}


def test_a_merged_story_answers_for_its_old_id() -> None:
    index = StoryIndex()
    keep, gone = StoryState(id="keep"), StoryState(id="gone")
    for n, state in enumerate((keep, gone)):
        article = index.weigh(_with_embedding(n, 739000 + n, _unit(1, n, 0)))
        index.add_to_story(state, article, index.lookup_keys(article, posting=True))
    index.merge(keep, gone)
    assert index.resolve("gone") == "keep" and "gone" not in index.stories
    assert keep.size == 2 and (keep.first_day, keep.last_day) == (739000, 739001)
    assert set(keep.vectors["entities"]) >= {"victim0", "victim1"}
    follow_up = index.weigh(_report(1, 739002))  # shares only the merged-away story's keys
    assert [s.id for s in index.candidates(follow_up, index.lookup_keys(follow_up))] == ["keep"]
