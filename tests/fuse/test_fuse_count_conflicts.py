"""Counts that outlets give differently (written for the project): a conflict only where the two statements'
values never meet, and each disagreement listed once."""

from __future__ import annotations

import re

import numpy as np

from newsfuse.fuse.conflicts import count_conflicts
from newsfuse.fuse.propositions import Proposition
from newsfuse.models import Amount, Analysis, Conflict


def _conflicts(articles: dict[str, list[tuple[str, tuple[str, ...]]]]) -> list[Conflict]:
    """articles: id -> its statements, each (text, the counts it gives); one outlet per article, all one fact."""
    props, analyses = [], {}
    for article, statements in articles.items():
        amounts, at = [], 0
        for text, phrases in statements:
            props.append(Proposition(len(props), article, article, 0, at, at + len(text), text, 0.0, frozenset(),
                                     frozenset(), frozenset(), frozenset()))
            for phrase in phrases:
                start = at + text.index(phrase)
                number, noun = re.fullmatch(r"([\d.]+) ?(.+)", phrase).groups()  # "8 GB" or "8GB"
                amounts.append(Amount(article, phrase, start, start + len(phrase), float(number), noun.rstrip("s"),
                                      None, 0, counts=noun))
            at += len(text) + 1
        analyses[article] = Analysis(article, (), (), (), (), tuple(amounts))
    n = len(props)
    return count_conflicts(props, analyses, [list(range(n))], np.ones((n, n)), {a: a for a in articles}, 0.5)


def _values(found: list[Conflict]) -> list[list[str]]:
    return [[v.value for v in c.values] for c in found]


def test_two_counts_both_statements_give_are_no_conflict() -> None:
    found = _conflicts({
        "a": [("The ferry sank 12 miles off the cape and 3 miles from the reef.", ("12 miles", "3 miles"))],
        "b": [("It went down 3 miles from the reef, 12 miles off the cape.", ("3 miles", "12 miles"))],
    })
    assert found == [], _values(found)


def test_counts_that_never_meet_are_a_conflict() -> None:
    found = _conflicts({
        "a": [("The ferry carried 31 passengers and 4 crew.", ("31 passengers", "4 crew"))],
        "b": [("The ferry carried 27 passengers.", ("27 passengers",))],
    })
    assert _values(found) == [["31 passengers", "27 passengers"]]


def test_one_disagreement_carried_by_two_statements_is_listed_once() -> None:
    found = _conflicts({
        "a": [("Officials said 9 villagers were hurt.", ("9 villagers",))],
        "b": [("Medics treated 5 villagers.", ("5 villagers",)),
              ("Medics treated 5 villagers, the clinic said.", ("5 villagers",))],
    })
    assert _values(found) == [["9 villagers", "5 villagers"]]


def test_one_value_spelt_two_ways_in_one_article_is_listed_once() -> None:
    found = _conflicts({
        "a": [("The laptop ships with 16 GB of memory.", ("16 GB",))],
        "b": [("The base laptop has 8GB of memory.", ("8GB",)),
              ("Buyers get 8 GB of memory in the base laptop.", ("8 GB",))],
    })
    assert _values(found) == [["16 GB", "8GB"]]



def test_one_disagreement_between_many_articles_is_one_conflict() -> None:
    found = _conflicts({
        "a": [("The well was drilled 2.5 miles deep.", ("2.5 miles",))],
        "b": [("Its bore reaches 2.5 miles down, engineers said.", ("2.5 miles",))],
        "c": [("The well goes 25 miles deep.", ("25 miles",))],
    })
    assert [[(v.value, v.articles) for v in c.values] for c in found] == [[("2.5 miles", ("a", "b")),
                                                                          ("25 miles", ("c",))]]


def test_one_pair_of_statements_gives_one_disagreement() -> None:
    found = _conflicts({
        "a": [("The storm flooded 30 homes in the town and 12 homes upriver.", ("30 homes", "12 homes"))],
        "b": [("Water entered 18 homes.", ("18 homes",))],
    })
    assert len(found) == 1, _values(found)


def test_two_articles_that_each_give_both_values_do_not_disagree() -> None:
    found = _conflicts({
        "a": [("The dam holds 40 tonnes of silt.", ("40 tonnes",)),
              ("Crews removed 90 tonnes last year.", ("90 tonnes",))],
        "b": [("Engineers found 90 tonnes behind the dam.", ("90 tonnes",)),
              ("Only 40 tonnes were cleared, the council said.", ("40 tonnes",))],
    })
    assert found == [], _values(found)


# ---------------------------------------------------------------- what is counted (fuse.v13, amounts.v2)

def _analysed_conflicts(articles: dict[str, str], published: str | None = "2025-03-12",
                        one_fact: bool = True) -> list[Conflict]:
    """articles: id -> one sentence, analysed as the pipeline does; one outlet per article, all one fact (else
    each its own fact, all related)."""
    from newsfuse.analyse import analyse_article
    from newsfuse.models import Article

    props, analyses = [], {}
    for article_id, text in articles.items():
        article = Article(id=article_id, title="", text=text, paragraphs=(text,), outlet=article_id,
                          outlet_found_by="flag", published=published, published_found_by="flag" if published else None,
                          language="en")
        analyses[article_id] = analyse_article(article)
        props.append(Proposition(len(props), article_id, article_id, 0, 0, len(text), text, 0.0, frozenset(),
                                 frozenset(), frozenset(), frozenset()))
    n = len(props)
    groups = [list(range(n))] if one_fact else [[k] for k in range(n)]
    return count_conflicts(props, analyses, groups, np.ones((n, n)), {a: a for a in articles}, 0.5, dict(articles))


def test_a_death_toll_and_an_injury_toll_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The gas explosion at the Vellmar market killed 9 people, officials said.",
        "b": "The gas explosion at the Vellmar market injured 40 people, officials said.",
    })
    assert found == [], _values(found)


def test_people_wounded_and_people_shot_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "Three people were wounded at the party in Corvale.",
        "b": "Four people were shot at the party in Corvale.",
    })
    assert found == [], _values(found)


def test_rounds_fired_and_rounds_bought_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The gunman fired 70 rounds at the Corvale depot.",
        "b": "The gunman had bought 1,300 rounds before the Corvale attack.",
    })
    assert found == [], _values(found)


def test_memory_and_storage_in_one_unit_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The new Lumen laptop ships with 16 GB of memory.",
        "b": "The new Lumen laptop ships with 512 GB of storage.",
    })
    assert found == [], _values(found)


def test_distances_from_two_places_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The ferry sank 12 miles from Tavrosk.",
        "b": "The ferry sank 30 miles from Brenholm.",
    })
    assert found == [], _values(found)


def test_a_rising_toll_stays_a_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The blast at the Vellmar market killed 5 people.",
        "b": "Seven people died in the blast at the Vellmar market.",
    })
    assert _values(found) == [["5 people", "Seven people"]]


def test_a_rising_toll_stays_a_conflict_beside_an_injury_count_of_the_old_toll() -> None:
    # Outlet b gives 5 too, but as the injured: its statement does not give a's death toll.
    found = _analysed_conflicts({
        "a": "The blast at the Vellmar market killed 5 people.",
        "b": "The blast at the Vellmar market killed 7 people and injured 5 people.",
    })
    assert _values(found) == [["5 people", "7 people"]]


def test_one_count_told_with_different_verbs_of_its_subjects_stays_a_conflict() -> None:
    found = _analysed_conflicts({
        "a": "Some 1,200 dockworkers walked off the job at the Port of Kestrelport.",
        "b": "About 1,500 dockworkers began a strike at the Port of Kestrelport.",
    })
    assert _values(found) == [["1,200 dockworkers", "1,500 dockworkers"]]


def test_a_rate_and_a_count_of_one_noun_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The Lumen display has 2,880 pixels.",
        "b": "The Lumen display has 220 pixels per inch.",
    })
    assert found == [], _values(found)


def test_the_people_a_place_holds_and_the_people_killed_there_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The bomber hit a refugee camp of 21,000 people near Yida.",
        "b": "The bombing of the refugee camp near Yida killed 7 people.",
    })
    assert found == [], _values(found)


def test_people_shot_to_death_and_people_killed_count_one_toll() -> None:
    found = _analysed_conflicts({
        "a": "Police found two people shot to death at the Corvale house.",
        "b": "The gunman killed four people at the Corvale house.",
    })
    assert _values(found) == [["two people", "four people"]]


def test_rounds_fired_and_rounds_a_gunman_was_armed_with_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "At the Corvale depot the gunman fired at least 70 rounds.",
        "b": "At the Corvale depot the gunman was armed with 1,300 rounds.",
    })
    assert found == [], _values(found)


def test_women_and_men_are_not_one_kind() -> None:
    found = _conflicts({
        "a": [("Medics took 2 women to the Corvale hospital.", ("2 women",))],
        "b": [("Medics took 3 men to the Corvale hospital.", ("3 men",))],
    })
    assert found == [], _values(found)


def test_the_people_present_and_the_people_shot_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "Police said 40 people were at the Corvale party when the shooting began.",
        "b": "Police said 4 people were shot at the Corvale party.",
    })
    assert found == [], _values(found)


# ---------------------------------------------------------------- bounds, spans of time, narrowed kinds (fuse.v24)

def test_a_lower_bound_is_no_conflict_with_a_value_above_it() -> None:
    found = _analysed_conflicts({
        "a": "At least 70 people were injured in the Tavrosk protests, the ministry said.",
        "b": "The Tavrosk protests injured 110 people, the ministry said.",
    })
    assert found == [], _values(found)


def test_a_value_below_a_lower_bound_stays_a_conflict() -> None:
    found = _analysed_conflicts({
        "a": "At least 70 people were injured in the Tavrosk protests, the ministry said.",
        "b": "The Tavrosk protests injured 30 people, the ministry said.",
    })
    assert _values(found) == [["70 people", "30 people"]]


def test_spans_of_time_of_different_things_are_no_conflict() -> None:
    # Undated pages: "eight days ago" is then a span of time, not a date.
    found = _analysed_conflicts({
        "a": "The student was shot by police in Tavrosk eight days ago, and the riots go on.",
        "b": "The government is reeling from four days of riots in Tavrosk.",
    }, published=None)
    assert found == [], _values(found)


def test_two_prison_terms_for_one_crime_stay_a_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The Tavrosk court sentenced Orlen Vask to 12 years in prison.",
        "b": "The Tavrosk court sentenced Orlen Vask to 10 years in prison.",
    })
    assert _values(found) == [["12 years", "10 years"]]


def test_counts_narrowed_by_different_words_are_no_conflict() -> None:
    found = _conflicts({
        "a": [("Of the 23 arrested pirates, 12 are from Somalia.", ("23 arrested pirates",))],
        "b": [("The navy holds 11 Yemeni pirates.", ("11 Yemeni pirates",))],
    })
    assert found == [], _values(found)


def test_counts_narrowed_by_the_same_word_stay_a_conflict() -> None:
    found = _conflicts({
        "a": [("Commandos seized 3 assault rifles.", ("3 assault rifles",))],
        "b": [("Commandos seized 2 assault rifles.", ("2 assault rifles",))],
    })
    assert _values(found) == [["3 assault rifles", "2 assault rifles"]]


def test_a_count_given_as_two_values_is_no_conflict_with_either() -> None:
    found = _analysed_conflicts({
        "a": "Three or four robbers stormed the Tavrosk jewellery store on Tuesday.",
        "b": "Four robbers stormed the Tavrosk jewellery store on Tuesday.",
        "c": "Between 20 to 30 people were inside the Tavrosk jewellery store on Tuesday.",
        "d": "The police said 25 people were inside the Tavrosk jewellery store on Tuesday.",
    })
    assert found == [], _values(found)


def test_counts_of_one_deed_by_different_named_doers_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "The Indian Navy captured 23 pirates in the Gulf of Tavrosk on Saturday.",
        "b": "Last month the Norlund Coast Guard had captured eight pirates in the Gulf of Tavrosk.",
    })
    assert found == [], _values(found)


def test_one_doer_named_in_full_and_in_part_stays_a_conflict() -> None:
    found = _analysed_conflicts({
        "a": "Orlen Vask killed four people at the Corvale depot, police said.",
        "b": "Vask killed three people at the Corvale depot, police said.",
    })
    assert _values(found) == [["four people", "three people"]]


def _related_conflicts(articles: dict[str, str]) -> list[Conflict]:
    """Like _analysed_conflicts, but each statement a fact of its own: the statements are only related."""
    return _analysed_conflicts(articles, one_fact=False)


def test_related_statements_of_different_deeds_are_no_conflict() -> None:
    found = _related_conflicts({
        "a": "The Kestrel forward finished the game with 20 points on Thursday night.",
        "b": "The Kestrel forward scored 23 points in the opening game of the season.",
    })
    assert found == [], _values(found)


def test_related_statements_counting_who_did_something_stay_a_conflict() -> None:
    found = _related_conflicts({
        "a": "Some 1,200 dockworkers walked off the job at the Port of Kestrelport.",
        "b": "About 1,500 dockworkers began a strike at the Port of Kestrelport.",
    })
    assert _values(found) == [["1,200 dockworkers", "1,500 dockworkers"]]


def test_counts_said_of_different_people_are_no_conflict() -> None:
    found = _analysed_conflicts({
        "a": "Tomas Lind had 16 points in the win on Thursday.",
        "b": "Erik Berg had 23 points in the win on Thursday.",
    })
    assert found == [], _values(found)
