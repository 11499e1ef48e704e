"""A clause and the sentence that holds it, told by the same articles, are one fact shown as the sentence;
told by different articles they stay two (written for the project)."""

from __future__ import annotations

from newsfuse.fuse.align import _merge_same_text
from newsfuse.models import Fact, SourceSpan

SENTENCE = "The keeper said the gate was locked at dusk, but no one saw the van leave."
CLAUSE = "The keeper said the gate was locked at dusk"


def _fact(text: str, *spans: tuple[str, int, int]) -> Fact:
    return Fact(id=text[:8], text=text, status="one", sources=tuple(SourceSpan(a, 3, s, e) for a, s, e in spans))


def _merged(*facts: Fact) -> list[Fact]:
    articles = {s.article for f in facts for s in f.sources}
    return _merge_same_text(list(facts), articles, {a: a for a in articles}, {a: a.upper() for a in articles})


def test_a_clause_and_its_sentence_of_one_article_are_one_fact() -> None:
    merged = _merged(_fact(CLAUSE, ("a", 100, 143)), _fact(SENTENCE, ("a", 146, 173)))
    assert [f.text for f in merged] == [SENTENCE]
    assert {(s.start, s.end) for s in merged[0].sources} == {(100, 143), (146, 173)}


def test_a_clause_and_a_sentence_of_different_articles_stay_two_facts() -> None:
    merged = _merged(_fact(CLAUSE, ("a", 100, 143), ("b", 10, 53)), _fact(SENTENCE, ("a", 146, 173)))
    assert sorted(f.text for f in merged) == sorted([CLAUSE, SENTENCE])
