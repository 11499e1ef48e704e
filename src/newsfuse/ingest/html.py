"""Reader for HTML pages: trafilatura finds the article text, title, author, date, site name and URL."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from newsfuse.errors import InputError
from newsfuse.ingest.decode import decode_text, looks_binary
from newsfuse.ingest.files import read_capped
from newsfuse.ingest.markup import looks_like_html, paragraphs_text
from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Pages whose markup nests deeper than this are hostile or broken beyond repair; lxml stops at 255
# anyway, and trafilatura then returns nothing, so say why instead.
MAX_NESTING = 250
# The fallback extractors return menus and footers for pages without an article; keep their result
# only when one paragraph has at least this many words. bench/ingest.py (GVA pages, --sample 300):
# the 8 pages with an empty body gave menu text (and the headline) of at most 8 words per other line.
FALLBACK_MIN_WORDS = 12
OPEN_DIV_RUN = re.compile(rb"(?:<(?:div|span|b|i|font|table|td|tr)\b[^>]*>\s*){%d}" % MAX_NESTING, re.IGNORECASE)


def decode_html(content: bytes, location: str) -> tuple[str, str]:
    """Decode a page: byte-order mark, then the charset the page declares, then the text heuristics."""
    if not content.strip():
        raise InputError(location, "empty file: nothing to ingest")
    if not content.startswith((b"\xff\xfe", b"\xfe\xff")) and looks_binary(content):
        raise InputError(location, "binary file, not HTML: give a text, HTML, JSONL, feed or WARC file")
    declared = META_CHARSET.search(content[:4096])
    if declared and not content.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return content.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass  # a page that lies about its charset: fall back to the heuristics
    return decode_text(content, location)


def extract(content: bytes, location: str, url: str | None = None) -> dict[str, Any]:
    """The declared metadata and body text of one HTML page. Raises InputError when there is no article."""
    page, encoding = decode_html(content, location)
    if not looks_like_html(page):
        raise InputError(location, "not HTML: no markup found (a plain-text article needs a .txt name)")
    if OPEN_DIV_RUN.search(content):
        raise InputError(location, f"hostile or broken HTML: elements nested more than {MAX_NESTING} deep")
    document = _bare_extraction(page, url, location)
    text = paragraphs_text(getattr(document, "text", None) or "") if document is not None else ""
    if not text:
        raise InputError(location, "no article text found in the HTML (broken markup, or a page without an article)")
    declared: dict[str, Any] = {"text": text, "encoding": encoding}
    for key, attribute in (("title", "title"), ("author", "author"), ("published", "date"),
                           ("site_name", "sitename"), ("url", "url"), ("description", "description")):
        value = getattr(document, attribute, None)
        if value:
            declared[key] = str(value).strip()
    if url and not declared.get("url"):
        declared["url"] = url
    return declared


def _bare_extraction(page: str, url: str | None, location: str) -> Any:
    """trafilatura's precise extractor first; its fallbacks (readability, jusText) only when that finds
    nothing, and their result only when it holds a real paragraph, not a menu."""
    import trafilatura

    # trafilatura logs every page it rejects; the reader reports those itself, with the input named.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    common = dict(url=url, with_metadata=True, include_comments=False, include_tables=True,
                  include_images=False, include_links=False, deduplicate=False)
    try:
        document = trafilatura.bare_extraction(page, fast=True, favor_precision=True, **common)
        if document is not None and (document.text or "").strip():
            return document
        document = trafilatura.bare_extraction(page, **common)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:  # lxml chokes on some markup
        raise InputError(location, f"HTML could not be parsed: {exc}") from exc
    if document is None or _longest_paragraph_words(document.text or "", document.title or "") < FALLBACK_MIN_WORDS:
        return None
    return document


def _longest_paragraph_words(text: str, title: str) -> int:
    """Words in the longest line of the text that is not the page's title (the headline is no body)."""
    headline = " ".join(title.split()).casefold()
    lines = (line for line in text.split("\n") if " ".join(line.split()).casefold() not in (headline, ""))
    return max((len(line.split()) for line in lines), default=0)


def read(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    try:
        content = read_capped(location, options.max_file_bytes)
        declared = extract(content, location)
    except InputError as exc:
        yield ReadFailure(location, exc.reason if exc.location == location else str(exc))
        return
    yield RawDocument("html", location, content, declared)
