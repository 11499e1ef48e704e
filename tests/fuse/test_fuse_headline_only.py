"""Fusion with a headline-only article (a feed's line, written for the project) beside two full reports of one
strike (examples/): the headline supports the fact it states, and leaves no other fact "not by all"."""

from __future__ import annotations

import pytest

from newsfuse.fuse.check import span_text
from tests.conftest import EXAMPLES, ROOT

HEADLINE = "Seventeen container ships wait at anchor as Kestrelport dockworkers strike"


@pytest.fixture(scope="module")
def strike_story():  # type: ignore[no-untyped-def]
    """(FusedStory, {article id: Article}, id of the headline-only article)."""
    from newsfuse.clean import clean_document, complete_date
    from newsfuse.ingest import ReadOptions, read_input
    from tests.fuse.conftest import _fuse

    paths = [str(EXAMPLES / "articles" / f"strike-{name}-2025-03-12.txt") for name in ("harbor-daily", "orsenna-ledger")]
    paths.append(str(ROOT / "tests" / "fixtures" / "fusion" / "strike-headline.jsonl"))
    articles = [complete_date(clean_document(raw), []) for path in paths for raw in read_input(path, ReadOptions())]
    [headline] = [a.id for a in articles if a.headline_only]
    return _fuse("strike", articles), {a.id: a for a in articles}, headline


def test_the_fact_a_headline_states_lists_its_outlet_through_the_headline(strike_story):  # type: ignore[no-untyped-def]
    fused, articles, headline = strike_story
    [ships] = [f for f in fused.facts if "container ships were waiting at anchor" in f.text]
    [via] = [s for s in ships.sources if s.article == headline]
    assert via.part == "title" and span_text(articles, via) == HEADLINE
    assert "Nordwire" in ships.outlets and ships.status == "all"


def test_a_headline_only_article_is_never_counted_as_leaving_a_fact_out(strike_story):  # type: ignore[no-untyped-def]
    fused, articles, headline = strike_story
    bodies = {a for a in articles if a != headline}
    both = [f for f in fused.facts if {s.article for s in f.sources} == bodies]
    assert both, [(f.status, f.outlets) for f in fused.facts]
    assert all(f.status == "all" for f in both), [(f.text, f.status) for f in both if f.status != "all"]
    assert any("9%" in f.text for f in both)  # the union's demand: in both bodies, not in the headline


def test_only_the_headline_speaks_for_a_headline_only_article(strike_story):  # type: ignore[no-untyped-def]
    fused, articles, headline = strike_story
    spans = [s for f in fused.facts for s in f.sources if s.article == headline]
    assert spans and all(s.part == "title" and s.sentence == -1 for s in spans)
    assert all(s.part == "text" for f in fused.facts for s in f.sources if s.article != headline)
    assert fused.check["passed"] == fused.check["checked"], fused.check["failures"]


def test_reports_mark_a_fact_told_by_a_headline(strike_story):  # type: ignore[no-untyped-def]
    from newsfuse.report import render, story_json

    fused, articles, headline = strike_story
    number = [a["id"] for a in fused.articles].index(headline) + 1
    data = story_json(fused)
    assert any(s["part"] == "title" and s["article"] == headline for f in data["facts"] for s in f["sources"])
    markdown = render(fused, "md")
    facts = markdown[markdown.index("## Facts"):]
    ships = next(line for line in facts.splitlines() if "container ships were waiting at anchor" in line)
    assert f"(headline only: [{number}])" in ships.replace("\\", "")
    assert markdown.count("(headline only: ") == sum(
        any(s.part == "title" for s in f.sources) for f in fused.facts)
    page = render(fused, "html", articles)
    assert "Nordwire reports this in its headline" in page
    not_in_headline = sum(all(s.article != headline for s in f.sources) for f in fused.facts)
    assert page.count('aria-label="headline only: no body, not counted as leaving this out"') == not_in_headline


def test_a_story_of_headlines_alone_counts_every_headline():
    from newsfuse.fuse.align import expected_sources, status_of

    source_of = {"h1": "h1", "h2": "h2", "h3": "h3"}
    assert expected_sources(source_of, frozenset(source_of)) == {"h1", "h2", "h3"}
    assert status_of({"h1", "h2"}, expected_sources(source_of, frozenset(source_of))) == "some"
    mixed = {"a": "a", "b": "a", "h": "h"}  # b copies a; h is a headline
    assert expected_sources(mixed, frozenset({"h"})) == {"a"}
    assert status_of({"a"}, expected_sources(mixed, frozenset({"h"}))) == "all"
