"""Reader for plain-text articles in the seed format: optional `date YYYY-MM-DD <title>` first line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsfuse.errors import InputError
from newsfuse.ingest.decode import decode_text
from newsfuse.ingest.files import read_capped
from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure

HEADER = re.compile(r"^\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\s+(.+?)\s*$")


def parse_text(content: bytes, location: str) -> dict:
    """Split decoded text into declared metadata: header date, header line, body text, encoding."""
    text, encoding = decode_text(content, location)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    declared: dict = {"encoding": encoding}
    first, _, rest = text.partition("\n")
    match = HEADER.match(first)
    if match:
        declared["published"] = match.group(1)
        declared["header"] = match.group(2)
        declared["text"] = rest
    else:
        declared["text"] = text
    if not declared["text"].strip() and not declared.get("header"):
        raise InputError(location, "no article text after the header")
    return declared


def read(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    try:
        content = read_capped(location, options.max_file_bytes)
        declared = parse_text(content, location)
    except InputError as exc:
        yield ReadFailure(location, exc.reason)
        return
    yield RawDocument("text", location, content, declared)
