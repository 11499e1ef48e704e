"""Every fact, quote, timeline row and summary sentence of every fused story traces to its sources."""

from __future__ import annotations

import pytest

from newsfuse.fuse.check import check_sentence, check_story
from newsfuse.models import SourceSpan, SummarySentence


@pytest.mark.seed
def test_seed_story_is_fully_traceable(seed_story):  # type: ignore[no-untyped-def]
    fused, articles, _ = seed_story
    report = check_story(fused, articles)
    assert report["checked"] > 0
    assert report["passed"] == report["checked"], report["failures"]


def test_every_example_story_is_fully_traceable(example_stories):  # type: ignore[no-untyped-def]
    for key, (fused, articles) in example_stories.items():
        report = check_story(fused, articles)
        assert report["passed"] == report["checked"], (key, report["failures"])


@pytest.mark.seed
def test_a_changed_number_fails_the_check(seed_story):  # type: ignore[no-untyped-def]
    fused, articles, by_outlet = seed_story
    tass = articles[by_outlet["TASS"]]
    start = tass.text.index("Last year trade turnover")
    end = tass.text.index(".", tass.text.index("compared with")) + 1
    span = SourceSpan(tass.id, 0, start, end)
    honest = SummarySentence(tass.text[start:end], (tass.id,), "single", (span,))
    forged = SummarySentence(honest.text.replace("431.6", "531.6"), (tass.id,), "single", (span,))
    assert check_sentence(honest, articles).ok
    assert check_sentence(forged, articles).untraced == ["531.6"]


@pytest.mark.seed
def test_a_word_from_an_uncited_article_fails_the_check(seed_story):  # type: ignore[no-untyped-def]
    fused, articles, by_outlet = seed_story
    tbs = articles[by_outlet["TBS News"]]
    start = tbs.text.index("Senior General")
    span = SourceSpan(tbs.id, 0, start, start + 60)
    sentence = SummarySentence("Senior General Min Aung Hlaing met Zakharova.", (tbs.id,), "single", (span,))
    assert not check_sentence(sentence, articles).ok
