"""What bench/fusion_quality.py counts, on the seeds and every example story: readable facts, summary
sentences that never cite an article for a value it disputes, quotations balanced and attributed."""

from __future__ import annotations

import re

import pytest

from newsfuse.fuse.align import readable
from newsfuse.fuse.check import attributed, balanced, disputed_citations


def _stories(example_stories, seed_story):  # type: ignore[no-untyped-def]
    out = [(key, fused, articles) for key, (fused, articles) in example_stories.items()]
    return out + [("seeds", seed_story[0], seed_story[1])]


@pytest.mark.seed
def test_no_fact_is_a_relative_clause_fragment(example_stories, seed_story):  # type: ignore[no-untyped-def]
    for key, fused, _ in _stories(example_stories, seed_story):
        starts = [f.text for f in fused.facts if re.match(r"^[“\"]?(?:which|who|whom|whose|where)\b", f.text, re.I)]
        assert not starts, (key, starts)
        assert sum(not readable(f.text) for f in fused.facts) <= len(fused.facts) // 20, key


@pytest.mark.seed
def test_no_summary_sentence_cites_an_article_for_a_value_it_disputes(example_stories, seed_story):  # type: ignore[no-untyped-def]
    for key, fused, articles in _stories(example_stories, seed_story):
        for sentence in fused.summary:
            assert not disputed_citations(sentence, fused.conflicts, articles), (key, sentence.text)


@pytest.mark.seed
def test_every_summary_quotation_is_balanced_and_attributed(example_stories, seed_story):  # type: ignore[no-untyped-def]
    for key, fused, _ in _stories(example_stories, seed_story):
        for sentence in fused.summary:
            if re.search(r"[“”\"]", sentence.text):
                assert balanced(sentence.text) and attributed(sentence.text), (key, sentence.text)


def test_the_strikes_disputed_count_is_never_stated_as_agreed(example_stories):  # type: ignore[no-untyped-def]
    """Changed expectation: the summary once said "About 1,500 workers ..." citing both outlets; it may
    state a count only for the outlet that gives it."""
    fused, articles = example_stories["strike"]
    for sentence in fused.summary:
        for value in ("1,500", "1,200"):
            if value in sentence.text and sentence.kind in ("consensus", "single"):
                givers = {a for c in fused.conflicts for v in c.values if value in v.value for a in v.articles}
                assert set(sentence.articles) <= givers, sentence.text
