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


def month_day_occurrence(anchor: dt.date, month: int, day: int, direction: Direction | None,
                         slack_days: int = 0) -> dt.date | None:
    """The occurrence of "Month Day" (no year given) that the text means, seen from `anchor`.

    Of last year's, this year's and next year's: `past` takes the latest no later than `slack_days`
    after the anchor (reports look back, but a payment date a few weeks ahead in a past-tense clause
    is still ahead); `future` the earliest no earlier than `slack_days` before it; None (the text
    does not say) the one nearest the anchor. None when the day does not exist in the anchor's year
    (February 30).
    """
    if safe_date(anchor.year, month, day) is None:
        return None
    candidates = [d for d in (safe_date(anchor.year + k, month, day) for k in (-1, 0, 1)) if d is not None]
    if direction == "past":
        return max((d for d in candidates if d <= anchor + dt.timedelta(days=slack_days)), default=None)
    if direction == "future":
        return min((d for d in candidates if d >= anchor - dt.timedelta(days=slack_days)), default=None)
    return min(candidates, key=lambda d: (abs((d - anchor).days), d > anchor))


def month_occurrence(anchor: dt.date, month: int, direction: Direction | None) -> tuple[int, int]:
    """(year, month) of a month named without a year: this year's, or the nearest one on the side the
    text says (`past`: not after the anchor's month; `future`: not before it; None: the nearest)."""
    if direction == "future" and month < anchor.month:
        return anchor.year + 1, month
    if direction == "past" and month > anchor.month:
        return anchor.year - 1, month
    if direction is None and abs(month - anchor.month) > 6:
        return (anchor.year - 1 if month > anchor.month else anchor.year + 1), month
    return anchor.year, month


def weekday_occurrence(anchor: dt.date, weekday: int, direction: Direction | None,
                       include_anchor: bool = True) -> dt.date:
    """The nearest day named `weekday` (0 = Monday) on the `direction` side of `anchor` (None: either side,
    the past on a tie).

    With `include_anchor` the anchor itself counts when it is that weekday ("on Wednesday" in a
    Wednesday paper is that day); without it the search starts a day away ("last Wednesday").
    """
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if not include_anchor:
        back, ahead = back or 7, ahead or 7
    if direction == "past" or (direction is None and back <= ahead):
        return anchor - dt.timedelta(days=back)
    return anchor + dt.timedelta(days=ahead)
