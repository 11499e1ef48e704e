"""Date expressions in one article, resolved against its publication date, with their precision."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from newsfuse.models import DateMention
from newsfuse.text import words
from newsfuse.text.calendar import (
    MONTH_NUMBERS, WEEKDAY_NUMBERS, Direction, iso_day, month_day_occurrence, month_occurrence, parse_iso_day,
    weekday_occurrence,
)

VERSION = "dates.v4"  # v3: a day name right before a date is that date's day; v4: lower-case "may" is never the month

SEASONS = {"spring": "03", "summer": "06", "autumn": "09", "fall": "09", "winter": "12"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
NUMBER_WORDS = {"a": 1, "an": 1, **words.NUMBER_WORDS}  # "a week ago"
# Words before a date that show it lies ahead of the publication date ("will end on Wednesday").
FUTURE_CUES = re.compile(r"\b(will|would|shall|to be|is to|are to|going to|plans? to|scheduled|expected|next|upcoming)\b", re.I)
# How far before a date expression a future cue counts, in characters (one clause).
FUTURE_WINDOW = 60
# In a clause about the past, a "Month Day" up to this many days after publication is still this
# year's (a report of an event fixed for next week, its verb in the past tense: "it was set for May 9").
PAST_SLACK_DAYS = 61
# A day name whose clause shows no tense: the last such day (news reports what happened) or the nearest.
WEEKDAY_UNDECIDED: Direction | None = None

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_REL_YEAR = r"(?P<rel>last|this|next|previous|past|coming)\s+year"
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

PATTERNS: list[tuple[str, str]] = [
    ("mdy", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    ("dmy", rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
    ("month_rel_year", rf"\b(?:(?:early|late|mid-?)\s*)?{_MONTH}\s+(?:of\s+)?{_REL_YEAR}\b"),
    ("my", rf"\b(?:(?:early|late|mid-?)\s*)?{_MONTH},?\s+(?:of\s+)?{_YEAR}\b"),
    ("mid_year", rf"\b(?:(?:the\s+)?(?:middle|mid-?point)\s+of\s+(?:the\s+year\s+)?|mid-){_YEAR}\b"),
    ("season_year", rf"\b(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}\b"),
    ("md", rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s+(?:19|20)\d\d)"),
    ("dm", rf"\b{_DAY}\s+{_MONTH}\b(?!,?\s+(?:19|20)\d\d)"),
    ("quarter", rf"\b(?:(?P<qrel>last|this|next|latest|current)\s+|{_YEAR}\s+)?(?:fiscal\s+)?"
                rf"(?P<ord>first|second|third|fourth)[-\s]quarter\b(?:\s+of\s+(?P<qyear>(?:19|20)\d\d)\b)?"),
    ("ago", r"\b(?P<num>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b"),
    ("rel_month_name", rf"\b(?P<rel>last|this|next)\s+{_MONTH}\b(?!\s+\d)"),
    ("rel_season", r"\b(?P<rel>last|this|next)\s+(?P<season>spring|summer|autumn|fall|winter)\b"),
    ("rel_year", rf"\b{_REL_YEAR}\b"),
    ("rel_month", r"\b(?P<rel>last|this|next)\s+month\b"),
    ("rel_week", r"\b(?P<rel>last|this|next)\s+week\b"),
    ("weekday", rf"\b(?:(?P<rel>last|next|this)\s+)?{_WEEKDAY}\b"),
    ("relday", r"\b(?P<relday>yesterday|today|tomorrow)\b"),
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<dnum>[0-3]\d)\b"),
    ("year", rf"\b(?:in|since|by|until|of|from|before|after|during|early|late|mid-?)\s+(?:the\s+year\s+)?{_YEAR}\b"),
    ("month", rf"\b(?:in|since|by|until|from|before|after|during|early|late|mid-)\s*{_MONTH}\b"),
    # A year on its own, last: not an amount ("$2000", "2,000", "2000 percent") or part of a longer number.
    ("bare_year", r"(?<![\d$£€.,])\b(?P<year>(?:19|20)\d\d)\b(?![\d%]|[.,/-]\d|\s*(?:percent|per cent)\b)"),
]
COMPILED = [(name, re.compile(pattern, re.I)) for name, pattern in PATTERNS]
# Words a pattern cannot match without (each group: one of its words at least), looked for in the text once
# (lower case) before the pattern scans it: the 21 case-insensitive scans of every article were ~2 CPU-s per
# 1,000 GVA articles, and a text with no "quarter" or "ago" need not be scanned for them. The same dates.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
_CENTURY = ("19", "20")
NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "mdy": (_MONTHS, _CENTURY), "dmy": (_MONTHS, _CENTURY), "month_rel_year": (_MONTHS, ("year",)),
    "my": (_MONTHS, _CENTURY), "mid_year": (("mid",), _CENTURY), "season_year": (_SEASONS, _CENTURY),
    "md": (_MONTHS,), "dm": (_MONTHS,), "quarter": (("quarter",),), "ago": (("ago",),),
    "rel_month_name": (_MONTHS,), "rel_season": (_SEASONS,), "rel_year": (("year",),), "rel_month": (("month",),),
    "rel_week": (("week",),), "weekday": (("day",),), "relday": (("day", "tomorrow"),), "iso": (_CENTURY,),
    "year": (_CENTURY,), "month": (_MONTHS,), "bare_year": (_CENTURY,),
}
# The non-ASCII letters that re.IGNORECASE matches to ASCII ones (Python's re docs), folded before lower().
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def find_dates(text: str, published: str | None, article_id: str = "",
               sentence_at: Callable[[int], int] | None = None,
               tense_at: Callable[[int], str | None] | None = None) -> list[DateMention]:
    """Every date expression in `text` that resolves to a calendar date, month, season or year.

    `tense_at(char)` may say whether the verb governing a date is "past" or "future" (from the parse);
    without it, or when it cannot tell, the words around the date decide.
    """
    anchor = parse_iso_day(published)
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    # Patterns run over the folded text (one letter for one, so spans hold): IGNORECASE lets "FRİDAY" match
    # "friday", and the resolvers' tables, looked up by lower(), must see the ASCII letter too.
    searchable = text.translate(_ASCII_FOLDS)
    folded = searchable.lower()
    for name, pattern in COMPILED:
        if not all(any(word in folded for word in group) for group in NEEDS[name]):
            continue
        for match in pattern.finditer(searchable):
            start, end = _expression_span(name, match)
            if any(s < end and start < e for s, e in taken):
                continue
            if name == "weekday" and _names_a_dated_day(searchable, end, taken):
                continue
            if _modal_may(match):
                continue
            tense = tense_at(start) if tense_at else None
            resolved = RESOLVERS[name](match, anchor, tense or _direction_from_words(text, start))
            if resolved is None:
                continue
            value, precision = resolved
            taken.append((start, end))
            sentence = sentence_at(start) if sentence_at else 0
            found.append(DateMention(article_id, text[start:end], start, end, value, precision, sentence))
    found.sort(key=lambda d: d.start)
    return found


def _modal_may(match: re.Match[str]) -> bool:
    """"may" written in lower case is the verb ("this may not be far", "next may"), never the month, in every
    pattern: news capitalises month names (an all-capitals "MAY" stays a month)."""
    return "month" in match.re.groupindex and match.group("month") == "may"


def _names_a_dated_day(text: str, end: int, taken: list[tuple[int, int]]) -> bool:
    """A day name right before a date already found ("Wednesday, May 4, 2011") is that date's own day,
    not a second date to resolve against the publication day."""
    gap = re.match(r",?\s{1,3}", text[end:])
    return gap is not None and any(s == end + gap.end() for s, _ in taken)


def _expression_span(name: str, match: re.Match[str]) -> tuple[int, int]:
    """Leave out a preposition the pattern needed as context ("in 2020" → "2020")."""
    start, end = match.span()
    if name in ("year", "month"):
        inner = match.group("year") if name == "year" else match.group("month")
        prefix = match.group(0)[: match.group(0).lower().find(inner.lower())]
        if prefix.strip().lower().rstrip("-") in ("early", "late", "mid"):
            return start, end
        return match.start("year" if name == "year" else "month"), end
    return start, end


PAST_CUES = re.compile(r"\b(said|was|were|did|had|has|have|\w+ed)\b", re.I)


def _direction_from_words(text: str, start: int) -> Direction | None:
    """"future" or "past" when the words of the clause around the date show it, else None.

    The words before the date decide when they show a tense ("will end on Wednesday", "said on Monday");
    otherwise the rest of the clause after it ("From July 1, citizens will ...").
    """
    before = re.split(r"[.;!?]\s", text[max(0, start - FUTURE_WINDOW):start])[-1]
    if FUTURE_CUES.search(before):
        return "future"
    if PAST_CUES.search(before):
        return "past"
    after = re.split(r"[.;!?](?:\s|$)", text[start:start + FUTURE_WINDOW])[0]
    if FUTURE_CUES.search(after):
        return "future"
    if PAST_CUES.search(after):
        return "past"
    return None


def _month(match: re.Match[str]) -> int:
    return MONTH_NUMBERS[match.group("month").lower()[:3]]


Resolved = tuple[str, str] | None


def _mdy(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    value = iso_day(int(m.group("year")), _month(m), int(m.group("day")))
    return (value, "day") if value else None


def _md(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    # Without a year, news means the nearest such day on the side the clause's tense says.
    value = month_day_occurrence(anchor, _month(m), int(m.group("day")), direction,
                                 PAST_SLACK_DAYS if direction == "past" else 0)
    return (value.isoformat(), "day") if value else None


def _my(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    return f"{int(m.group('year')):04d}-{_month(m):02d}", "month"


def _rel_offset(rel: str) -> int:
    return {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[rel.lower()]


def _month_rel_year(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    return f"{anchor.year + _rel_offset(m.group('rel')):04d}-{_month(m):02d}", "month"


def _mid_year(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    return m.group("year"), "mid-year"


def _season_year(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    return f"{m.group('year')}-{SEASONS[m.group('season').lower()]}", "season"


def _rel_year(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    return f"{anchor.year + _rel_offset(m.group('rel')):04d}", "year"


def _rel_month(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    index = anchor.year * 12 + anchor.month - 1 + _rel_offset(m.group("rel"))
    return f"{index // 12:04d}-{index % 12 + 1:02d}", "month"


def _rel_week(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    year, week, _ = (anchor + dt.timedelta(weeks=_rel_offset(m.group("rel")))).isocalendar()
    return f"{year:04d}-W{week:02d}", "week"


def _weekday(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    target = WEEKDAY_NUMBERS[m.group("weekday").lower()]
    rel = (m.group("rel") or "").lower()
    if rel in ("last", "next"):
        day = weekday_occurrence(anchor, target, "past" if rel == "last" else "future", include_anchor=False)
    else:  # "on Wednesday" in a Wednesday paper is the publication day itself
        day = weekday_occurrence(anchor, target, direction or WEEKDAY_UNDECIDED)
    return day.isoformat(), "day"


def _relday(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    delta = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group("relday").lower()]
    return (anchor + dt.timedelta(days=delta)).isoformat(), "day"


def _iso(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    value = iso_day(int(m.group("year")), int(m.group("mnum")), int(m.group("dnum")))
    return (value, "day") if value else None


def _year(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    return m.group("year"), "year"


def _month_only(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None or m.group("month").lower() == "may":
        return None  # "may" is far more often the verb
    year, month = month_occurrence(anchor, _month(m), direction)
    return f"{year:04d}-{month:02d}", "month"


def _quarter(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    quarter = ORDINALS[m.group("ord").lower()]
    year_given = m.group("year") or m.group("qyear")
    if year_given:
        return f"{year_given}-Q{quarter}", "quarter"
    if anchor is None:
        return None
    rel = (m.group("qrel") or "").lower()
    # Business news reports the latest quarter of that name that has begun ("third-quarter profit").
    year = anchor.year if (quarter - 1) * 3 + 1 <= anchor.month else anchor.year - 1
    year += {"last": -1, "next": 1}.get(rel, 0)
    return f"{year:04d}-Q{quarter}", "quarter"


def _ago(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    raw = m.group("num").lower()
    count = NUMBER_WORDS[raw] if raw in NUMBER_WORDS else int(raw)
    unit = m.group("unit").lower()
    if unit == "year":
        return f"{anchor.year - count:04d}", "year"
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 - count
        return f"{index // 12:04d}-{index % 12 + 1:02d}", "month"
    if unit == "week":
        year, week, _ = (anchor - dt.timedelta(weeks=count)).isocalendar()
        return f"{year:04d}-W{week:02d}", "week"
    return (anchor - dt.timedelta(days=count)).isoformat(), "day"


def _rel_month_name(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    month, rel = _month(m), m.group("rel").lower()
    year = anchor.year
    if rel == "last" and month >= anchor.month:
        year -= 1
    elif rel == "next" and month <= anchor.month:
        year += 1
    return f"{year:04d}-{month:02d}", "month"


def _rel_season(m: re.Match[str], anchor: dt.date | None, direction: Direction | None) -> Resolved:
    if anchor is None:
        return None
    month, rel = int(SEASONS[m.group("season").lower()]), m.group("rel").lower()
    year = anchor.year
    if rel == "last" and month >= anchor.month:
        year -= 1
    elif rel == "next" and month <= anchor.month:
        year += 1
    return f"{year:04d}-{month:02d}", "season"


RESOLVERS: dict[str, Callable[[re.Match[str], dt.date | None, Direction | None], Resolved]] = {
    "mdy": _mdy, "dmy": _mdy, "my": _my, "month_rel_year": _month_rel_year, "mid_year": _mid_year,
    "season_year": _season_year, "md": _md, "dm": _md, "rel_year": _rel_year, "rel_month": _rel_month,
    "rel_week": _rel_week, "weekday": _weekday, "relday": _relday, "iso": _iso, "year": _year,
    "month": _month_only, "quarter": _quarter, "ago": _ago, "rel_month_name": _rel_month_name,
    "rel_season": _rel_season, "bare_year": _year,
}
