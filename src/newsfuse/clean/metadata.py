"""Outlet and publication date of an article, with how each was found; year inference for datelines."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from newsfuse.clean.outlets import OutletRegistry, bare_host, load_registry, unwrap_archive
from newsfuse.text.calendar import MONTH_NUMBERS, iso_day, parse_iso_day, safe_date

__all__ = ["bare_host", "unwrap_archive"]  # re-exported: older callers import them from here

# Words that name a news organisation; a line or title segment without one is not taken for an outlet name
# (GVA audit: "Reader Comments", "Jacob David Trotter" were taken for mastheads without this check).
OUTLET_WORDS = frozenset(
    "news times post daily herald tribune journal broadcasting ledger gazette chronicle star courier press "
    "radio tv television network wire observer sun record register bulletin standard telegraph guardian mail "
    "express mirror weekly dispatch enquirer examiner monitor inquirer globe sentinel citizen eagle "
    "independent agency channel media newspaper online review leader reporter times-picayune".split()
)
# A title segment after " - " or " | " that is a station's call sign ("KCTV5", "WNEM TV 5").
CALL_SIGN = re.compile(r"^[KW][A-Z]{2,3}(?:-?(?:TV|FM|AM))?\s?\d{0,2}$")
# Outlet names are short: a longer title segment is part of the headline.
OUTLET_NAME_MAX_WORDS = 6
# Words that mark a line as a site widget even when it holds an outlet word ("Most watched news videos").
WIDGET_WORDS = frozenset("most watched popular trending latest comments comment videos related read share "
                         "subscribe sign top stories more".split())

# "Al Jazeera’s Tony Cheng, reporting from Bangkok" names the outlet that employs the reporter.
CORRESPONDENT = re.compile(
    r"\b((?:[A-Z][\w&.-]*\s){0,3}[A-Z][\w&.-]*)['’]s\s+(?:[A-Z][\w.'-]+\s){1,3}?[A-Z][\w.'-]+,\s+reporting\s+from\b"
)
URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")
YEAR_IN_TEXT = re.compile(r"\b(19[5-9]\d|20\d{2})\b")
# A headline left after taking an outlet suffix off must keep this many words, else the suffix stays.
TITLE_MIN_WORDS_LEFT = 3
# Segments after the site's name in a page title (place, tagline: "Charleston, SC", "News, Weather & Sports").
SITE_TAGLINE_MAX_WORDS = 8
# Network brands that name a station's site ("FOX5 Vegas", "NBC12", "CBS News 8").
NETWORK_BRAND = re.compile(r"^(fox|cbs|nbc|abc|cw|pbs|npr|wbns|news)[-\d]*(tv)?$")
# All-caps names this short are acronyms and stay as written; longer ones are shouted names.
ACRONYM_MAX_LETTERS = 4
# A partial date joins a batch date's year when it falls within this many days of it.
YEAR_FROM_BATCH_MAX_DAYS = 45


def outlet_name(raw: str, registry: OutletRegistry | None = None) -> str:
    """Display name for a host or short name ("www.tass.com" -> "TASS", "TBS" -> "TBS News"), from the registry."""
    registry = registry or load_registry()
    cleaned = raw.strip()
    if registry.knows(cleaned):
        return registry.lookup(cleaned).name  # type: ignore[union-attr]
    if cleaned.isupper():  # "/NORDWIRE/" datelines shout the name; acronyms and call signs stay (AFP, WWLTV, KGUN9-TV)
        return " ".join(_unshout(word) for word in cleaned.split())
    known = registry.lookup(cleaned)  # a subdomain of a registered host
    return known.name if known else cleaned


def _unshout(word: str) -> str:
    if len(word) <= ACRONYM_MAX_LETTERS or not word.isalpha() or CALL_SIGN.match(word):
        return word
    return word.title()


def outlet_from_url(url: str | None, registry: OutletRegistry | None = None) -> str | None:
    """The outlet a URL's host names: its display name when known, else the bare host."""
    host = bare_host(url)
    return outlet_name(host, registry) if host else None


def outlet_from_text(paragraphs: Iterable[str], signals: list[tuple[str, str]],
                     registry: OutletRegistry | None = None) -> tuple[str, str] | None:
    """(outlet, signal) from a title suffix, a masthead, a desk byline, a dateline agency or a correspondent line, in that order."""
    # The page's own title suffix and masthead name the page's outlet; a dateline agency may be a wire the page
    # reprints (a Coastline Times page under its masthead carrying "(Nordwire)" is Coastline Times's copy).
    for kind in ("title", "masthead", "byline", "dateline"):
        for signal, name in signals:
            if signal.startswith(kind + ":"):
                return outlet_name(name, registry), f"text:{signal}"
    counts: Counter[str] = Counter()
    for paragraph in paragraphs:
        for match in CORRESPONDENT.finditer(paragraph):
            counts[match.group(1).strip()] += 1
    if counts:
        name, _ = counts.most_common(1)[0]
        return outlet_name(name, registry), f"text:correspondent:{name}"
    return None


def is_outlet_name(text: str) -> bool:
    """True when a short line or title segment reads like a news organisation's name."""
    stripped = text.strip()
    words = re.findall(r"[\w&.-]+", stripped.lower())
    if not words or len(words) > OUTLET_NAME_MAX_WORDS or any(w in WIDGET_WORDS for w in words):
        return False
    if load_registry().knows(stripped) or CALL_SIGN.match(stripped):
        return True
    if any(CALL_SIGN.match(token) for token in re.findall(r"[\w&.-]+", stripped)):  # call signs are written in capitals
        return True
    return any(w in OUTLET_WORDS or NETWORK_BRAND.match(w) or re.fullmatch(r"[a-z0-9-]+\.(com|net|org|co\.uk|tv)", w) for w in words)


def split_title_suffix(title: str) -> tuple[str, str | None]:
    """(headline, outlet) for "Headline - Outlet Name" or "Headline | Outlet"; (title, None) otherwise."""
    parts = re.split(r"\s+[|–—-]\s+", title.strip())
    for i in range(1, len(parts)):
        tail = parts[i:]  # "Headline - WTVM.com-Columbus, GA News Weather & Sports": the site's name, then its tagline
        if is_outlet_name(parts[i]) and all(len(p.split()) <= SITE_TAGLINE_MAX_WORDS for p in tail):
            headline = " - ".join(parts[:i])
            if len(headline.split()) >= TITLE_MIN_WORDS_LEFT:
                return headline, parts[i]
            break
    return title, None


def iso_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date, datetime or date-like string, else None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        return iso_day(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    try:
        from dateutil import parser

        parsed = parser.parse(text, fuzzy=False, default=dt.datetime(1, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date().isoformat() if parsed.year > 1 else None


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    match = URL_DATE.search(unwrap_archive(url))
    return iso_day(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


# Time zone abbreviations a stamp may carry: world, North American, European (and summer), larger
# Asia-Pacific ones. A closed class: extend it, do not tune it.
TIME_ZONES = ("gmt|utc|bst|est|edt|cet|ist|et|pt|cst|cdt|ct|mst|mdt|mt|pst|pdt|akst|akdt|hst|cest|eet|eest|msk|"
              "aest|aedt|awst|jst|kst|hkt|sgt|pht|wib")
_ZONE_WORD = re.compile(rf"\(?\b(?:{TIME_ZONES})\b\)?", re.I)


# The label before a stamp's date: "Last modified:", "Posted on", a press release's "FOR IMMEDIATE RELEASE".
TIMESTAMP_LABEL = re.compile(
    r"^(last\s+(modified|updated)|updated|update|published|posted|(?:first|originally) published|created|"
    r"for immediate release)"
    r"\s*(on|at|@)?\s*:?\s*",
    re.I,
)


def date_from_timestamps(timestamps: list[str]) -> str | None:
    """The earliest full date in byline timestamp lines ("03 August, 2022, 12:25 pm")."""
    found = []
    for line in timestamps:
        line = re.sub(r"(?<=\d)\s*([:/])\s*(?=\d)", r"\1", line)  # detokenised "13: 42", "11 / 12 / 2007"
        text = TIMESTAMP_LABEL.sub("", line)
        # A time goes, with the colon or the dot British pages write for it ("08.33 BST"), never a date's dots.
        text = re.sub(r"(?<![\d.])\d{1,2}(?::\d{2}(:\d{2})?|\.\d{2}(?![.\d]))\s*([ap]\.?m\.?)?", "", text, flags=re.I)
        text = _ZONE_WORD.sub("", text)  # "12:06 AM EST": the zone is left once the time is gone
        value = iso_date(text.strip(" ,|·"))
        if value and YEAR_IN_TEXT.search(text):
            found.append(value)
    return min(found) if found else None


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) from "August 3" or "3 Aug."."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next((MONTH_NUMBERS[w.lower()] for w in words if w.lower() in MONTH_NUMBERS), None)
    day = next((int(w) for w in words if w.isdigit() and 1 <= int(w) <= 31), None)
    return (month, day) if month and day else None


def infer_year(month: int, day: int, batch_dates: Iterable[str], text: str) -> tuple[int, str] | None:
    """The year of a dateline that gives none: from the nearest batch date, else from the text's years.

    Batch dates are publication dates of other articles in the same batch or store; a dateline
    within YEAR_FROM_BATCH_MAX_DAYS of one takes its year. Otherwise the latest year the text
    names as past (not after "by", "until", "in the middle of", ...) is the best guess.
    """
    best: tuple[int, int] | None = None
    for value in batch_dates:
        ref = parse_iso_day(value)
        if ref is None:
            continue
        for year in (ref.year - 1, ref.year, ref.year + 1):
            candidate = safe_date(year, month, day)
            if candidate is None:
                continue
            distance = abs((candidate - ref).days)
            if distance <= YEAR_FROM_BATCH_MAX_DAYS and (best is None or distance < best[0]):
                best = (distance, year)
    if best is not None:
        return best[1], "dateline-year-from-batch"
    past_years = [
        int(m.group(1))
        for m in YEAR_IN_TEXT.finditer(text)
        if not re.search(r"(by|until|till|before|middle of|end of|mid-?|planned for|expected in|in early|in late)\s*$",
                         text[max(0, m.start() - 20): m.start()], re.I)
    ]
    this_year = dt.date.today().year
    past_years = [y for y in past_years if y <= this_year]
    if past_years:
        return max(past_years), "dateline-year-from-text"
    return None
