"""Reader for RSS 2.0 / RSS 1.0 / Atom feeds: entries with full content, their linked pages, or their headlines."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

from newsfuse.errors import InputError
from newsfuse.ingest.files import read_capped
from newsfuse.ingest.markup import fragment_text, looks_like_html, paragraphs_text
from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure, SourceKind

# A description shorter than this (in characters of text) is a teaser, not the article: RSS teasers
# are one or two sentences (150-400 characters); a body this long is taken as the article itself.
FULL_CONTENT_MIN_CHARS = 500
ONLY_A_LINK = "entry has only a link and no title; use --follow-links"
# The start and end tags of an RSS item or Atom entry (any namespace prefix), counted in the raw bytes to
# tell how many entries a truncated feed began and how many it finished.
ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")


def read(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    try:
        content = read_capped(location, options.max_file_bytes)
    except InputError as exc:
        yield ReadFailure(location, exc.reason)
        return
    yield from read_feed(content, location, options)


def read_feed(content: bytes, location: str, options: ReadOptions, kind: SourceKind = "feed") -> Iterator[RawDocument | ReadFailure]:
    """Every entry of a feed held in `content` (from a file or a fetched URL at `location`)."""
    import feedparser

    if not content.strip():
        yield ReadFailure(location, "empty file: no feed to read")
        return
    try:
        parsed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser fails on some hostile declarations (found by bench/fuzz.py)
        yield ReadFailure(location, f"malformed feed: {type(exc).__name__}: {exc}")
        return
    if not parsed.entries:
        if parsed.bozo or not parsed.version:
            why = parsed.get("bozo_exception") or "not RSS or Atom"
            yield ReadFailure(location, f"malformed feed: {why}")
        else:
            yield ReadFailure(location, "feed has no entries")
        return
    site_name = _plain_title(parsed.feed.get("title", ""))
    originals = _entry_xml(content, len(parsed.entries))
    broken = _broken(parsed)
    begun, ended = len(ENTRY_START.findall(content)), len(ENTRY_END.findall(content))
    last_cut = broken is not None and begun > ended and len(parsed.entries) == begun
    for index, entry in enumerate(parsed.entries):
        where = f"{location}#{entry.get('id') or entry.get('link') or index + 1}"
        if last_cut and index == len(parsed.entries) - 1:  # feedparser keeps the cut entry's first part
            yield ReadFailure(where, f"entry {index + 1} is cut off: the feed is truncated ({broken}); "
                                     f"the {index} entries before it were read")
            continue
        original = originals[index] if originals else _entry_json(entry)
        yield _entry_document(entry, where, original, site_name, options, kind)
    if broken is not None and len(parsed.entries) < begun:  # feedparser dropped the cut entries
        yield ReadFailure(location, f"entry {len(parsed.entries) + 1} of {begun} is cut off: the feed is truncated "
                                    f"or malformed ({broken}); the {len(parsed.entries)} entries before it were read")
    elif broken is not None and not last_cut:
        yield ReadFailure(location, f"the feed is malformed after its last entry ({broken}); "
                                    f"its {len(parsed.entries)} entries were read")


def _broken(parsed: Any) -> str | None:
    """What is wrong with a feed that did not parse as well-formed XML (None when it did, or when only its
    declared charset was wrong, which feedparser handles)."""
    import xml.sax

    problem = parsed.get("bozo_exception")
    return str(problem) if parsed.bozo and isinstance(problem, xml.sax.SAXException) else None


def _entry_document(entry: Any, where: str, original: bytes, site_name: str, options: ReadOptions,
                    kind: SourceKind) -> RawDocument | ReadFailure:
    declared = _entry_metadata(entry, site_name)
    body = _full_content(entry)
    if body:
        declared["text"] = body
        return RawDocument(kind, where, original, declared)
    link = entry.get("link")
    if link and options.follow_links:
        return _follow(link, where, declared, options)
    if declared.get("title"):  # a headline, perhaps with a teaser: stored as a headline-only article
        declared["text"] = _teaser(entry)
        declared["headline_only"] = True
        return RawDocument(kind, where, original, declared)
    if not link:
        return ReadFailure(where, "entry has neither content nor a link")
    return ReadFailure(where, ONLY_A_LINK)


def _follow(link: str, where: str, feed_declared: dict[str, Any], options: ReadOptions) -> RawDocument | ReadFailure:
    """Fetch an entry's page through the safe fetcher and read it as HTML; the feed fills the gaps."""
    from newsfuse.ingest.fetch import fetch
    from newsfuse.ingest.html import extract

    try:
        fetched = fetch(link, options)
        declared = extract(fetched.content, link, url=fetched.url)
    except InputError as exc:
        return ReadFailure(where, f"following {link}: {exc.reason}")
    for key in ("title", "published"):  # the feed's structured title and date beat the page's guesses
        if feed_declared.get(key):
            declared[key] = feed_declared[key]
    for key, value in feed_declared.items():
        declared.setdefault(key, value)
    declared["feed_entry"] = where
    return RawDocument("url", link, fetched.content, declared)


def _entry_metadata(entry: Any, site_name: str) -> dict[str, Any]:
    declared: dict[str, Any] = {}
    title = _plain_title(entry.get("title", ""))
    if title:
        declared["title"] = title
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        declared["published"] = time.strftime("%Y-%m-%d", stamp)
    if entry.get("link"):
        declared["url"] = entry["link"]
    if entry.get("author"):
        declared["author"] = entry["author"]
    if entry.get("id"):
        declared["external_id"] = entry["id"]
    if site_name:
        declared["site_name"] = site_name
    return declared


def _full_content(entry: Any) -> str:
    """The entry's article text: content:encoded / atom:content, else a description long enough to be one."""
    candidates = [_as_text(c.get("value", ""), c.get("type", "")) for c in entry.get("content", [])]
    candidates = [c for c in candidates if c]
    if candidates:
        return max(candidates, key=len)
    detail = entry.get("summary_detail") or {}
    summary = _as_text(entry.get("summary", ""), detail.get("type", "text/html"))
    return summary if len(summary) >= FULL_CONTENT_MIN_CHARS else ""


def _teaser(entry: Any) -> str:
    """The entry's short description (a teaser of one or two sentences), as plain text; "" without one."""
    detail = entry.get("summary_detail") or {}
    return _as_text(entry.get("summary", ""), detail.get("type", "text/html"))


def _as_text(value: str | None, media_type: str | None) -> str:
    value, media_type = value or "", media_type or ""  # feedparser gives None for an empty element
    if not value.strip():
        return ""
    if "html" in media_type or looks_like_html(value):
        return fragment_text(value)
    return paragraphs_text(value)


def _plain_title(title: str) -> str:
    return " ".join(fragment_text(title).split()) if looks_like_html(title) else " ".join(title.split())


def _entry_xml(content: bytes, expected: int) -> list[bytes] | None:
    """Each entry's own XML, serialised, when the feed parses as XML and its entries line up with feedparser's."""
    import lxml.etree

    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(content, parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    elements = root.xpath("//*[local-name()='item' or local-name()='entry']")
    if len(elements) != expected:
        return None
    return [lxml.etree.tostring(element, encoding="utf-8") for element in elements]


def _entry_json(entry: Any) -> bytes:
    """The entry as feedparser read it, as JSON (for feeds too broken to cut into XML entries)."""
    plain = {key: value for key, value in entry.items() if not key.endswith("_parsed")}
    return json.dumps(plain, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
