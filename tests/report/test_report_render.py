"""Reports of a fused story: the JSON contract, Markdown, and a self-contained, escaped HTML page."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from newsfuse.report import render, render_index, story_json

pytestmark = pytest.mark.seed

CONTRACT = {
    "": {"id", "title", "articles", "facts", "conflicts", "quotes", "entities", "framing", "timeline", "summary"},
    "articles": {"id", "external_id", "outlet", "title", "published", "url"},
    "facts": {"id", "text", "status", "sources"},
    "conflicts": {"slot", "values"},
    "quotes": {"speaker", "text", "direct", "articles"},
    "entities": {"name", "type", "aliases", "articles"},
    "framing": {"actor", "by_outlet"},
    "timeline": {"date", "text", "articles"},
    "summary": {"text", "articles"},
}


@pytest.fixture(scope="module")
def seed_fused(seed_articles):  # type: ignore[no-untyped-def]
    from tests.fuse.conftest import _fuse

    articles = list(seed_articles.values())
    return _fuse("seeds", articles), {a.id: a for a in articles}


def test_json_keeps_the_documented_contract(seed_fused):  # type: ignore[no-untyped-def]
    fused, _ = seed_fused
    data = json.loads(render(fused, "json"))
    assert CONTRACT[""] <= set(data)
    for key, fields in CONTRACT.items():
        for item in data[key] if key else []:
            assert fields <= set(item), key
    assert all(set(s) >= {"article", "sentence", "start", "end"} for f in data["facts"] for s in f["sources"])
    assert {f["status"] for f in data["facts"]} <= {"all", "some", "one"}
    assert all(set(v) == {"value", "articles"} for c in data["conflicts"] for v in c["values"])


def test_html_is_self_contained(seed_fused):  # type: ignore[no-untyped-def]
    fused, articles = seed_fused
    page = render(fused, "html", articles)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|<img|@import|url\(", page)


def test_html_heatmap_has_a_row_per_fact_and_a_column_per_outlet(seed_fused):  # type: ignore[no-untyped-def]
    fused, articles = seed_fused
    page = render(fused, "html", articles)
    assert "repeat(3," in page
    assert page.count('<div class="f"') == len(fused.facts)
    assert page.count('class="c ') + page.count('class="c"') == 3 * len(fused.facts)


def test_html_escapes_untrusted_text(seed_fused):  # type: ignore[no-untyped-def]
    fused, articles = seed_fused
    evil = "<script>alert(1)</script>"
    hostile = replace(fused, title=evil, articles=tuple({**a, "url": "javascript:alert(1)", "title": evil} for a in fused.articles))
    page = render(hostile, "html", articles)
    assert evil not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("url", [
    'http://evil.example/"><script>alert(1)</script>', "http://evil.example/a> <script>alert(1)</script>",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
])
def test_markdown_escapes_every_stored_string_when_rendered(seed_fused, url):  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    fused, _ = seed_fused
    evil = "<script>alert(1)</script> [link](javascript:alert(1)) <img src=x onerror=alert(1)>"
    hostile = replace(fused, title=evil, articles=tuple(
        {**a, "url": url, "title": evil, "outlet": evil, "published": "<b>2022</b>"} for a in fused.articles))
    page = MarkdownIt("commonmark").render(render(hostile, "md"))
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert 'href="javascript:' not in page and 'href="data:' not in page
    if url.startswith("http"):
        assert 'href="http://evil.example/' in page  # still a link, with the breaking characters encoded


def test_reports_mark_a_headline_only_source(seed_fused):  # type: ignore[no-untyped-def]
    fused, articles = seed_fused
    first = fused.articles[0]
    marked = replace(fused, articles=({**first, "headline_only": True}, *fused.articles[1:]))
    assert render(marked, "html", articles).count('class="headline-only"') == 1
    assert "headline only" not in render(fused, "html", articles)
    markdown = render(marked, "md")
    assert f"{first['title']} (headline only)" in markdown.replace("\\", "")


def test_html_shows_timeline_quotes_and_framing(seed_fused):  # type: ignore[no-untyped-def]
    fused, articles = seed_fused
    page = render(fused, "html", articles)
    for heading in ("Summary", "Facts × outlets", "Who said what", "Timeline", "How each outlet names the actors"):
        assert f"<h2>{heading}</h2>" in page
    assert "State Administrative Council" in page


def test_markdown_cites_every_summary_sentence(seed_fused):  # type: ignore[no-untyped-def]
    fused, _ = seed_fused
    text = render(fused, "md")
    summary = text.split("## Summary")[1].split("## Facts")[0]
    bullets = [line for line in summary.splitlines() if line.startswith("- ")]
    assert bullets and all(re.search(r"\[\d\]$", line) for line in bullets)


def test_index_links_each_story(seed_fused):  # type: ignore[no-untyped-def]
    fused, _ = seed_fused
    page = render_index([(fused, "stories/seeds.html")])
    assert 'href="stories/seeds.html"' in page


def test_story_json_round_trips(seed_fused):  # type: ignore[no-untyped-def]
    from newsfuse.fuse.records import fused_from_dict

    fused, _ = seed_fused
    assert fused_from_dict(json.loads(json.dumps(story_json(fused)))) == fused


def test_a_documents_words_are_labelled_as_a_document_in_markdown_and_html(seed_fused):  # type: ignore[no-untyped-def]
    # "the statement" says something, but no one speaks: the reader is told it is a document.
    fused, articles = seed_fused
    quote = replace(fused.quotes[0], speaker="the statement", speaker_type="SOURCE", direct=True)
    labelled = replace(fused, quotes=(quote,))
    assert "**the statement** (quote; a document, not a speaker)" in render(labelled, "md")
    assert "a document, not a speaker" in render(labelled, "html", articles)
    assert "a document, not a speaker" not in render(fused, "html", articles)


def test_a_long_conflict_subject_is_cut_between_words(seed_fused):  # type: ignore[no-untyped-def]
    from newsfuse.models import Conflict, ConflictValue

    fused, _ = seed_fused
    about = ("The harbour master, a former pilot who now leads a team of twelve inspectors, said the dock "
             "would stay shut for two weeks.")
    conflict = Conflict("number", (ConflictValue("two weeks", (fused.articles[0]["id"],)),
                                   ConflictValue("three weeks", (fused.articles[1]["id"],))), about)
    line = next(l for l in render(replace(fused, conflicts=(conflict,)), "md").splitlines() if l.startswith("- **number**"))
    shown = line.split(" of ", 1)[1].split(": “", 1)[0]
    assert shown.endswith("…") and about.startswith(shown[:-1]) and not about[len(shown) - 1].isalnum(), shown


def test_reported_speech_shows_its_verb_and_no_cue_of_punctuation_alone(seed_fused):  # type: ignore[no-untyped-def]
    # A headline "Report: the port will reopen" is reported speech cued by a colon: "reported speech: :"
    # reads as garbage; the verb of a real cue ("denied") is what tells the reader which claim is made.
    fused, articles = seed_fused
    colon = replace(fused.quotes[0], speaker="report", direct=False, cue=":")
    denied = replace(fused.quotes[0], speaker="the minister", direct=False, cue="denied")
    shown = replace(fused, quotes=(colon, denied))
    md, page = render(shown, "md"), render(shown, "html", articles)
    assert "**report** (reported speech):" in md and "(reported speech: denied)" in md
    assert "reported speech: :" not in md and "reported speech: :" not in page
    assert "reported speech: denied" in page
    assert json.loads(render(shown, "json"))["quotes"][0]["cue"] == ":"  # the contract keeps the cue as written
