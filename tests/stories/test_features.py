"""Per-article features: names, mentioned days, site labels, numbers, quotes, headline-only articles."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from newsfuse.models import Article
from newsfuse.stories.features import (
    article_features, capitalised_entities, drop_outlet_names, embedding_text, headline, mentioned_days,
    mentioned_numbers, mentioned_years, quote_shingles, strip_site_suffix,
)


def test_names_are_found_and_sentence_starts_are_not() -> None:
    found = capitalised_entities("Police said Tobias Renwick died on Calloway Street. Police said more.", "")
    assert "tobias renwick" in found and "calloway street" in found
    assert "police" not in found


def test_a_name_in_the_title_counts_more_than_one_at_the_end() -> None:
    text = "Ferrand met the minister. " * 10 + "Karsavin was elsewhere."
    found = capitalised_entities(text, "Ferrand in Orsenna")
    assert found["ferrand"] > found["karsavin"]


def test_weekday_resolves_to_the_last_such_day_before_publication() -> None:
    tuesday = dt.date(2025, 3, 11).toordinal()
    assert dt.date(2025, 3, 10).toordinal() in mentioned_days("He was shot late on Monday.", tuesday)


def test_month_and_day_take_the_publication_year() -> None:
    day = dt.date(2015, 3, 15).toordinal()
    assert mentioned_days("Corbin's Jan. 19 death", day) == (dt.date(2015, 1, 19).toordinal(),)


def test_site_label_is_cut_from_the_headline() -> None:
    title = "Young man found shot on Frontenac street - KMOV.com"
    assert strip_site_suffix(title, "www.kmov.com") == "Young man found shot on Frontenac street"


def test_outlet_names_are_not_event_entities() -> None:
    from collections import Counter

    kept = drop_outlet_names(Counter({"harbor daily": 2.0, "calloway street": 1.0}), "Harbor Daily")
    assert set(kept) == {"calloway street"}


def test_analysis_mentions_replace_the_capitalisation_heuristic(seed_articles) -> None:  # type: ignore[no-untyped-def]
    from newsfuse.models import Analysis, Mention
    from newsfuse.stories.features import article_features

    article = seed_articles["TASS"]
    start = article.text.index("Lavrov")
    mention = Mention(article.id, "Lavrov", "PERSON", start, start + 6, 0, entity_id="e-lavrov")
    analysis = Analysis(article.id, (), (mention,), (), (), ())
    feats = article_features(article, analysis)
    assert "lavrov" in feats.entities and "@e-lavrov" in feats.entities
    assert "zakharova" not in feats.entities  # only what the analysis found (plus title names)
    assert "zakharova" in article_features(article).entities


def test_ages_of_the_people_in_the_report_are_found() -> None:
    from newsfuse.stories.features import mentioned_ages

    text = "A 19-year-old man was shot. Dana Whitlock, 42, was hurt; a boy aged 7 was unharmed."
    assert mentioned_ages(text) == (7, 19, 42)


def test_clock_times_are_kept_to_the_half_hour() -> None:
    from newsfuse.stories.features import mentioned_times

    assert mentioned_times("Shots rang out about 11:40 p.m. and again at 2 a.m.") == (4, 47)


def test_people_named_in_full_are_found_and_officials_are_not() -> None:
    from newsfuse.stories.features import mentioned_persons

    text = (
        "The victim, Dana Whitlock, 42, was shot near her home. Lt. Lee Horton said the suspect, "
        "Marcus Oyelaran, was arrested. Chief Inspector Scott Small said Kensington Avenue was closed."
    )
    assert mentioned_persons(text) == ("oyelaran", "whitlock")


def test_street_addresses_are_kept_to_the_hundred_block() -> None:
    from newsfuse.stories.features import mentioned_addresses

    text = "Officers went to the 1800 block of Mini Drive, then to 1432 N. Elm St."
    assert mentioned_addresses(text) == ("1400 elm", "1800 mini")


def test_the_sexes_of_the_people_hurt_are_read_from_the_first_words() -> None:
    from newsfuse.stories.features import mentioned_genders

    assert mentioned_genders("Woman shot outside bar\nA 23-year-old woman was hurt.") == ("f",)
    assert mentioned_genders("Man and girl wounded") == ("f", "m")


def _article(title: str, text: str = "", outlet: str | None = None) -> Article:
    return Article(id="x", title=title, text=text, paragraphs=(text,) if text else (), outlet=outlet,
                   outlet_found_by=None, published="2025-03-11", published_found_by="metadata", language="en")


@pytest.mark.parametrize("title", ["September 18th, 2013, 05:31 GMT", "18 September 2013 Last updated at 13:59 GMT",
                                   "11 / 28 / 05", "Posted 11/27/2005 7:21 AM"])
def test_a_bare_timestamp_is_no_headline(title) -> None:  # type: ignore[no-untyped-def]
    assert headline(_article(title)) == ""
    assert headline(_article("Ferry fares rise 8% from April")) == "Ferry fares rise 8% from April"


def test_numbers_of_the_head_leave_out_years_single_digits_and_clock_parts() -> None:
    assert mentioned_numbers("Colts beat Chiefs 20 - 13 at 8: 00 pm in 2013; 1,200 fans; a 5.6 quake; 3 hurt") == (
        "1200", "13", "20", "5.6")
    assert mentioned_years("the 2008 Macworld, not 1999 or 2131") == (1999, 2008)


def test_quoted_words_are_matched_across_outlets_however_the_quote_is_cut() -> None:
    one = quote_shingles('The mayor said: "We will rebuild the harbour wall before the winter storms come back."')
    two = quote_shingles("“We will rebuild the harbour wall before the winter storms,” the mayor told reporters.")
    other = quote_shingles('"Fares will rise by eight percent on every route from April," a spokeswoman said.')
    assert one and two and set(one) & set(two) and not set(one) & set(other)
    assert quote_shingles('He called it "a disgrace" on Monday.') == ()  # too short to be anyone's words


def test_a_title_case_headline_is_cut_into_names_at_the_words_the_text_writes_in_lower_case() -> None:
    article = _article("Colts Beat Chiefs To Clinch Playoff Berth",
                       "The Indianapolis Colts beat the Kansas City Chiefs on Sunday to clinch a playoff berth.")
    feats = article_features(article)
    assert "colts beat chiefs" not in feats.entities
    assert {"colts", "chiefs"} <= set(feats.title_names)


def test_a_headline_only_article_has_title_features_and_an_empty_body() -> None:
    article = dataclasses.replace(_article("Harbour authority raises ferry fares by 8 percent"), headline_only=True)
    feats = article_features(article)
    assert feats.headline_only and feats.body == {} and feats.lead == {}
    assert {"harbour", "ferry", "fares"} <= set(feats.title)
    assert embedding_text(article) == "Harbour authority raises ferry fares by 8 percent"
