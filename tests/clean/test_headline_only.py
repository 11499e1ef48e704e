"""Headline-only records: a feed entry or JSON line with a title and no body is kept, marked as such."""

from __future__ import annotations

import pytest

from newsfuse.clean import clean_document
from newsfuse.errors import InputError
from newsfuse.models import RawDocument

TITLE = "Harbour authority raises ferry fares by 8 percent from April"


def raw(kind: str, declared: dict) -> RawDocument:
    return RawDocument(kind, f"test.{kind}", repr(declared).encode(), declared)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", TITLE], ids=["no-text", "title-repeated-as-text"])
def test_a_json_line_with_only_a_headline_is_a_headline_only_article(text):
    article = clean_document(raw("jsonl", {"title": TITLE, "text": text, "published": "2025-03-11"})).article
    assert article.headline_only
    assert article.title == TITLE and article.text == "" and article.paragraphs == ()
    assert article.published == "2025-03-11" and article.language == "en"


def test_a_feed_teaser_is_kept_as_the_text_of_a_headline_only_article():
    declared = {"title": TITLE, "text": "Fares rise on all routes.", "headline_only": True}
    article = clean_document(raw("feed", declared)).article
    assert article.headline_only and article.text == "Fares rise on all routes."


def test_a_full_article_is_not_headline_only():
    declared = {"title": TITLE, "text": "The harbour authority said on Tuesday that fares rise by 8 percent.\n\n"
                                        "Season tickets are not affected, a spokeswoman said."}
    assert not clean_document(raw("jsonl", declared)).article.headline_only


def test_a_web_page_with_only_its_headline_is_still_a_failure():
    with pytest.raises(InputError, match="no article text"):
        clean_document(raw("html", {"title": TITLE, "text": TITLE}))
