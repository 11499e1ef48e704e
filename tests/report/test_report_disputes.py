"""Reports show what outlets dispute before what they agree on, and never paint a disputed cell as agreement."""

from __future__ import annotations

import json
import re

import pytest

from newsfuse.report import render


@pytest.fixture(scope="module")
def ferry(ferry_story):  # type: ignore[no-untyped-def]
    return ferry_story


def test_the_heatmap_marks_disputed_cells_and_puts_conflicts_first(ferry):  # type: ignore[no-untyped-def]
    fused, articles, _ = ferry
    page = render(fused, "html", articles)
    assert page.index("Where outlets differ") < page.index("Facts × outlets")
    disputed = [f for f in fused.facts if f.disputed]
    assert disputed
    marked = re.findall(r'<div class="c on disputed"[^>]*aria-label="([^"]+) reports this with a disputed value"', page)
    outlets = {articles[a].outlet for f in disputed for a in f.disputed}
    assert set(marked) == outlets
    first_fact = re.search(r'<div class="f" id="([^"]+)">', page).group(1)
    assert first_fact in {f.id for f in disputed}


def test_the_json_names_disputed_articles_and_the_conflicts_facts(ferry):  # type: ignore[no-untyped-def]
    fused, _, _ = ferry
    data = json.loads(render(fused, "json"))
    disputed = [f for f in data["facts"] if f["disputed"]]
    assert disputed and all(f["conflicts"] for f in disputed)
    touched = {fid for c in data["conflicts"] for fid in c["facts"]}
    assert {f["id"] for f in disputed} <= touched


def test_markdown_lists_conflicts_before_facts_and_flags_disputed_ones(ferry):  # type: ignore[no-untyped-def]
    fused, _, _ = ferry
    text = render(fused, "md")
    assert text.index("## Where outlets differ") < text.index("## Facts")
    # The disputed articles give conflicting values; they are not outlets that dispute the fact.
    assert "**disputed**: conflicting values in [" in text and "**disputed** by" not in text
