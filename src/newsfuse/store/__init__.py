"""Storage: originals, articles, annotations, stories and fused accounts; SQLite by default, or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from newsfuse.store.base import Store, sha256_hex
from newsfuse.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "Store", "is_postgres", "open_store", "sha256_hex"]


def is_postgres(target: str | Path) -> bool:
    """True when `target` is a PostgreSQL URL (postgresql://...) rather than a SQLite file."""
    from newsfuse.store.postgres import is_url

    return is_url(target)


def open_store(target: str | Path) -> Store:
    """Open (creating and migrating as needed) the database at `target`: a SQLite file, or a
    postgresql:// URL (needs the `postgres` extra)."""
    if is_postgres(target):
        from newsfuse.store.postgres import PostgresStore

        return PostgresStore(str(target))
    return SQLiteStore(target)
