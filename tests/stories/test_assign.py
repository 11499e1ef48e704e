"""Join-or-new scoring: what separates two same-type events in one city."""

from __future__ import annotations

import dataclasses

from newsfuse.stories.assign import CHANNELS, channels
from newsfuse.stories.features import ArticleFeatures
from newsfuse.stories.index import StoryIndex, StoryState


def _report(article_id: str, ages: tuple[int, ...], times: tuple[int, ...]) -> ArticleFeatures:
    return ArticleFeatures(
        article_id=article_id, day=739000, title={"shooting": 1, "marlow": 1}, lead={"shot": 1}, body={"shot": 2},
        entities={"marlow": 1.0}, ages=ages, times=times,
    )


def _story_of(index: StoryIndex, feats: ArticleFeatures) -> StoryState:
    story = StoryState(id="s1")
    index.add_to_story(story, index.weigh(feats), [])
    return story


def test_a_different_victim_age_and_hour_is_a_clash() -> None:
    index = StoryIndex()
    story = _story_of(index, _report("a", ages=(19,), times=(47,)))
    same = dict(zip(CHANNELS, channels(index.weigh(_report("b", (19,), (46,))), story)))
    other = dict(zip(CHANNELS, channels(index.weigh(_report("c", (42,), (4,))), story)))
    assert same["age_match"] == 1.0 and same["age_clash_near"] == 0.0 and same["time_match"] == 1.0
    assert other["age_clash_near"] > 0.5 and other["time_clash_near"] > 0.5


def test_a_story_state_keeps_ages_and_times_through_the_store() -> None:
    index = StoryIndex()
    story = _story_of(index, _report("a", ages=(19, 23), times=(47,)))
    again = StoryState.from_json(story.id, story.to_json())
    assert again.ages == story.ages and again.times == story.times
    assert dataclasses.asdict(again)["size"] == 1


def test_different_people_streets_and_sexes_are_clashes_and_the_same_ones_match() -> None:
    index = StoryIndex()
    first = dataclasses.replace(_report("a", (), ()), persons=("whitlock",), addresses=("1400 elm",), genders=("f",))
    story = _story_of(index, first)
    same = dict(zip(CHANNELS, channels(index.weigh(dataclasses.replace(first, article_id="b")), story)))
    other = dataclasses.replace(first, article_id="c", persons=("oyelaran",), addresses=("3200 main",), genders=("m",))
    apart = dict(zip(CHANNELS, channels(index.weigh(other), story)))
    assert same["person_match"] == same["address_match"] == 1.0
    assert same["person_clash_near"] == same["address_clash_near"] == same["gender_clash_near"] == 0.0
    assert apart["person_clash_near"] > 0.5 and apart["address_clash_near"] > 0.5 and apart["gender_clash_near"] > 0.5
