"""Line-level boilerplate removal: navigation, bylines, timestamps, repeats, captions, teasers, datelines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsfuse.models import Removal

# Navigation and widget residue that scrapers keep; matched against a whole line, case-insensitively.
NAVIGATION = {
    "all news", "news", "home", "menu", "search", "share", "share this", "share this article",
    "share on facebook", "share on twitter", "tweet", "email", "print", "read more", "read also",
    "see also", "related", "related news", "related articles", "related stories", "advertisement",
    "sponsored", "subscribe", "sign up", "sign in", "log in", "skip to content", "skip to main content",
    "most read", "most popular", "latest", "latest news", "top stories", "trending", "follow us",
    "comments", "show comments", "back to top", "next article", "previous article", "more on this story",
    "listen to this article", "watch", "video", "photo", "photos", "gallery", "copy link", "facebook",
    "twitter", "whatsapp", "linkedin", "telegram", "keep reading", "continue reading", "loading",
}

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun"

# A line made only of date/time words once labels like "Last modified:" are taken off.
TIMESTAMP_LABEL = re.compile(
    r"^(last\s+(modified|updated)|updated|published|posted|first published|created)\s*(on|at)?\s*:?\s*", re.I
)
TIMESTAMP_TOKEN = re.compile(
    rf"^(\d{{1,4}}|{MONTHS}|{WEEKDAYS}|am|pm|a\.m\.|p\.m\.|gmt|utc|bst|est|edt|cet|ist|et|pt|"
    rf"\d{{1,2}}:\d{{2}}(:\d{{2}})?|\d{{4}}-\d{{2}}-\d{{2}}(t[\d:.+z-]+)?|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|"
    rf"\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|at|on|last|modified|updated|published|posted|[|,.·•–-])$",
    re.I,
)

# "By Jane Doe", "By Jane Doe and John Roe", "Harbor Daily Report", "AFP Staff", "Online Desk".
BYLINE_BY = re.compile(r"^by\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)\s*$", re.I)
BYLINE_DESK = re.compile(r"^((?:[A-Z][\w&.'’-]*\s+){0,3}[A-Z][\w&.'’-]*)\s+((?i:report|desk|staff|correspondent|online|newsroom|staff writer|news desk|reporters?))$")

# Photo credits: "REUTERS/Jane Doe/Pool/Files", "AP Photo/John Roe", "(Photo: Getty Images)".
PHOTO_CREDIT = re.compile(
    r"(\b[A-Z][A-Za-z]+(?: Photo)?/[A-Z][\w .'’-]+(?:/[A-Za-z]+)*\.?\s*$)|"
    r"(^\(?(photo|image|picture|file photo|photograph)(\s+credit)?\s*:)|"
    r"(\((photo|image)[^)]*\)\s*$)|"
    r"(\b(Getty Images|Shutterstock|AFP via Getty Images)\.?\s*$)",
    re.I,
)

# "NAYPYIDAW, August 3. /TASS/.", "LONDON, Nov 3 (Reuters) -", "WASHINGTON (AP) —", "PARIS, March 4 —".
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’ -]{{1,40}}[A-Z.])"
    rf"(?:\s*,\s*(?P<date>(?i:{MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?i:{MONTHS})\.?)(?:\s*,\s*(?P<year>\d{{4}}))?)?"
    r"\s*(?:\.\s*/(?P<agency1>[A-Z][A-Za-z-]{1,15})/\s*\.?|\((?P<agency2>[A-Z][\w .-]{0,20})\)\s*[-—–:]?|(?P<dash>[-—–]))\s+"
)

# "Home > World > Asia", "News | Kestrelport | Crime": a trail of short segments.
BREADCRUMB_SEPARATOR = re.compile(r"\s+(?:>|›|»|\||/)\s+")
BREADCRUMB_MAX_SEGMENT_WORDS = 3

# Whole lines that are page furniture rather than article text, each with the reason logged.
FURNITURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("credits", re.compile(r"^\(?(reporting|additional reporting|writing|editing|compiled) by\b.*\)?$", re.I)),
    ("copyright", re.compile(r"^(copyright\b|©|\(c\)\s*\d{4}).{0,160}$|all rights reserved\.?$", re.I)),
    ("related-link", re.compile(r"^(also read|read also|read more|related|see also|more|watch|listen|recommended)\s*[:|»>-]\s*\S", re.I)),
    ("promo", re.compile(r"^(sign up|subscribe|follow (us|\w+) on|click here|download (our|the) app|get our|join our|"
                         r"support our journalism|we use cookies|this (article|story) (was|has been) (updated|amended))\b", re.I)),
    ("caption", re.compile(r"^(image source|image caption|media caption|photo source|getty images)\s*[,:]", re.I)),
)
# A furniture pattern only removes short lines: a long line that starts "Read more" is article text.
FURNITURE_MAX_CHARS = 220
# Outlet names on a line of their own: "Coastline Times", "Valtoria Broadcasting".
MASTHEAD_MIN_WORDS = 2
MASTHEAD_MAX_WORDS = 4
# A subheading: a short line between body paragraphs that does not end a sentence.
HEADING_MAX_WORDS = 8
# A title line is short and does not end like a sentence.
TITLE_MAX_WORDS = 25
# Teasers shorter than this are too short to call truncated copies with confidence.
TEASER_MIN_CHARS = 40
# A teaser opens like the full paragraph and shares nearly all its words with it (TASS-style leads
# shorten the middle of the sentence, so a plain prefix test misses them).
TEASER_OPENING_WORDS = 5
TEASER_CONTAINMENT = 0.9
SENTENCE_END = re.compile(r"[.!?…:;\"”’»)\]]\s*$")


@dataclass
class Lines:
    """The working state: remaining lines with their original positions, and what was removed."""

    items: list[tuple[int, str]]
    removals: list[Removal] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    timestamps: list[str] = field(default_factory=list)
    outlet_signals: list[tuple[str, str]] = field(default_factory=list)  # (signal, outlet name)
    captions: set[int] = field(default_factory=set)  # original positions of caption lines kept
    dateline: str | None = None
    dateline_date: str | None = None
    dateline_year: str | None = None

    def drop(self, position: int, reason: str) -> None:
        for i, (pos, text) in enumerate(self.items):
            if pos == position:
                self.removals.append(Removal(reason, text, pos))
                del self.items[i]
                return


def key(line: str) -> str:
    """Comparison key: case-folded, punctuation-light, single-spaced."""
    return re.sub(r"\W+", " ", line.casefold()).strip()


def is_navigation(line: str) -> bool:
    return key(line) in NAVIGATION or is_breadcrumb(line)


def is_breadcrumb(line: str) -> bool:
    segments = BREADCRUMB_SEPARATOR.split(line.strip())
    return len(segments) >= 2 and all(
        0 < len(seg.split()) <= BREADCRUMB_MAX_SEGMENT_WORDS and not ends_sentence(seg) for seg in segments
    )


def is_timestamp(line: str) -> bool:
    rest = TIMESTAMP_LABEL.sub("", line.strip())
    tokens = [t for t in re.split(r"[\s,]+", rest) if t]
    if not tokens or len(line) > 90:
        return False
    has_digit = any(ch.isdigit() for ch in rest)
    return has_digit and all(TIMESTAMP_TOKEN.match(t) for t in tokens)


def byline_author(line: str) -> str | None:
    """The name or desk in a byline line, or None when the line is not a byline."""
    stripped = line.strip()
    match = BYLINE_BY.match(stripped)
    if match and len(stripped.split()) <= 12:
        return match.group(1)
    match = BYLINE_DESK.match(stripped)
    if match:
        return stripped
    return None


def is_caption(line: str) -> bool:
    return bool(PHOTO_CREDIT.search(line.strip()))


def ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


def looks_like_title(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= TITLE_MAX_WORDS and not line.rstrip().endswith((".", "!", "?", ":"))


def remove_navigation(lines: Lines) -> None:
    find_mastheads(lines)
    for pos, text in list(lines.items):
        if is_navigation(text):
            lines.drop(pos, "navigation")
            continue
        reason = furniture_reason(text)
        if reason:
            lines.drop(pos, reason)


def furniture_reason(line: str) -> str | None:
    """Why a whole line is page furniture (credits, copyright, promos, related links), or None."""
    stripped = line.strip()
    if len(stripped) > FURNITURE_MAX_CHARS:
        return None
    for reason, pattern in FURNITURE:
        if pattern.search(stripped):
            return reason
    return None


def looks_like_name(line: str) -> bool:
    words = line.split()
    return (
        MASTHEAD_MIN_WORDS <= len(words) <= MASTHEAD_MAX_WORDS
        and all(w[0].isupper() for w in words)
        and not any(ch.isdigit() or ch in ".,:;!?\"“”‘’'" for ch in line)
    )


def find_mastheads(lines: Lines) -> None:
    """A short proper name next to page furniture (navigation, timestamps) is the outlet's masthead."""
    items = lines.items
    for i, (pos, text) in enumerate(items):
        if not looks_like_name(text) or byline_author(text):
            continue
        neighbours = [items[j][1] for j in (i - 1, i + 1) if 0 <= j < len(items)]
        if any(is_navigation(n) or is_timestamp(n) for n in neighbours):
            lines.outlet_signals.append((f"masthead:{text.strip()}", text.strip()))


def remove_bylines_and_timestamps(lines: Lines) -> None:
    for pos, text in list(lines.items):
        author = byline_author(text)
        if author:
            lines.authors.append(author)
            desk = BYLINE_DESK.match(text.strip())
            if desk:
                lines.outlet_signals.append((f"byline:{text.strip()}", desk.group(1)))
            lines.drop(pos, "byline")
        elif is_timestamp(text):
            lines.timestamps.append(text.strip())
            lines.drop(pos, "timestamp")


def remove_mastheads(lines: Lines) -> None:
    """Drop lines that only name the outlet a byline already named ("Coastline Times" above the title)."""
    names = {key(name) for _, name in lines.outlet_signals}
    for pos, text in list(lines.items):
        if key(text) in names:
            lines.drop(pos, "masthead")


def remove_title_repeats(lines: Lines, title: str | None) -> None:
    if not title:
        return
    title_key = key(title)
    for pos, text in list(lines.items):
        if key(text) == title_key:
            lines.drop(pos, "title-repeat")


def remove_duplicates(lines: Lines) -> None:
    """Keep the first copy of every repeated line; a repeated caption is logged as such."""
    seen: set[str] = set()
    for pos, text in list(lines.items):
        k = key(text)
        if not k:
            continue
        if k in seen:
            lines.drop(pos, "duplicate-caption" if is_caption(text) else "duplicate")
        else:
            seen.add(k)


def mark_captions(lines: Lines) -> None:
    for pos, text in lines.items:
        if is_caption(text):
            lines.captions.add(pos)


def remove_teasers(lines: Lines) -> None:
    """Drop a line cut off mid-sentence whose words a later, complete line repeats (a scraped teaser)."""
    items = list(lines.items)
    for i, (pos, text) in enumerate(items):
        if ends_sentence(text) and not text.rstrip().endswith(("…", "...")):
            continue
        stripped = text.rstrip(" .…")
        if len(stripped) < TEASER_MIN_CHARS:
            continue
        # The last word may be cut ("earlie" for "earlier"): compare without it.
        head = key(stripped.rsplit(" ", 1)[0]).split()
        if len(head) < TEASER_OPENING_WORDS:
            continue
        for _, later in items[i + 1:]:
            if _repeats(head, key(later).split()):
                lines.drop(pos, "teaser")
                break


def _repeats(head: list[str], later: list[str]) -> bool:
    """True when `later` opens with head's first words and contains nearly all of head's words."""
    if len(later) <= len(head) - 2 or later[:TEASER_OPENING_WORDS] != head[:TEASER_OPENING_WORDS]:
        return False
    later_words = set(later)
    return sum(w in later_words for w in head) / len(head) >= TEASER_CONTAINMENT


def remove_headings(lines: Lines) -> None:
    """Drop short non-sentence lines sitting between body paragraphs (subheadings, section labels)."""
    items = list(lines.items)
    for i, (pos, text) in enumerate(items):
        if i == 0 or i == len(items) - 1 or pos in lines.captions:
            continue
        words = text.split()
        if len(words) > HEADING_MAX_WORDS or ends_sentence(text):
            continue
        before, after = items[i - 1][1], items[i + 1][1]
        if ends_sentence(before) and len(after.split()) > HEADING_MAX_WORDS:
            lines.drop(pos, "heading")


def strip_dateline(lines: Lines) -> None:
    """Take a dateline ("NAYPYIDAW, August 3. /TASS/.") off the first body paragraph that has one."""
    for i, (pos, text) in enumerate(lines.items[:4]):
        match = DATELINE.match(text)
        if not match or not (match.group("date") or match.group("agency1") or match.group("agency2")):
            continue
        if len(match.group("place").split()) > 4 or len(text) <= match.end() + 20:
            continue
        agency = match.group("agency1") or match.group("agency2")
        if agency:
            lines.outlet_signals.append((f"dateline:{agency.strip()}", agency.strip()))
        lines.dateline = text[: match.end()].strip()
        lines.dateline_date = match.group("date")
        lines.dateline_year = match.group("year")
        lines.removals.append(Removal("dateline", lines.dateline, pos))
        lines.items[i] = (pos, text[match.end():].strip())
        return
