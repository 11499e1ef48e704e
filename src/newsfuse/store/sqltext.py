"""SQL pieces both backends use: quoted column lists, search words, article filters, rows into records."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from newsfuse.models import Article, Removal


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def column_list(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)  # quoted: one column is called "end"


# Unicode categories that separate search words like a space: control (a NUL ends SQLite's copy of the
# string; PostgreSQL refuses it), format (zero-width and bidi marks), surrogates, private use, unassigned.
NOT_IN_WORDS = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def query_words(query: str) -> list[str]:
    """The words of a search query; quotes and operators are never parsed as search syntax, and control
    or format characters separate words like a space."""
    kept = "".join(" " if unicodedata.category(c) in NOT_IN_WORDS else c for c in query.replace('"', " "))
    return kept.split()


def like_escape(text: str) -> str:
    """`text` with LIKE's wildcards escaped, for `LIKE ? ESCAPE '\\'`: a `%` or `_` a user typed is literal."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_prefix(key: str) -> str:
    return like_escape(key) + "%" if len(key) >= 4 else "\x00"


def filters(conditions: Iterable[tuple[str, Any]]) -> tuple[list[str], list[Any]]:
    """The (clause, value) pairs whose value is given, as WHERE clauses and their parameters."""
    given = [(clause, value) for clause, value in conditions if value]
    return [clause for clause, _ in given], [value for _, value in given]


def article_filters(outlet: str | None, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    return filters([("lower(outlet) = lower(?)", outlet), ("published >= ?", since), ("published <= ?", until)])


def article_from_row(row: Any) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        paragraphs=tuple(json.loads(row["paragraphs"])),
        outlet=row["outlet"],
        outlet_found_by=row["outlet_found_by"],
        published=row["published"],
        published_found_by=row["published_found_by"],
        language=row["language"],
        url=row["url"],
        external_id=row["external_id"],
        author=row["author"],
        dateline=row["dateline"],
        caption_paragraphs=tuple(json.loads(row["caption_paragraphs"])),
        removals=tuple(Removal(**r) for r in json.loads(row["removals"])),
        cleaner=row["cleaner"],
        headline_only=bool(row["headline_only"]),
    )
