"""Cleaning the project-written sample articles: every noise type they carry is removed and logged."""

from __future__ import annotations

import pytest

from newsfuse.clean import clean_document
from newsfuse.ingest import ReadOptions, read_input
from tests.conftest import EXAMPLES

ARTICLES = sorted((EXAMPLES / "articles").glob("*.txt"))


def cleaned(path):  # type: ignore[no-untyped-def]
    [raw] = list(read_input(str(path), ReadOptions()))
    return clean_document(raw)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_no_navigation_byline_or_timestamp_survives(path):
    article = cleaned(path).article
    for paragraph in article.paragraphs:
        assert " > " not in paragraph
        assert paragraph not in {"Share", "Share this article", "Read more"}
        assert not paragraph.startswith(("Published ", "Last modified"))
        assert not (paragraph.startswith("By ") and len(paragraph.split()) <= 4)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_each_paragraph_appears_once(path):
    article = cleaned(path).article
    assert len(set(article.paragraphs)) == len(article.paragraphs)


@pytest.mark.parametrize("name, outlet", [
    ("shooting-2-valtoria-broadcasting-2025-03-13.txt", "Valtoria Broadcasting"),
    ("shooting-1-arrest-coastline-times-2025-03-14.txt", "Coastline Times"),
    ("rates-nordwire-2025-03-11.txt", "Nordwire"),
    ("strike-harbor-daily-2025-03-12.txt", "Harbor Daily"),
    ("strike-orsenna-ledger-2025-03-12.txt", None),
])
def test_outlet_comes_from_masthead_byline_or_dateline_or_stays_unknown(name, outlet):
    assert cleaned(EXAMPLES / "articles" / name).article.outlet == outlet


def test_breadcrumb_is_not_taken_for_the_title():
    article = cleaned(EXAMPLES / "articles" / "shooting-2-valtoria-broadcasting-2025-03-13.txt").article
    assert article.title == "Shop owner wounded in Northgate robbery"
    assert any(r.reason == "navigation" and ">" in r.text for r in article.removals)


def test_dateline_without_year_waits_for_the_batch():
    result = cleaned(EXAMPLES / "articles" / "rates-nordwire-2025-03-11.txt")
    assert result.article.published is None
    assert result.partial_date == (3, 11)
