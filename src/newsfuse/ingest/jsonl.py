"""Reader for JSON Lines (plain or .gz): one article per line, fields mapped by --field, streamed."""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from collections.abc import Iterator
from operator import itemgetter
from typing import IO, Any

from newsfuse.errors import InputError
from newsfuse.ingest.decode import SNIFF_BYTES, looks_binary, utf16_without_bom
from newsfuse.ingest.markup import fragment_text, looks_like_full_page, looks_like_html, paragraphs_text
from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure

# Declared keys each mapped field fills ("id" becomes the article's external id).
DECLARED_KEY = {"id": "external_id", "title": "title", "text": "text", "published": "published",
                "outlet": "outlet", "url": "url"}
# Lines longer than this are refused one by one instead of being parsed (a runaway line, not an article).
MAX_LINE_BYTES = 50_000_000


# A gzip member may expand to at most this many times its compressed size (or to max_file_bytes, when
# that is larger): news JSONL compresses 3-11x (GVA 3x, ECB+ documents 5x, ECB+ mentions 11x in
# ../shared/data); a thousandfold expansion is filler such as a gigabyte of newlines.
MAX_EXPANSION = 100
# Bytes read at a time; blank lines are skipped inside each block without a Python step per line.
BLOCK_BYTES = 1 << 20


def _open(location: str, options: ReadOptions) -> tuple[IO[bytes], int | None]:
    """The file opened for reading (decompressed when gzip) and the most bytes it may yield (None: no cap)."""
    with open(location, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        compressed = os.path.getsize(location)
        return gzip.open(location, "rb"), max(options.max_file_bytes, MAX_EXPANSION * compressed)  # type: ignore[return-value]
    return open(location, "rb"), None


def read(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    """Each line as a RawDocument, or a ReadFailure at `location:LINE`; one bad line never stops the rest."""
    try:
        handle, cap = _open(location, options)
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
            for number, line in _lines(handle, cap):
                if isinstance(line, ReadFailure):
                    yield ReadFailure(f"{location}:{number}", line.reason)
                    continue
                seen_any = True
                yield _document(line, f"{location}:{number}", options)
        except (OSError, EOFError, zlib.error) as exc:  # truncated or corrupt .gz: keep what was read
            yield ReadFailure(f"{location}:{number + 1}", f"file is truncated or corrupt after line {number}: {exc}")
            return
        except _OverCap as over:
            yield ReadFailure(location, f"decompresses to over {cap:,} bytes ({MAX_EXPANSION}x its compressed size, "
                                        f"or --max-file-bytes): stopped at line {over.args[0]}")
            return
    if not seen_any:
        yield ReadFailure(location, "empty file: no JSON lines to ingest")


class _OverCap(Exception):
    """The stream yielded more bytes than it may."""


def _lines(handle: IO[bytes], cap: int | None = None) -> Iterator[tuple[int, bytes | ReadFailure]]:
    """(line number, line) for every non-blank line, read block by block: memory stays within a block plus
    one line, and runs of blank lines cost no Python step per line. A line over MAX_LINE_BYTES comes out
    as a ReadFailure (and is dropped unread); more than `cap` bytes in all raise _OverCap."""
    carry: list[bytes] = []  # the start of a line that runs on past the blocks read so far
    carry_size = 0
    number = 1  # the number of the line that `carry` begins
    total = 0
    while True:
        # read1: one decompression step at a time, so a truncated gzip keeps the lines before the cut
        block = handle.read1(BLOCK_BYTES) if hasattr(handle, "read1") else handle.read(BLOCK_BYTES)
        if not block:
            break
        total += len(block)
        if cap is not None and total > cap:
            raise _OverCap(number)
        first_end = block.find(b"\n")
        if first_end < 0:  # the whole block continues the current line
            carry_size += len(block)
            carry = [*carry, block] if carry_size <= MAX_LINE_BYTES else []
            continue
        yield from _line(number, carry, block[:first_end], carry_size + first_end)
        number += 1
        last_end = block.rfind(b"\n")
        if last_end > first_end:
            middle = block[first_end + 1:last_end]
            if middle and not middle.isspace():
                for offset, line in filter(itemgetter(1), enumerate(middle.split(b"\n"))):
                    yield from _line(number + offset, [], line, len(line))
            number += middle.count(b"\n") + 1
        tail = block[last_end + 1:]
        carry, carry_size = ([tail] if tail else []), len(tail)
    if carry_size:
        yield from _line(number, carry, b"", carry_size)


def _line(number: int, carry: list[bytes], end: bytes, size: int) -> Iterator[tuple[int, bytes | ReadFailure]]:
    """The line made of `carry` and `end` unless it is blank; a ReadFailure when it is over the limit."""
    if size > MAX_LINE_BYTES:
        yield number, ReadFailure("", f"line is over the {MAX_LINE_BYTES:,}-byte limit")
        return
    line = b"".join([*carry, end]) if carry else end
    if line and not line.isspace():
        yield number, line


def _not_jsonl(head: bytes) -> str | None:
    """Why a file cannot be JSON Lines at all, judged by its first bytes; None when it may be."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(head):
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
        if name == "text" and not _is_text(value):
            raise InputError(where, f"field {key!r} holds {_json_kind(value)}, not text: map the text field "
                                    "with --field text=KEY")
        declared[DECLARED_KEY.get(name, name)] = value if name == "id" else _as_text(value)
    body = declared.get("text")
    title = declared.get("title")
    has_title = isinstance(title, str) and bool(title.strip())
    if not isinstance(body, str) or not body.strip():
        if has_title:  # a headline without a body (an aggregator's or a feed's line): kept as headline-only
            declared["text"] = ""
            declared["headline_only"] = True
            return declared
        raise InputError(where, f"no article text: fields {fields.get('text', 'text')!r} and {fields.get('title', 'title')!r} "
                                "are missing or empty (map others with --field text=KEY --field title=KEY)")
    declared["text"] = _plain(body)
    if not declared["text"]:
        if has_title:
            declared["headline_only"] = True
            return declared
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


def _is_text(value: Any) -> bool:
    """A string, or a list of strings (paragraphs): what an article's text field may hold."""
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {json.dumps(value)}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a JSON object"
    return "a list that is not all strings" if isinstance(value, list) else f"a {type(value).__name__}"


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
