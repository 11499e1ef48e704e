"""Cleaning the three real seed reports: metadata found, noise gone, every removal logged."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.seed


def test_all_three_seeds_are_dated_2022_08_03(seed_articles):
    assert {outlet: a.published for outlet, a in seed_articles.items()} == {
        "TBS News": "2022-08-03", "Al Jazeera": "2022-08-03", "TASS": "2022-08-03",
    }


def test_tass_year_is_marked_as_inferred(seed_articles):
    assert seed_articles["TASS"].published_found_by.startswith("dateline-year")
    assert seed_articles["TASS"].dateline.startswith("NAYPYIDAW, August 3")


@pytest.mark.parametrize("outlet, found_by", [
    ("TBS News", "text:byline"), ("Al Jazeera", "text:correspondent"), ("TASS", "text:dateline"),
])
def test_outlet_is_found_in_the_text(seed_articles, outlet, found_by):
    assert seed_articles[outlet].outlet_found_by.startswith(found_by)


def test_navigation_residue_is_removed_and_logged(seed_articles):
    tass = seed_articles["TASS"]
    assert "All news" not in tass.paragraphs
    assert any(r.reason == "navigation" and r.text == "All news" for r in tass.removals)


def test_repeated_byline_and_timestamps_are_removed(seed_articles):
    tbs = seed_articles["TBS News"]
    assert "TBS Report" not in tbs.text
    assert "Last modified" not in tbs.text
    assert "12:25 pm" not in tbs.text
    assert sum(r.reason == "byline" for r in tbs.removals) == 2


def test_duplicated_caption_is_kept_once_and_marked(seed_articles):
    tbs = seed_articles["TBS News"]
    assert tbs.text.count("REUTERS/Evgenia Novozhenina") == 1
    assert len(tbs.caption_paragraphs) == 1
    assert "Sergei Lavrov" in tbs.paragraphs[tbs.caption_paragraphs[0]]
    assert any(r.reason == "duplicate-caption" for r in tbs.removals)


def test_title_repeated_in_body_is_removed(seed_articles):
    tbs = seed_articles["TBS News"]
    assert tbs.title == "Russia’s foreign minister makes official visit to Myanmar"
    assert tbs.title not in tbs.paragraphs


def test_truncated_teaser_is_removed_and_full_paragraph_kept(seed_articles):
    tass = seed_articles["TASS"]
    assert not any(p.endswith("said earlie") for p in tass.paragraphs)
    assert any(r.reason == "teaser" for r in tass.removals)
    assert "including the political dialogue" in tass.text


def test_header_sentence_that_is_not_a_title_stays_in_the_body(seed_articles):
    aj = seed_articles["Al Jazeera"]
    assert aj.paragraphs[0].startswith("Russian Foreign Minister Sergey Lavrov has arrived in Myanmar")


def test_dateline_is_taken_off_the_first_paragraph(seed_articles):
    tass = seed_articles["TASS"]
    assert tass.paragraphs[0].startswith("Russian Foreign Minister Sergey Lavrov will start")


def test_language_is_english(seed_articles):
    assert {a.language for a in seed_articles.values()} == {"en"}
