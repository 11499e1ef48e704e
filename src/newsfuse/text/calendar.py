"""Calendar tables and the resolution of a day or month without a year against a reference date."""

from __future__ import annotations

import datetime as dt
from typing import Literal

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Every spelling of a month that news text uses, lower-case and without the abbreviation's dot.
MONTH_NUMBERS: dict[str, int] = {name: i for i, name in enumerate(MONTH_NAMES, 1)}
MONTH_NUMBERS.update({name[:3]: i for i, name in enumerate(MONTH_NAMES, 1)})
MONTH_NUMBERS["sept"] = 9
WEEKDAY_NUMBERS: dict[str, int] = {name: i for i, name in enumerate(WEEKDAY_NAMES)}

# Regex alternations (no groups), longest spellings first so that "june" is not matched as "jun".
MONTH_ALTERNATION = "|".join(sorted(MONTH_NUMBERS, key=lambda m: (-len(m), m)))
WEEKDAY_ALTERNATION = "|".join(WEEKDAY_NAMES)
WEEKDAY_SHORT_ALTERNATION = "|".join(d[:3] for d in WEEKDAY_NAMES)

Direction = Literal["past", "future"]


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation ("Sept.", "august"), else None."""
    return MONTH_NUMBERS.get(word.lower().rstrip("."))


def parse_iso_day(value: str | None) -> dt.date | None:
    """The date of an ISO date or timestamp string ("2022-08-03", "2022-08-03T10:00"), else None."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (February 30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def iso_day(year: int, month: int, day: int) -> str | None:
    """"YYYY-MM-DD", or None when the date does not exist."""
    value = safe_date(year, month, day)
    return value.isoformat() if value else None


def month_day_occurrence(anchor: dt.date, month: int, day: int, direction: Direction,
                         slack_days: int = 0) -> dt.date | None:
    """The occurrence of "Month Day" (no year given) that the text means, seen from `anchor`.

    `past`: this year's, unless it lies more than `slack_days` after the anchor, then last year's
    (reports look back, but a date a few days ahead is usually this year's). `future`: this year's,
    unless it lies more than `slack_days` before the anchor, then next year's. None when the day does
    not exist in the anchor's year (February 30) or in the year chosen.
    """
    this_year = safe_date(anchor.year, month, day)
    if this_year is None:
        return None
    if direction == "past" and this_year > anchor + dt.timedelta(days=slack_days):
        return safe_date(anchor.year - 1, month, day)
    if direction == "future" and this_year < anchor - dt.timedelta(days=slack_days):
        return safe_date(anchor.year + 1, month, day)
    return this_year


def weekday_occurrence(anchor: dt.date, weekday: int, direction: Direction, include_anchor: bool = True) -> dt.date:
    """The nearest day named `weekday` (0 = Monday) on the `direction` side of `anchor`.

    With `include_anchor` the anchor itself counts when it is that weekday ("on Wednesday" in a
    Wednesday paper is that day); without it the search starts a day away ("last Wednesday").
    """
    if direction == "past":
        back = (anchor.weekday() - weekday) % 7
        if back == 0 and not include_anchor:
            back = 7
        return anchor - dt.timedelta(days=back)
    ahead = (weekday - anchor.weekday()) % 7
    if ahead == 0 and not include_anchor:
        ahead = 7
    return anchor + dt.timedelta(days=ahead)
