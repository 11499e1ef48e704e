"""Grouping the seeds and the project's examples into stories."""

from __future__ import annotations

import pytest

from tests.stories.conftest import expected_groups, file_of

pytestmark = pytest.mark.seed


def _groups_by_file(store) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    return {frozenset(file_of(store, a) for a in s.article_ids) for s in store.stories()}


def test_the_three_seeds_form_one_story(grouped) -> None:  # type: ignore[no-untyped-def]
    seeds = {frozenset({"000_9a1ddaff943672f7.txt", "001_f71878fb72305fb2.txt", "002_82db80983b66ad16.txt"})}
    assert seeds <= _groups_by_file(grouped)


@pytest.mark.parametrize("key", sorted(expected_groups()))
def test_each_example_story_is_grouped_exactly(grouped, key) -> None:  # type: ignore[no-untyped-def]
    assert frozenset(expected_groups()[key]) in _groups_by_file(grouped)


def test_two_shootings_in_one_city_in_one_week_stay_apart(grouped) -> None:  # type: ignore[no-untyped-def]
    groups = _groups_by_file(grouped)
    expected = expected_groups()
    for group in groups:
        assert not (group & set(expected["shooting-1"]) and group & set(expected["shooting-2"]))


def test_two_diplomatic_visits_stay_apart(grouped) -> None:  # type: ignore[no-untyped-def]
    expected = expected_groups()
    for group in _groups_by_file(grouped):
        assert not (group & set(expected["visit-a"]) and group & set(expected["visit-b"]))


def test_a_story_has_title_entities_outlets_and_dates(grouped) -> None:  # type: ignore[no-untyped-def]
    story = next(s for s in grouped.stories() if any("Lavrov" in a.title for a in grouped.articles(ids=list(s.article_ids))))
    assert story.title in {a.title for a in grouped.articles(ids=list(story.article_ids))}
    assert "Myanmar" in story.title
    assert {"TASS", "Al Jazeera"} <= set(story.outlets)
    assert story.first_seen == story.last_seen == "2022-08-03"
    assert any("Lavrov" in e for e in story.entities)
    assert story.keywords


def test_the_wire_copy_is_shown_as_a_copy(grouped) -> None:  # type: ignore[no-untyped-def]
    rates = frozenset(expected_groups()["rates-wire"])
    story = next(s for s in grouped.stories() if frozenset(file_of(grouped, a) for a in s.article_ids) == rates)
    assert [set(g) for g in story.copies] == [set(story.article_ids)]


def test_independent_reports_are_not_copies(grouped) -> None:  # type: ignore[no-untyped-def]
    for story in grouped.stories():
        files = {file_of(grouped, a) for a in story.article_ids}
        if not files & set(expected_groups()["rates-wire"]):
            assert story.copies == ()


def test_with_the_stored_analysis_every_example_story_is_grouped_exactly(analysed) -> None:  # type: ignore[no-untyped-def]
    groups = _groups_by_file(analysed)
    assert all(frozenset(files) in groups for files in expected_groups().values())
