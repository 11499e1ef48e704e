"""Dates resolved against the publication date, and amounts with unit, currency and what they count."""

from __future__ import annotations

import pytest

from newsfuse.analyse.dates import find_dates


def _resolved(analysis, text):  # type: ignore[no-untyped-def]
    return [(d.value, d.precision) for d in analysis.dates if d.text == text]


@pytest.mark.seed
@pytest.mark.parametrize("outlet, text, value, precision", [
    ("TBS News", "Wednesday", "2022-08-03", "day"),
    ("TBS News", "Tuesday", "2022-08-02", "day"),
    ("TBS News", "February of last year", "2021-02", "month"),
    ("TBS News", "last year", "2021", "year"),
    ("TASS", "the middle of 2023", "2023", "mid-year"),
    ("TASS", "February 1, 2021", "2021-02-01", "day"),
    ("Al Jazeera", "February last year", "2021-02", "month"),
])
def test_seed_dates(seed_analyses, outlet, text, value, precision):  # type: ignore[no-untyped-def]
    assert (value, precision) in _resolved(seed_analyses[outlet], text)


@pytest.mark.seed
def test_date_spans_point_into_the_text(seed_articles, seed_analyses):  # type: ignore[no-untyped-def]
    for outlet, analysis in seed_analyses.items():
        for d in analysis.dates:
            assert seed_articles[outlet].text[d.start:d.end] == d.text


# Published on Wednesday 2022-08-03.
DATE_FORMS = [
    ("He arrived on Wednesday.", "Wednesday", "2022-08-03", "day"),
    ("The talks were held on Monday.", "Monday", "2022-08-01", "day"),
    ("The talks will be held on Friday.", "Friday", "2022-08-05", "day"),
    ("It happened last Wednesday.", "last Wednesday", "2022-07-27", "day"),
    ("They met yesterday.", "yesterday", "2022-08-02", "day"),
    ("It was signed on 3 August 2022.", "3 August 2022", "2022-08-03", "day"),
    ("It was signed on Aug. 1, 2022.", "Aug. 1, 2022", "2022-08-01", "day"),
    ("It was signed on July 28.", "July 28", "2022-07-28", "day"),
    ("The vote is on 2022-09-11.", "2022-09-11", "2022-09-11", "day"),
    ("The coup came in February 2021.", "February 2021", "2021-02", "month"),
    ("The coup came in early February 2021.", "early February 2021", "2021-02", "month"),
    ("It took power in February of last year.", "February of last year", "2021-02", "month"),
    ("Prices rose in March.", "March", "2022-03", "month"),
    ("Prices rose last month.", "last month", "2022-07", "month"),
    ("Elections are due in the middle of 2023.", "the middle of 2023", "2023", "mid-year"),
    ("Elections are due by mid-2023.", "mid-2023", "2023", "mid-year"),
    ("Trade grew last year.", "last year", "2021", "year"),
    ("Trade will grow next year.", "next year", "2023", "year"),
    ("Trade fell in 2020.", "2020", "2020", "year"),
    ("It rained in the summer of 2021.", "the summer of 2021", "2021-06", "season"),
    ("The summit is this week.", "this week", "2022-W31", "week"),
]


@pytest.mark.parametrize("text, surface, value, precision", DATE_FORMS)
def test_date_forms(text, surface, value, precision):  # type: ignore[no-untyped-def]
    found = [(d.text, d.value, d.precision) for d in find_dates(text, "2022-08-03")]
    assert found == [(surface, value, precision)]


def test_dates_need_a_publication_date_to_be_relative():  # type: ignore[no-untyped-def]
    assert find_dates("They met on Wednesday.", None) == []
    assert [d.value for d in find_dates("On February 1, 2021, it began.", None)] == ["2021-02-01"]


def test_may_the_verb_is_not_a_month():  # type: ignore[no-untyped-def]
    assert find_dates("Prices may rise in may.", "2022-08-03") == []


@pytest.mark.parametrize("text", [
    "In fact, this may not be far from what the board wants.",
    "The vote next may go either way.",
    "Whoever wins last may 5 points behind.",
])
def test_may_the_verb_after_this_next_or_last_is_not_a_month(text):  # type: ignore[no-untyped-def]
    # "this may not be far ..." was read as "this May": a 2007-05 timeline row for a November statement.
    assert find_dates(text, "2007-11-12") == []


def test_may_the_month_stays_a_month():  # type: ignore[no-untyped-def]
    found = find_dates("The plant closed last May and the council met on MAY 5.", "2007-11-12")
    assert [(d.text, d.value) for d in found] == [("last May", "2007-05"), ("MAY 5", "2007-05-05")]


# ---------------------------------------------------------------- amounts

@pytest.mark.seed
def test_trade_turnover_in_tass(seed_analyses):  # type: ignore[no-untyped-def]
    money = [a for a in seed_analyses["TASS"].amounts if a.currency == "USD"]
    assert [(a.text, a.value) for a in money] == [("$431.6 mln", 431.6e6)]


@pytest.mark.seed
def test_percentage_in_tass(seed_analyses):  # type: ignore[no-untyped-def]
    assert [(a.value, a.unit) for a in seed_analyses["TASS"].amounts if a.unit == "%"] == [(16.5, "%")]


@pytest.mark.seed
def test_four_political_prisoners(seed_analyses):  # type: ignore[no-untyped-def]
    found = [a for a in seed_analyses["Al Jazeera"].amounts if a.counts == "political prisoners"]
    assert [(a.value, a.unit) for a in found] == [(4, "people")]


AMOUNT_FORMS = [
    ("The deal is worth $2.5 billion.", 2.5e9, "USD", None),
    ("The fine was €300,000.", 300_000, "EUR", None),
    ("Sales reached 40 million euros.", 40e6, "EUR", None),
    ("Unemployment fell to 4.2 percent.", 4.2, "%", None),
    ("Police arrested 12 protesters.", 12, "people", "protesters"),
]


@pytest.mark.parametrize("text, value, unit, counts", AMOUNT_FORMS)
def test_amount_forms(analyse_text, text, value, unit, counts):  # type: ignore[no-untyped-def]
    found = [(a.value, a.unit, a.counts) for a in analyse_text(text).amounts]
    assert found == [(value, unit, counts)]


WHAT_IS_COUNTED = [
    ("Police arrested 12 protesters in Corvale.", ("arrest", "object", None)),
    ("Nine people died in the blast.", ("die", "subject", None)),
    ("The blast left 5 people dead.", ("dead", "complement", None)),
    ("Rescuers treated 40 people injured in the blast.", ("injure", "modifier", None)),
    ("The laptop has 8 GB of memory.", (None, None, "memory")),
    ("The ferry sank 12 miles from Tavrosk.", (None, None, "tavrosk")),
    ("The quake struck at a depth of 10 km.", ("depth", "modifier", "depth")),
    ("Rescuers found the bodies of 12 people.", ("body", "modifier", "body")),
    ("The new screen shows 220 pixels per inch.", ("show", "object", "per inch")),
    ("Police said 10 people were in the house.", ("be", "complement", None)),
    ("They found two people shot to death.", ("fatally shoot", "subject", None)),
    ("Three people were shot and killed.", ("kill", "object", None)),
]


@pytest.mark.parametrize("text, expected", WHAT_IS_COUNTED)
def test_a_count_records_what_it_counts(analyse_text, text, expected):  # type: ignore[no-untyped-def]
    found = [(a.predicate, a.predicate_role, a.measures) for a in analyse_text(text).amounts]
    assert found == [expected]


def test_years_are_dates_not_amounts(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text("Trade fell in 2020 and rose by 5% in 2021.")
    assert [a.value for a in analysis.amounts] == [5]


def test_present_tense_with_a_day_name_is_the_schedule_ahead(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text("The minister leaves on Thursday.", published="2025-03-12")
    assert [(d.text, d.value) for d in analysis.dates] == [("Thursday", "2025-03-13")]


def test_clock_times_and_names_with_numbers_are_not_counts(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text("Pickets gathered at Container Terminal 2 at 6 am.")
    assert analysis.amounts == ()


# A day or month without a year: the occurrence nearest the publication date on the side the clause's
# tense says; when the parse cannot tell, the nearest one (issue 10: "April 22" in a 2025 article).
TENSE_CASES = [
    ("The hearing is set for April 22.", "2025-04-10", "April 22", "2025-04-22"),
    ("On Thursday he is expected to sign the bill.", "2022-08-03", "Thursday", "2022-08-04"),
    ("The summit, scheduled for Dec. 10, was postponed.", "2025-11-03", "Dec. 10", "2025-12-10"),
    ("The company declared a dividend payable Jan. 2 to holders of record.", "2025-11-03", "Jan. 2", "2026-01-02"),
    ("Under the terms, announced Friday, holders would receive $5.", "2025-11-03", "Friday", "2025-10-31"),
    ("Its shares began trading in August.", "2025-11-03", "August", "2025-08"),
    ("Voters go to the polls in February.", "2025-11-03", "February", "2026-02"),
    ("The strike began on Monday.", "2025-11-05", "Monday", "2025-11-03"),
]


@pytest.mark.parametrize("text, published, surface, value", TENSE_CASES)
def test_tense_picks_the_occurrence(analyse_text, text, published, surface, value):  # type: ignore[no-untyped-def]
    assert [(d.text, d.value) for d in analyse_text(text, published=published).dates] == [(surface, value)]


# Published on Monday 2025-11-03.
MORE_FORMS = [
    ("Third-quarter profit rose 5%.", "Third-quarter", "2025-Q3", "quarter"),
    ("It lost money in the fourth quarter of 2024.", "fourth quarter of 2024", "2024-Q4", "quarter"),
    ("The plant closed two years ago.", "two years ago", "2023", "year"),
    ("It opened three weeks ago.", "three weeks ago", "2025-W42", "week"),
    ("Sales rose last April.", "last April", "2025-04", "month"),
    ("Sales fell last December.", "last December", "2024-12", "month"),
    ("Talks resume next January.", "next January", "2026-01", "month"),
    ("It was built last summer.", "last summer", "2025-06", "season"),
    ("The 1998 merger was the largest.", "1998", "1998", "year"),
]


@pytest.mark.parametrize("text, surface, value, precision", MORE_FORMS)
def test_quarters_ago_and_named_months(text, surface, value, precision):  # type: ignore[no-untyped-def]
    assert [(d.text, d.value, d.precision) for d in find_dates(text, "2025-11-03")] == [(surface, value, precision)]


@pytest.mark.parametrize("text", ["It cost $2000.", "It cut 2,000 jobs.", "Output rose 2000 percent.", "Call 2025-1234."])
def test_amounts_are_not_bare_years(text):  # type: ignore[no-untyped-def]
    assert [d.text for d in find_dates(text, "2025-11-03") if d.precision == "year"] == []


DATE_TEXTS = [
    "In the first quarter of 2019, sales rose. Two weeks ago on Friday, the spring 2018 fair; mid-2017; last month; "
    "this WEEK; TOMORROW; 2020-03-04; since 1999; early MARCH; Dec. 5, 2019; 5 June 2018; last summer; next year.",
    "The middle of the year 2016, the fall of 2015, 3 days ago, this coming year, June of last year, next June, "
    "Sept. 30, 30 September, yesterday, today, the latest second quarter, 2014 third quarter, in \u212aansas since 2001.",
]


def test_a_pattern_matches_only_where_the_words_it_needs_are(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsfuse.analyse import dates

    assert set(dates.NEEDS) == {name for name, _ in dates.PATTERNS}
    for text in DATE_TEXTS:
        for name, pattern in dates.COMPILED:
            for match in pattern.finditer(text):
                folded = match.group(0).translate(dates._ASCII_FOLDS).lower()
                assert all(any(word in folded for word in group) for group in dates.NEEDS[name]), (name, match.group(0))
    found = [dates.find_dates(text, "2019-05-01") for text in DATE_TEXTS]
    assert len({d.value for d in found[0]}) >= 12
    monkeypatch.setattr(dates, "NEEDS", {name: () for name in dates.NEEDS})  # every pattern scans every text
    assert [dates.find_dates(text, "2019-05-01") for text in DATE_TEXTS] == found



@pytest.mark.parametrize("text, plain", [
    ("The vote was on FR\u0130DAY, officials said.", "The vote was on FRIDAY, officials said."),
    ("Work began in the \u017fpring of 2018.", "Work began in the spring of 2018."),
])
def test_letters_that_ignorecase_folds_resolve_as_their_ascii_spelling(text, plain) -> None:  # type: ignore[no-untyped-def]
    # "İ" and "ſ" match "i" and "s" under IGNORECASE; the resolvers' tables must see them folded too.
    found, expected = find_dates(text, "2019-05-01"), find_dates(plain, "2019-05-01")
    assert expected and [(d.start, d.end, d.value, d.precision) for d in found] == [
        (d.start, d.end, d.value, d.precision) for d in expected]
    assert all(text[d.start:d.end] == d.text for d in found)


@pytest.mark.parametrize("text, surface, value", [
    ("The council first met on Wednesday, May 4, 2011, its minutes say.", "May 4, 2011", "2011-05-04"),
    ("The vote was held Tuesday Feb. 19, 2013 in the town hall.", "Feb. 19, 2013", "2013-02-19"),
    ("The fair opens Saturday, June 4.", "June 4", "2022-06-04"),
])
def test_a_day_name_before_a_date_is_that_dates_day_not_a_second_date(text, surface, value):  # type: ignore[no-untyped-def]
    # Resolved on its own against the publication day, the day name gave a second, wrong timeline row.
    assert [(d.text, d.value) for d in find_dates(text, "2022-08-03")] == [(surface, value)]


def test_a_day_name_apart_from_a_date_is_still_a_date():  # type: ignore[no-untyped-def]
    found = [d.text for d in find_dates("He was held on Monday and charged on July 30.", "2022-08-03")]
    assert found == ["Monday", "July 30"]
