"""Reader for JSON Lines (plain or .gz): one article per line, fields mapped by --field, streamed."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from newsfuse.errors import InputError
from newsfuse.ingest.decode import SNIFF_BYTES, looks_binary
from newsfuse.ingest.markup import fragment_text, looks_like_full_page, looks_like_html, paragraphs_text
from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure

# Declared keys each mapped field fills ("id" becomes the article's external id).
DECLARED_KEY = {"id": "external_id", "title": "title", "text": "text", "published": "published",
                "outlet": "outlet", "url": "url"}
# Lines longer than this are refused one by one instead of being parsed (a runaway line, not an article).
MAX_LINE_BYTES = 50_000_000


def _open(location: str) -> IO[bytes]:
    with open(location, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return io.BufferedReader(gzip.open(location, "rb"))  # type: ignore[arg-type]
    return open(location, "rb")


def read(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    """Each line as a RawDocument, or a ReadFailure at `location:LINE`; one bad line never stops the rest."""
    try:
        handle = _open(location)
    except OSError as exc:
        yield ReadFailure(location, f"cannot read file: {exc.strerror or exc}")
        return
    seen_any = False
    number = 0
    with handle:
        try:
            problem = _not_jsonl(handle.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(handle, "peek") else b"")
            if problem:
                yield ReadFailure(location, problem)
                return
            for number, line in enumerate(_lines(handle), start=1):
                if isinstance(line, ReadFailure):
                    yield ReadFailure(f"{location}:{number}", line.reason)
                    continue
                if not line.strip():
                    continue
                seen_any = True
                yield _document(line, f"{location}:{number}", options)
        except (OSError, EOFError, zlib.error) as exc:  # truncated or corrupt .gz: keep what was read
            yield ReadFailure(f"{location}:{number + 1}", f"file is truncated or corrupt after line {number}: {exc}")
            return
    if not seen_any:
        yield ReadFailure(location, "empty file: no JSON lines to ingest")


def _lines(handle: IO[bytes]) -> Iterator[bytes | ReadFailure]:
    """Lines one at a time, never holding more than MAX_LINE_BYTES: a longer line is skipped as a failure."""
    while True:
        line = handle.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # drain the rest of the runaway line
                more = handle.readline(MAX_LINE_BYTES)
                if not more or more.endswith(b"\n"):
                    break
            yield ReadFailure("", f"line is over the {MAX_LINE_BYTES:,}-byte limit")
            continue
        yield line


def _not_jsonl(head: bytes) -> str | None:
    """Why a file cannot be JSON Lines at all, judged by its first bytes; None when it may be."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 file: JSON Lines must be UTF-8 (convert it with iconv -f UTF-16 -t UTF-8)"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        return "a JSON array, not JSON Lines: put one object per line (e.g. jq -c '.[]' FILE > FILE.jsonl)"
    if looks_binary(head):
        return "binary file, not JSON Lines: give a text, HTML, JSONL, feed or WARC file"
    return None


def _document(line: bytes, where: str, options: ReadOptions) -> RawDocument | ReadFailure:
    try:
        declared = parse_line(line, where, options.jsonl_fields)
    except InputError as exc:
        return ReadFailure(where, exc.reason)
    return RawDocument("jsonl", where, line.rstrip(b"\r\n"), declared)


def parse_line(line: bytes, where: str, fields: dict[str, str]) -> dict[str, Any]:
    """The declared metadata of one JSON line under the field mapping. Raises InputError naming the line."""
    text_line, encoding = _decode_line(line, where)
    try:
        record = json.loads(text_line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"malformed JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, found {type(record).__name__}")
    declared: dict[str, Any] = {"encoding": encoding} if encoding != "utf-8" else {}
    for name, key in fields.items():
        value = _lookup(record, key)
        if value is None or value == "":
            continue
        declared[DECLARED_KEY.get(name, name)] = value if name == "id" else _as_text(value)
    body = declared.get("text")
    if not isinstance(body, str) or not body.strip():
        raise InputError(where, f"no article text: field {fields.get('text', 'text')!r} is missing or empty "
                                "(map another field with --field text=KEY)")
    declared["text"] = _plain(body)
    if not declared["text"]:
        raise InputError(where, f"no article text: field {fields.get('text', 'text')!r} holds only markup")
    return declared


def _decode_line(line: bytes, where: str) -> tuple[str, str]:
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    try:
        return line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in line:
        raise InputError(where, "binary data, not a JSON line (JSON Lines must be UTF-8)")
    # A line pasted from a legacy-encoded source: cp1252 decodes every byte but five, and reads right.
    return line.decode("cp1252", errors="replace"), "cp1252"


def _lookup(record: dict[str, Any], key: str) -> Any:
    """A field by name; `a.b` reaches into nested objects."""
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _as_text(value: Any) -> Any:
    if isinstance(value, list):
        return "\n\n".join(str(v) for v in value if v is not None)
    if isinstance(value, (dict, bool)):
        return json.dumps(value, ensure_ascii=False)
    return str(value) if not isinstance(value, str) else value


def _plain(body: str) -> str:
    """The body as plain paragraphs: HTML (a fragment or a whole page) is turned into text first."""
    if not looks_like_html(body):
        return body
    if looks_like_full_page(body):
        from newsfuse.ingest.html import extract

        try:
            return extract(body.encode("utf-8"), "field")["text"]
        except InputError:
            return ""
    return paragraphs_text(fragment_text(body))
