"""Ingest: turn paths, globs, directories and URLs into RawDocuments, one reader per source kind."""

from __future__ import annotations

import glob
import importlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsfuse.ingest.options import ReadOptions
from newsfuse.models import RawDocument, ReadFailure, SourceKind

__all__ = ["ReadOptions", "expand_inputs", "detect_kind", "read_input"]

READERS: dict[str, str] = {
    "text": "newsfuse.ingest.text",
    "html": "newsfuse.ingest.html",
    "jsonl": "newsfuse.ingest.jsonl",
    "feed": "newsfuse.ingest.feeds",
    "warc": "newsfuse.ingest.warc",
    "url": "newsfuse.ingest.url",
}

SUFFIX_KINDS: dict[str, SourceKind] = {
    ".txt": "text", ".text": "text", "": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl", ".json": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc", ".warc.gz": "warc", ".arc": "warc", ".arc.gz": "warc",
}

# Files a directory walk skips: hidden files and things that are never articles.
SKIP_SUFFIXES = {".pyc", ".sqlite", ".db", ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".zip", ".md"}


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | ReadFailure]:
    """Yield every file under the given paths (directories recursively, globs expanded) and every URL.

    A path that matches nothing is yielded as a ReadFailure so the caller can report it and go on.
    """
    for item in inputs:
        if is_url(item):
            yield item
        elif os.path.isdir(item):
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or _suffix(name) in SKIP_SUFFIXES:
                        continue
                    yield os.path.join(root, name)
        elif os.path.exists(item):
            yield item
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            if not files:
                yield ReadFailure(item, "pattern matches no files")
            yield from files
        else:
            yield ReadFailure(item, "no such file or directory")


def _suffix(name: str) -> str:
    lower = name.lower()
    for double in (".warc.gz", ".arc.gz", ".jsonl.gz"):
        if lower.endswith(double):
            return double
    return Path(lower).suffix


def detect_kind(location: str) -> SourceKind:
    """The source kind of a location: URL, else by suffix, else by sniffing the first bytes."""
    if is_url(location):
        return "url"
    kind = SUFFIX_KINDS.get(_suffix(location))
    if kind in ("text", "feed") or kind is None:
        sniffed = _sniff(location)
        if sniffed:
            return sniffed
    return kind or "text"


def _sniff(location: str) -> SourceKind | None:
    try:
        with open(location, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    if head.startswith(b"\x1f\x8b"):
        head = _gunzip_head(location)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"warc/"):
        return "warc"
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<rss") or stripped.startswith(b"<feed"):
        if b"<rss" in stripped or b"<feed" in stripped or b"<rdf:rdf" in stripped:
            return "feed"
        return "html" if b"<html" in stripped else None
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")):
        return "html"
    if stripped.startswith(b"<!--") and b"<html" in stripped:
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl"
    return None


def _gunzip_head(location: str) -> bytes:
    """The first decompressed bytes of a gzip file (WARC.gz and JSONL.gz under other names)."""
    import gzip
    import zlib

    try:
        with gzip.open(location, "rb") as handle:
            return handle.read(4096)
    except (OSError, EOFError, zlib.error):
        return b""


def read_input(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    """Every document (or failure) one input holds, using the reader for its kind."""
    kind = detect_kind(location)
    try:
        reader = importlib.import_module(READERS[kind])
    except ImportError as exc:
        yield ReadFailure(location, f"no reader for {kind} input: {exc}")
        return
    yield from reader.read(location, options)
