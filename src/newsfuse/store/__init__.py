"""Storage: originals, articles, annotations, stories and fused accounts; SQLite by default."""

from __future__ import annotations

from pathlib import Path

from newsfuse.store.sqlite import SQLiteStore

Store = SQLiteStore


def open_store(path: str | Path) -> SQLiteStore:
    """Open (creating and migrating as needed) the database at `path`."""
    return SQLiteStore(path)
