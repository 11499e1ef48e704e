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


def test_one_wording_in_two_punctuations_of_the_same_articles_is_one_fact() -> None:
    # Two outlets' copies of one sentence, one writing "kid's", the other "kids'": the reader sees one fact.
    first = _fact("Shots rang out at a kid's football game in Northgate.", ("a", 0, 52), ("b", 0, 52))
    second = _fact("Shots rang out at a kids' football game in Northgate.", ("b", 60, 112), ("a", 60, 112))
    merged = _merged(first, second)
    assert len(merged) == 1 and len(merged[0].sources) == 4, merged
    # Different words of the same articles stay apart.
    other = _fact("Shots rang out at a kid's soccer game in Northgate.", ("b", 60, 112), ("a", 60, 112))
    assert len(_merged(first, other)) == 2
