"""Per-article features: names, mentioned days, site labels."""

from __future__ import annotations

import datetime as dt

from newsfuse.stories.features import capitalised_entities, mentioned_days, strip_site_suffix, drop_outlet_names


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
