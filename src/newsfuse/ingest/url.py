"""Reader for URLs: fetch safely (see fetch.py), then read the body as an HTML page or a feed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from newsfuse.errors import InputError
from newsfuse.ingest.fetch import Fetched, fetch
from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure

__all__ = ["fetch", "read", "body_kind", "poll_feed", "Polled"]

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")
XML_TYPES = ("application/xml", "text/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")


def body_kind(fetched: Fetched) -> str | None:
    """'html', 'feed' or 'text' from the Content-Type, looking at the body only when the type is vague."""
    media = fetched.content_type
    if media in FEED_TYPES:
        return "feed"
    head = fetched.content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if media in XML_TYPES or media in ("", "application/octet-stream"):
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        if media in XML_TYPES and b"<html" not in head:
            return None
    if media in HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if media == "text/plain":
        return "text"
    return None


def read(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    try:
        fetched = fetch(location, options)
    except InputError as exc:
        yield ReadFailure(location, exc.reason)
        return
    kind = body_kind(fetched)
    if kind == "feed":
        from newsfuse.ingest.feeds import read_feed

        yield from read_feed(fetched.content, location, options, kind="feed")
        return
    try:
        if kind == "html":
            from newsfuse.ingest.html import extract

            declared = extract(fetched.content, location, url=fetched.url)
        elif kind == "text":
            from newsfuse.ingest.text import parse_text

            declared = parse_text(fetched.content, location)
            declared["url"] = fetched.url
        else:
            raise InputError(location, f"unsupported content type {fetched.content_type or 'none'!r}: "
                                       "expected an HTML page or an RSS/Atom feed")
    except InputError as exc:
        yield ReadFailure(location, exc.reason)
        return
    declared["fetched_url"] = fetched.url
    yield RawDocument("url", location, fetched.content, declared)


@dataclass(frozen=True)
class Polled:
    """One conditional poll of a watched feed: its entries when it changed, the validators for the next poll."""

    url: str
    changed: bool
    etag: str | None
    last_modified: str | None
    documents: list[RawDocument | ReadFailure] = field(default_factory=list)


def poll_feed(url: str, options: ReadOptions, etag: str | None = None, last_modified: str | None = None) -> Polled:
    """Fetch a feed with If-None-Match / If-Modified-Since; its entries when the server says it changed.

    Raises InputError when the feed cannot be fetched or the body is not a feed."""
    fetched = fetch(url, options, etag=etag, last_modified=last_modified)
    if fetched.status == 304:
        return Polled(url, False, fetched.etag, fetched.last_modified)
    if body_kind(fetched) != "feed":
        raise InputError(url, f"not an RSS or Atom feed (content type {fetched.content_type or 'none'!r})")
    from newsfuse.ingest.feeds import read_feed

    documents = list(read_feed(fetched.content, url, options, kind="feed"))
    return Polled(url, True, fetched.etag, fetched.last_modified, documents)
