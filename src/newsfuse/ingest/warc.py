"""Reader for WARC / WARC.gz web archives: HTML response records, streamed one record at a time."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from typing import Any

from newsfuse.errors import InputError
from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    """Each HTML response as a RawDocument at `file#offset`; a truncated tail becomes one failure after them."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        size = os.path.getsize(location)
        handle = open(location, "rb")
    except OSError as exc:
        yield ReadFailure(location, f"cannot read file: {exc.strerror or exc}")
        return
    problem = "empty file: no WARC records" if size == 0 else _not_an_archive(location)
    if problem:
        handle.close()
        yield ReadFailure(location, problem)
        return
    found = 0
    with handle:
        records = ArchiveIterator(handle, check_digests=False)
        records.INC_RECORD = ""  # warcio prints a warning per bad record to stderr; we report it instead
        try:
            for record in records:
                if records.err_count:
                    yield ReadFailure(f"{location}#{records.get_record_offset()}",
                                      f"corrupt WARC: data between records is not a record (kept the {found} HTML records before it)")
                    return
                item = _record_document(record, records, location, options)
                if item is None:
                    continue
                found += isinstance(item, RawDocument)
                yield item
                if isinstance(item, ReadFailure) and item.reason.startswith("truncated"):
                    return
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError, AttributeError) as exc:
            # warcio meets garbage or a cut-off record: keep what came before, report the rest.
            yield ReadFailure(f"{location}#{records.offset}", f"truncated or corrupt WARC after {found} HTML records: {_why(exc)}")
            return
        if records.err_count:
            yield ReadFailure(f"{location}#{records.offset}", f"corrupt WARC: trailing data is not a record (kept the {found} HTML records before it)")
            return
        if records.offset < size:
            yield ReadFailure(f"{location}#{records.offset}", f"truncated or corrupt WARC: {size - records.offset:,} "
                              f"trailing bytes are not a complete record (kept the {found} HTML records before them)")
            return
    if not found:
        yield ReadFailure(location, "no HTML response records in the WARC")


def _not_an_archive(location: str) -> str | None:
    """Why a file is not a WARC (or ARC) at all, judged by its first bytes; None when it is one."""
    import gzip

    try:
        with open(location, "rb") as raw:
            head = raw.read(64)
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(location, "rb") as unzipped:
                head = unzipped.read(64)
    except (OSError, EOFError, zlib.error) as exc:
        return f"truncated or corrupt WARC: cannot read its first record: {exc}"
    if head.lstrip().startswith((b"WARC/", b"filedesc://")):
        return None
    return "not a WARC file: it does not start with a WARC record header"


def _record_document(record: Any, records: Any, location: str, options: ReadOptions) -> RawDocument | ReadFailure | None:
    """One record as a document, a failure, or None for records that hold no page (requests, images ...)."""
    if not _is_html_page(record):
        return None
    payload = record.content_stream().read(options.fetch_max_bytes + 1)
    where = f"{location}#{records.get_record_offset()}"
    if record.raw_stream.limit > 0 and len(payload) <= options.fetch_max_bytes:
        return ReadFailure(where, f"truncated WARC record: {record.raw_stream.limit:,} bytes of its payload are missing")
    if len(payload) > options.fetch_max_bytes:
        return ReadFailure(where, f"record payload is larger than the {options.fetch_max_bytes:,}-byte limit (--max-bytes)")
    uri = record.rec_headers.get_header("WARC-Target-URI")
    from newsfuse.ingest.html import extract

    try:
        declared = extract(payload, where, url=uri)
    except InputError as exc:
        return ReadFailure(where, f"{uri or 'record'}: {exc.reason}")
    declared["warc_target_uri"] = uri
    declared["warc_date"] = record.rec_headers.get_header("WARC-Date")
    declared["warc_record_id"] = record.rec_headers.get_header("WARC-Record-ID")
    return RawDocument("warc", where, payload, declared)


def _is_html_page(record: Any) -> bool:
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None:
            return False
        status = (headers.get_statuscode() or "").strip()
        media = (headers.get_header("Content-Type") or "").lower()
        return status.startswith("2") and media.startswith(HTML_TYPES)
    if record.rec_type == "resource":
        media = (record.rec_headers.get_header("Content-Type") or "").lower()
        return media.startswith(HTML_TYPES)
    return False


def _why(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"
