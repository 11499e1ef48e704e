"""The story index: a bounded in-memory mode that forgets old stories and keys."""

from __future__ import annotations

from newsfuse.stories.assign import Assigner
from newsfuse.stories.features import ArticleFeatures
from newsfuse.stories.index import EVICT_EVERY, StoryIndex


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
