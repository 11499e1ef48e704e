"""Name conflicts: a spelling variant is reported, a difference of capitals only is not."""

from __future__ import annotations

from newsfuse.fuse.conflicts import name_conflicts
from newsfuse.fuse.entities import StoryEntities
from newsfuse.models import Mention


def _story(*spellings: tuple[str, str]) -> StoryEntities:
    story = StoryEntities()
    story.names["p"], story.types["p"] = spellings[0][1], "PERSON"
    for k, (article, text) in enumerate(spellings):
        story.mentions["p"].append(Mention(article, text, "PERSON", 10 * k, 10 * k + len(text), 0))
    return story


def test_names_that_differ_only_in_capitals_are_one_spelling() -> None:
    story = _story(("a", "Sean McDonald"), ("b", "Sean Mcdonald"), ("c", "Sean McDonald"), ("d", "SEAN MCDONALD"))
    assert name_conflicts(story) == []


def test_a_spelling_variant_is_still_a_conflict_and_capitals_join_their_spelling() -> None:
    story = _story(("a", "Yevgeny Karsavin"), ("b", "Evgeny Karsavin"), ("c", "Evgeny KARSAVIN"))
    [conflict] = name_conflicts(story)
    assert {(v.value, v.articles) for v in conflict.values} == {("Yevgeny Karsavin", ("a",)),
                                                                  ("Evgeny Karsavin", ("b", "c"))}
