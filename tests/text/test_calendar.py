"""The shared calendar: month and weekday names, and a day without a year resolved against a date."""

from __future__ import annotations

import datetime as dt

import pytest

from newsfuse.text.calendar import iso_day, month_day_occurrence, month_number, parse_iso_day, weekday_occurrence

WEDNESDAY = dt.date(2022, 8, 3)


@pytest.mark.parametrize("word, number", [("August", 8), ("aug.", 8), ("Sept.", 9), ("sep", 9), ("may", 5)])
def test_month_spellings(word: str, number: int) -> None:
    assert month_number(word) == number


def test_not_a_month() -> None:
    assert month_number("mayor") is None


@pytest.mark.parametrize("value, expected", [
    ("2022-08-03", dt.date(2022, 8, 3)), ("2022-08-03T10:15:00Z", dt.date(2022, 8, 3)), ("August 3", None), (None, None),
])
def test_parse_iso_day(value: str | None, expected: dt.date | None) -> None:
    assert parse_iso_day(value) == expected


def test_iso_day_refuses_impossible_dates() -> None:
    assert iso_day(2022, 2, 30) is None
    assert iso_day(2024, 2, 29) == "2024-02-29"


def test_weekday_in_the_past_is_the_last_one_including_today() -> None:
    assert weekday_occurrence(WEDNESDAY, 2, "past") == WEDNESDAY
    assert weekday_occurrence(WEDNESDAY, 0, "past") == dt.date(2022, 8, 1)
    assert weekday_occurrence(WEDNESDAY, 2, "past", include_anchor=False) == dt.date(2022, 7, 27)


def test_weekday_ahead() -> None:
    assert weekday_occurrence(WEDNESDAY, 3, "future") == dt.date(2022, 8, 4)
    assert weekday_occurrence(WEDNESDAY, 2, "future", include_anchor=False) == dt.date(2022, 8, 10)


def test_month_day_looks_back_a_year_when_it_would_lie_ahead() -> None:
    assert month_day_occurrence(WEDNESDAY, 12, 25, "past") == dt.date(2021, 12, 25)
    assert month_day_occurrence(WEDNESDAY, 8, 1, "past") == dt.date(2022, 8, 1)


def test_month_day_slack_keeps_a_near_future_day_in_this_year() -> None:
    assert month_day_occurrence(WEDNESDAY, 8, 9, "past", slack_days=7) == dt.date(2022, 8, 9)
    assert month_day_occurrence(WEDNESDAY, 8, 11, "past", slack_days=7) == dt.date(2021, 8, 11)


def test_month_day_ahead_moves_to_next_year_once_passed() -> None:
    assert month_day_occurrence(WEDNESDAY, 1, 10, "future") == dt.date(2023, 1, 10)
    assert month_day_occurrence(WEDNESDAY, 9, 1, "future") == dt.date(2022, 9, 1)


def test_month_day_that_does_not_exist() -> None:
    assert month_day_occurrence(WEDNESDAY, 2, 30, "past") is None
