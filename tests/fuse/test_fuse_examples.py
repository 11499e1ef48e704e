"""Fusion on the fictional example stories: wire copies, deliberate conflicts, quotes across outlets."""

from __future__ import annotations


def test_wire_copy_counts_as_one_source(example_stories):  # type: ignore[no-untyped-def]
    fused, _ = example_stories["rates-wire"]
    shared = [f for f in fused.facts if len({s.article for s in f.sources}) == 2]
    assert shared
    assert all(f.independent_sources == 1 and f.copies for f in shared)


def test_strike_numbers_and_roles_conflict(example_stories):  # type: ignore[no-untyped-def]
    fused, _ = example_stories["strike"]
    numbers = {v.value for c in fused.conflicts if c.slot == "number" for v in c.values}
    assert any("1,200" in v for v in numbers) and any("1,500" in v for v in numbers)
    roles = [c for c in fused.conflicts if c.slot == "title" and "Castellan" in c.about]
    assert roles and len(roles[0].values) == 2


def test_transliteration_is_a_spelling_variant(example_stories):  # type: ignore[no-untyped-def]
    fused, _ = example_stories["visit-a"]
    spellings = {v.value for c in fused.conflicts if c.kind == "spelling" for v in c.values}
    assert {"Evgeny Karsavin", "Yevgeny Karsavin"} <= spellings


def test_no_conflict_where_outlets_agree(example_stories):  # type: ignore[no-untyped-def]
    fused, _ = example_stories["visit-b"]
    assert not [c for c in fused.conflicts if c.slot in ("number", "date")]


def test_facts_cite_only_their_storys_articles(example_stories):  # type: ignore[no-untyped-def]
    for fused, articles in example_stories.values():
        assert all(s.article in articles for f in fused.facts for s in f.sources)
