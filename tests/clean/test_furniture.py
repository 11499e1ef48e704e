"""Page furniture that real scraped articles carry: credits, copyright, promos, related links, BBC captions."""

from __future__ import annotations

import pytest

from newsfuse.clean import clean_document
from newsfuse.models import RawDocument

BODY = (
    "The city council approved the new budget on Monday after a four-hour debate.\n\n"
    "Council leader Ana Ruiz said the plan would fund two new schools.\n\n"
)


def clean(extra: str):  # type: ignore[no-untyped-def]
    text = BODY + extra + "\n\nThe budget takes effect in April, officials said."
    raw = RawDocument("text", "test.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    return clean_document(raw).article


@pytest.mark.parametrize("line, reason", [
    ("(Reporting by Jane Roe; Editing by John Doe)", "credits"),
    ("Additional reporting by Li Wei in Beijing", "credits"),
    ("Copyright 2024 The Associated Press. All rights reserved.", "copyright"),
    ("© 2024 Harbor Daily", "copyright"),
    ("Also read: Council delays vote on parking fees", "related-link"),
    ("READ MORE: Mayor defends spending plan", "related-link"),
    ("Sign up for our morning newsletter", "promo"),
    ("Follow us on Twitter for the latest updates", "promo"),
    ("Image source, Getty Images", "caption"),
    ("Image caption, Council members during the vote", "caption"),
])
def test_furniture_line_is_removed_with_its_reason(line, reason):
    article = clean(line)
    assert line not in article.paragraphs
    assert any(r.reason == reason and r.text == line for r in article.removals)
    assert "The budget takes effect in April, officials said." in article.paragraphs


def test_long_paragraph_that_starts_like_a_promo_is_kept():
    line = ("Read more: that was the advice the council gave residents, who were asked to study the "
            "four-hundred-page plan before the vote, and many of them did, filling the public gallery "
            "on Monday and questioning each line of spending in a session that ran past midnight, "
            "according to the council's own record of the meeting.")
    assert line in clean(line).paragraphs


def test_line_of_punctuation_without_sentence_end_does_not_break_teaser_check():
    article = clean("— — — — — — — — — — — — — — — — — — — — — — — —")
    assert "The budget takes effect in April, officials said." in article.paragraphs


@pytest.mark.parametrize("url, site_name, outlet, found_by", [
    ("https://www.tass.com/politics/1", "TASS Russian News Agency", "TASS", "url"),
    ("https://harbordaily.example/a/1", "Harbor Daily", "Harbor Daily", "site_name"),
    ("https://harbordaily.example/a/1", None, "harbordaily.example", "url"),
])
def test_outlet_from_url_host_or_the_unknown_hosts_site_name(url, site_name, outlet, found_by):
    text = BODY + "The budget takes effect in April, officials said."
    declared = {"text": text, "title": "Council passes budget", "url": url}
    if site_name:
        declared["site_name"] = site_name
    article = clean_document(RawDocument("html", url, text.encode(), declared)).article
    assert (article.outlet, article.outlet_found_by) == (outlet, found_by)


@pytest.mark.parametrize("line", [
    "Posted: Oct 3, 2024 10:50AM CDT",
    "Updated: March 3, 2025 4:12 PM PST",
    "Published 2 June 2024 9:05 MST",
    "Posted: 14 Apr 2025 11:06 PM CEST",
    "Updated Thu 6 May 2025, 9:03am AEST",
])
def test_a_stamp_in_any_common_time_zone_is_a_timestamp(line):  # type: ignore[no-untyped-def]
    # EST/EDT stamps were dropped and dated the article while CDT, PST, CEST ... stamps stayed in the text.
    article = clean(line)
    assert line not in article.paragraphs
    assert any(r.reason == "timestamp" and r.text == line for r in article.removals)


@pytest.mark.parametrize("line, day", [
    ("Tue., Oct. 8, 2024 11:29 AM PDT", "2024-10-08"),
    ("October 8th, 2024", "2024-10-08"),
    ("TUESDAY, OCTOBER 8TH, 2024 AT 10:40 AM", "2024-10-08"),
    ("Tuesday 8 October 2024 08.33 BST", "2024-10-08"),
    ("Oct. 8, 2024 | 2:47 p.m.", "2024-10-08"),
])
def test_a_stamp_with_abbreviating_dots_an_ordinal_day_or_a_dotted_time(line, day):  # type: ignore[no-untyped-def]
    # These stamps stayed in the text as statements (a fact "October 8th, 2024" cited to three outlets, a
    # summary line, a timeline row) and left the article undated.
    text = line + "\n\n" + BODY + "The budget takes effect in April, officials said."
    raw = RawDocument("text", "test.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    article = clean_document(raw).article
    assert line not in article.paragraphs
    assert any(r.reason == "timestamp" and r.text == line for r in article.removals)
    assert (article.published, article.published_found_by) == (day, "byline-timestamp")


def test_a_short_sentence_with_a_date_stays():  # type: ignore[no-untyped-def]
    article = clean("The 3rd vote is on Oct. 8.")
    assert "The 3rd vote is on Oct. 8." in article.paragraphs


@pytest.mark.parametrize("line, day", [
    ("Posted: Oct 3, 2024 10:50AM CDT", "2024-10-03"),
    ("Posted: Monday, March 2, 2015 12:06 AM EST", "2015-03-02"),
    ("Updated Thu 6 May 2025, 9:03am AEST", "2025-05-06"),
])
def test_a_stamp_with_a_time_zone_dates_an_undated_article(line, day):  # type: ignore[no-untyped-def]
    # The zone left after the time was taken off made the stamp unreadable as a date.
    text = line + "\n\n" + BODY + "The budget takes effect in April, officials said."
    raw = RawDocument("text", "test.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    article = clean_document(raw).article
    assert (article.published, article.published_found_by) == (day, "byline-timestamp")


@pytest.mark.parametrize("line", [
    "http://harbordaily.example/2024/03/council-budget-vote.html",
    "https://www.example.org/news/budget?id=42",
    "www.harbordaily.example/budget",
    "<http://harbordaily.example/a/b>",
])
def test_a_line_that_is_only_a_web_address_is_removed(line):
    # A blog post listing its sources as bare links: each link is no sentence, so no fact or summary line.
    article = clean(line)
    assert line not in article.paragraphs
    assert any(r.reason == "link" and r.text == line for r in article.removals)


def test_a_sentence_that_gives_a_web_address_stays():
    line = "Tips may be sent online at http://tips.example.org, police said."
    assert line in clean(line).paragraphs


@pytest.mark.parametrize("line, reason", [
    ("@harbortv https://t.co/Ab12Cd pic.twitter.com/Ef34Gh — Lena Hartmann (@LenaHarborTV) March 9, 2025", "tweet-embed"),
    ("Latest @ 10&11 @harbortv pic.twitter.com/Xy12Zq — Lena Hartmann (@LenaHarborTV) March 10, 2025", "tweet-embed"),
    ("Follow reporter Lena Hartmann on Twitter", "promo"),
])
def test_a_tweet_embed_with_no_words_of_its_own_and_a_follow_line_are_removed(line, reason):  # type: ignore[no-untyped-def]
    article = clean(line)
    assert line not in article.paragraphs
    assert any(r.reason == reason and r.text == line for r in article.removals)


def test_a_tweet_that_says_something_stays():  # type: ignore[no-untyped-def]
    # An official's tweet is what the official said: the analysis reads it as a quote signed with a dash.
    line = "The bridge stays closed until the inspection is done. — Harbor Police (@HarborPD) March 9, 2025"
    assert line in clean(line).paragraphs


GALLERY = """Flowers were left at the house on Marlowe Avenue on Monday.

Image 3 of 12 Neighbours leave flowers at the home on Marlowe Avenue, where two people were found dead on Saturday night. Neighbours said the family had lived there for ten years. Photo: Lena Hartmann, Harbor Daily

Neighbours leave flowers at the home on Marlowe Avenue, where two...

Image 4 of 12 A police officer stands guard outside the house on Marlowe Avenue on Sunday.

A police officer stands guard outside the house on Marlowe...

Police said the investigation would take weeks."""


def test_a_gallery_is_captions_and_its_cut_copies_teasers():  # type: ignore[no-untyped-def]
    raw = RawDocument("text", "test.txt", GALLERY.encode(), {"text": GALLERY, "title": "Flowers left at house"})
    article = clean_document(raw).article
    statements = [p for i, p in enumerate(article.paragraphs) if i not in article.caption_paragraphs]
    assert statements == ["Flowers were left at the house on Marlowe Avenue on Monday.",
                          "Police said the investigation would take weeks."], statements
    assert [r.reason for r in article.removals if r.text.endswith("...")] == ["teaser", "teaser"]


def test_a_wire_credit_run_into_the_last_paragraph_is_taken_off():  # type: ignore[no-untyped-def]
    last = "“I don't know what made him do it,” the neighbour said."
    credit = "(Additional reporting by Lena Hartmann in Kestrelport; Editing by Tomas Lind)"
    article = clean(last + " " + credit)
    assert last in article.paragraphs
    assert any(r.reason == "credits" and r.text == credit for r in article.removals)
    # A parenthesis that is part of the story stays.
    kept = "The council met on Monday (its third meeting by video link) and passed the budget."
    assert kept in clean(kept).paragraphs
