"""Noise found by the audit of real scraped articles (bench/clean_audit.py), in project-written examples."""

from __future__ import annotations

import pytest

from newsfuse.clean import clean_document
from newsfuse.models import RawDocument

FIRST = "The city council approved the new budget on Monday after a four-hour debate."
SECOND = "Council leader Ana Ruiz said the plan would fund two new schools and a library."
LAST = "The budget takes effect in April, officials said."


def clean(*lines: str, title: str | None = "Council passes budget", **declared: str):  # type: ignore[no-untyped-def]
    text = "\n\n".join((FIRST, SECOND, *lines, LAST))
    fields = {"text": text, **declared}
    if title is not None:
        fields["title"] = title
    return clean_document(RawDocument("text", "test.txt", text.encode(), fields)).article


def removed(article, reason: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.text for r in article.removals if r.reason == reason]


@pytest.mark.parametrize("line, reason", [
    ("Please enable JavaScript to watch this video", "site-ui"),
    ("Your notification has been saved.", "site-ui"),
    ("Already a subscriber?", "site-ui"),
    ("We have sent you a verification email. Please check your inbox to activate your profile.", "site-ui"),
    ("Stay with Channel 9 and ch9news.com for the latest on this developing story.", "promo"),
    ("Download the Harbor News app: iPhone | Android", "promo"),
    ("Report an error or submit a tip to KXYZ", "promo"),
    ("Close Get email notifications on Jo Roe daily!", "promo"),
    ("Region 4 News App - Install or update on your: iPhone | Android", "promo"),
    ("jroe@harbordaily.example", "contact"),
    ("Twitter: @jo_roe_news", "contact"),
    ("Contact Jo Roe at jroe@harbordaily.example or 555-201-3344.", "contact"),
    ("(555) 201-3344", "residue"),
    ("______________________", "residue"),
    ("widget_photo|gallery-12|slot-3|0", "residue"),
    ("(Photo: KXYZ)", "photo-credit"),
    ("Buy Photo (Photo: Harbor Daily/Sam Lee)", "photo-credit"),
    ("Image via Shutterstock", "photo-credit"),
    ("Staff writer Dana Poole contributed to this report.", "credits"),
    ("Jo Roe contributed reporting from Lisk, Sam Lee from Avel and Dana Poole from Nordby.", "credits"),
    ("Sam Lee and Dana Poole contributed additional reporting.", "credits"),
    ("Harbour strike halts cargo at Kestrelport AP.", "credits"),
    ("Jo Roe / Reuters.", "credits"),
    ("—Metro Wire", "credits"),
    ("— Frank Ortiz", "byline"),
    ("Read or Share this story: http://short.example/1AbC", "related-link"),
    ("Image 3 of 12 Council members vote on the budget on Monday. Photo: Sam Lee", "gallery"),
    ("Victims [ edit ]", "navigation"),
    ("Pinterest", "navigation"),
    ("Mar APR May 12 2014 2015 2016 3 captures 12 Apr 15 - 20 May 16", "archive-toolbar"),
    ("Updated 3 / 4 / 2013 2: 30 pm", "timestamp"),
    ("Update @ 4:15 p.m.:", "timestamp"),
])
def test_real_page_furniture_is_removed_with_its_reason(line, reason):
    article = clean(line)
    assert line not in article.paragraphs
    assert line in removed(article, reason)
    assert LAST in article.paragraphs


@pytest.mark.parametrize("line", [
    "`` No.",
    "20 - 13.",
    "Officers searched homes in the 60619 zip code on Monday night.",
    "Police asked anyone with video of the shooting to send it to @MetroPD, the department tweeted.",
    "9:45 Police arrived at the scene and closed the road.",
    "Stay with relatives if you can, the fire chief told residents.",
    "Download the form from the city website before Friday, the clerk said.",
    "Photo of the suspect was released by the sheriff's office on Monday, deputies said.",
    "Neighbours who contributed reporting of the fire to the police were thanked by the mayor.",
    "The budget is fair, the mayor told Reuters.",
    "The figures were first reported by the AP.",
])
def test_article_sentences_that_resemble_furniture_are_kept(line):
    assert line in clean(line).paragraphs


def test_video_playlist_entries_are_removed_together():
    article = clean("1:42 Mayor talks about road repairs", "0:58 High school team wins title")
    assert removed(article, "video-list") == ["1:42 Mayor talks about road repairs", "0:58 High school team wins title"]


def test_a_short_answer_repeated_in_the_text_is_kept_twice():
    article = clean("Was the vote close?", "No.", "Will it pass again next year?", "No.")
    assert article.paragraphs.count("No.") == 2


def test_sentence_ending_in_a_detokenised_quote_is_not_a_heading():
    assert "That's it. ''" in clean("That's it. ''").paragraphs


def test_lead_sentence_given_as_title_stays_in_the_body():
    lead = ("The city council approved the new budget on Monday after a four-hour debate that ran late "
            "into the night, officials said.")
    text = lead + "\n\n" + LAST
    article = clean_document(RawDocument("jsonl", "t:1", text.encode(), {"text": text, "title": lead})).article
    assert article.paragraphs[0] == lead
    assert not removed(article, "title-repeat")


def test_headline_given_as_title_is_taken_out_of_the_body():
    text = "Council passes budget\n\n" + FIRST + "\n\n" + LAST
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    article = clean_document(raw).article
    assert article.paragraphs[0] == FIRST
    assert removed(article, "title-repeat") == ["Council passes budget"]


def test_dateline_given_as_title_is_not_the_title():
    text = "LAKEVIEW, Ore. —\n" + FIRST + "\n" + LAST
    raw = RawDocument("jsonl", "t:1", text.encode(), {"text": text, "title": "LAKEVIEW, Ore. —"})
    article = clean_document(raw).article
    assert article.title.startswith("The city council approved")
    assert article.dateline == "LAKEVIEW, Ore. —"
    assert article.paragraphs[0] == FIRST


def test_site_name_after_the_headline_is_taken_off_and_names_the_outlet():
    article = clean(title="Council passes budget after long debate - KXYZ News 4 | Lakeview, OR | Weather & Sports")
    assert article.title == "Council passes budget after long debate"
    assert (article.outlet, article.outlet_found_by) == ("KXYZ News 4", "text:title:KXYZ News 4")


@pytest.mark.parametrize("title", ["Shots fired - West End", "Police chief - a profile of a reformer"])
def test_headline_with_a_dash_but_no_site_name_is_kept_whole(title):
    article = clean(title=title)
    assert article.title == title
    assert article.outlet is None


def test_web_archive_copy_names_the_original_outlet_and_date():
    url = "http://web.archive.org/web/20160101120000/http://www.harbordaily.example/2015/12/30/budget/"
    article = clean(url=url)
    assert (article.outlet, article.outlet_found_by) == ("harbordaily.example", "url")
    assert (article.published, article.published_found_by) == ("2015-12-30", "url")


def test_generic_desk_byline_names_no_outlet():
    article = clean("By Breaking News Staff")
    assert article.outlet is None
    assert removed(article, "byline") == ["By Breaking News Staff"]


def test_desk_byline_names_its_paper_without_the_desk_words():
    assert clean("Lakeview Herald Staff Report").outlet == "Lakeview Herald"


def test_reporter_in_a_dateline_is_not_an_outlet():
    text = "LAKEVIEW (Jo Roe) -- " + FIRST + "\n\n" + SECOND
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    article = clean_document(raw).article
    assert article.outlet is None
    assert article.paragraphs[0] == FIRST


def test_date_in_a_dateline_dates_the_article():
    text = "LAKEVIEW, Ore. (Nov. 9th 2015) -- " + FIRST + "\n\n" + SECOND
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    article = clean_document(raw).article
    assert (article.published, article.published_found_by) == ("2015-11-09", "dateline")


def test_widget_heading_beside_navigation_is_not_a_masthead():
    article = clean("Share", "Reader Comments", "Print")
    assert article.outlet is None


def test_station_call_sign_keeps_its_capitals():
    text = "LAKEVIEW (KXYZ SF) -- " + FIRST + "\n\n" + SECOND
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    assert clean_document(raw).article.outlet == "KXYZ SF"


def test_shouted_text_is_recognised_as_english():
    text = ("A QUIET NIGHT TURNED VIOLENT ON THE EAST SIDE. POLICE SAY TWO MEN WERE SHOT OUTSIDE A STORE "
            "AND BOTH WERE TAKEN TO THE HOSPITAL. NO ARRESTS HAVE BEEN MADE AND DETECTIVES ARE ASKING FOR HELP.")
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Two shot"})
    assert clean_document(raw).article.language == "en"


def test_html_entities_in_the_title_are_unescaped():
    assert clean(title="Shots fired at Mr. G&#39;s club").title == "Shots fired at Mr. G's club"


def test_lead_repeated_under_its_dateline_is_kept_once():
    text = "LAKEVIEW, Ore. (KXYZ) - " + FIRST + "\n\n" + SECOND + "\n\n" + FIRST
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    assert clean_document(raw).article.paragraphs == (FIRST, SECOND)


def test_desk_byline_with_a_channel_number_names_the_station():
    assert clean("KXYZ 9 Staff").outlet == "KXYZ 9"


def test_desk_byline_of_a_blog_inside_a_paper_names_no_outlet():
    assert clean("Lakeview 911 Staff").outlet is None


def test_desk_byline_of_generic_words_and_a_number_names_no_outlet():
    assert clean("Metro 9 Staff").outlet is None


@pytest.mark.parametrize("lead, title", [
    ("Two deputy U.S. marshals were hurt in the raid. Both are expected to recover.",
     "Two deputy U.S. marshals were hurt in the raid."),
    ("The fire at 1200 S. Main St. destroyed two shops. Nobody was hurt.",
     "The fire at 1200 S. Main St. destroyed two shops."),
])
def test_title_from_the_first_sentence_is_not_cut_at_an_abbreviation(lead, title):
    text = lead + "\n\n" + LAST
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text})
    assert clean_document(raw).article.title == title


def test_timestamps_run_into_a_first_line_title_are_taken_off():
    text = "Council passes budget Posted: Monday, March 2, 2015 12:06 AM EST\n\n" + FIRST + "\n\n" + LAST
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text})
    assert clean_document(raw).article.title == "Council passes budget"


@pytest.mark.parametrize("line, caption", [
    ("A photograph released by the city shows council members at the vote in the town hall on Monday.", True),
    ("In this March 3 photo provided by the council, Ana Ruiz speaks to reporters.", True),
    ("In this Tuesday, Mar. 3, 2015 photo, Ana Ruiz speaks to reporters outside the town hall.", True),
    ("In this town, Dr. Ana Ruiz said, the photo of the mill is on every wall.", False),
    ("This image shows the new library as the architects drew it.", True),
    ("Photo of the suspect was released by the sheriff's office on Monday, deputies said.", False),
    ("The survey shows that most residents support the new library.", False),
    # A video clip's blurb ends with the clip's stamp; the clip may be of another day's events.
    ("Council members argued for four hours. Jo Roe reports from the town hall. (Published Monday, March 2, 2015)", True),
    ("Ana Ruiz spoke after the vote. (Posted Tuesday, Mar. 3, 2015 5:10 PM)", True),
    ("The plan was approved (published notices said so), officials said.", False),
    ("The mayor read from the plan (published in March).", False),
])
def test_a_caption_written_as_a_sentence_is_marked_as_one(line, caption):
    article = clean(line)
    assert line in article.paragraphs  # kept as written, only marked
    assert (article.paragraphs.index(line) in article.caption_paragraphs) is caption


@pytest.mark.parametrize("dateline, published", [
    ("LAKEVIEW, OR, March 4, 2015", "2015-03-04"),  # a press release's own line, no dash
    ("LAKEVIEW - March 4 -", None),  # no year: the date waits for the batch
])
def test_a_line_that_is_only_a_dateline_is_taken_off(dateline: str, published: str | None) -> None:
    text = dateline + "\n\n" + FIRST + "\n\n" + SECOND
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    article = clean_document(raw).article
    assert article.paragraphs == (FIRST, SECOND)
    assert article.published == published


@pytest.mark.parametrize("stamp", ["FOR IMMEDIATE RELEASE March 4, 2015", "Originally published 03 / 04 / 2015 at 10: 20 AM EDT"])
def test_a_stamp_with_its_label_dates_the_page(stamp: str) -> None:
    text = stamp + "\n\n" + FIRST + "\n\n" + SECOND
    raw = RawDocument("text", "t.txt", text.encode(), {"text": text, "title": "Council passes budget"})
    article = clean_document(raw).article
    assert article.paragraphs == (FIRST, SECOND)
    assert article.published == "2015-03-04"
