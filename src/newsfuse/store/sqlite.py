"""The SQLite backend: one file, WAL mode, FTS5 search, a lock file for jobs that run alone."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsfuse.errors import StoreError
from newsfuse.store import schema
from newsfuse.store.base import Connection, Store, sha256_hex, utc_now
from newsfuse.store.faults import explain
from newsfuse.store.sqltext import query_words

try:  # POSIX advisory locks; elsewhere exclusive() does not lock (documented there)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["BUSY_TIMEOUT_MS", "SQLiteStore", "sha256_hex", "utc_now"]

# Long enough to ride out another process's write transaction (an ingest running beside `articles`).
BUSY_TIMEOUT_MS = 30_000


class SQLiteStore(Store):
    """Articles, originals, annotations, stories and fused accounts in one SQLite file."""

    # IMMEDIATE takes the write lock at once, so two writers queue instead of failing at their first write.
    BEGIN = "BEGIN IMMEDIATE"
    NO_LIMIT = "-1"

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        self.location = str(self.path)
        # A database we may not write is opened read-only (and, in a folder we may not write either,
        # as immutable: WAL readers otherwise need to create the -shm file beside it), so reads still work.
        self.read_only = self.path.exists() and not os.access(self.path, os.W_OK)
        try:
            if self.read_only:
                target, uri = self._read_only_uri(), True
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                target, uri = str(self.path), False
            self.conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                        check_same_thread=False, uri=uri)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}. Check the path or pass --db.") from exc
        self.conn.row_factory = sqlite3.Row
        self._held: set[str] = set()  # exclusive() jobs this object holds
        try:
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if self.read_only:
                self._check_schema_readable()
                return
            self._enter_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise explain(exc, str(self.path)) or StoreError(str(exc)) from exc

    def _read_only_uri(self) -> str:
        """The URI that opens this database for reading only; immutable when its folder is read-only too."""
        if os.access(self.path.parent, os.W_OK):
            return f"{self.path.resolve().as_uri()}?mode=ro"
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise StoreError(f"database {self.path} is read-only in a read-only folder and has writes not yet "
                             f"merged from {wal.name}: open it once where it is writable, or copy both files")
        return f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"

    def _check_schema_readable(self) -> None:
        """A read-only database must already have every migration: it cannot be upgraded."""
        has = {row[0] for row in self.conn.execute("SELECT version FROM schema_migrations")}
        missing = [version for version, _, _ in schema.MIGRATIONS if version not in has]
        if missing:
            raise StoreError(f"database {self.path} is read-only and older than this newsfuse (schema "
                             f"{max(has, default=0)}, needs {schema.MIGRATIONS[-1][0]}): make it writable once")

    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def _enter_wal(self) -> None:
        """Switch a new file to WAL. SQLite answers 'locked' at once, without waiting on the busy timeout,
        while another connection switches the same new file, so wait here instead."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def close(self) -> None:
        self.conn.close()

    @contextlib.contextmanager
    def exclusive(self, job: str) -> Iterator[None]:
        """See Store.exclusive: a lock file beside the database (POSIX flock; released by the OS if the
        process dies). No lock where flock is missing."""
        if fcntl is None or job in self._held or str(self.path) == ":memory:":
            yield
            return
        lock_path = self.path.with_name(f"{self.path.name}.{job}.lock")
        with open(lock_path, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"newsfuse: waiting for another {job} on {self.path} to finish", file=sys.stderr, flush=True)
                fcntl.flock(handle, fcntl.LOCK_EX)
            self._held.add(job)
            try:
                yield
            finally:
                self._held.discard(job)
                fcntl.flock(handle, fcntl.LOCK_UN)

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def _next_seq(self, conn: Connection) -> int:
        # Safe as max + 1: BEGIN IMMEDIATE makes this the only writer until it commits.
        return conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]

    def _statements(self, version: int, sql: str) -> list[str]:
        return schema.statements(sql)

    def _search_rows(self, query: str, limit: int) -> list[Any]:
        return self.conn.execute(
            "SELECT a.*, snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snip"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (fts_query(query), limit),
        ).fetchall()

    def _text_match(self, query: str) -> tuple[str, Any]:
        return "a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", fts_query(query)


def fts_query(query: str) -> str:
    """Quote each word so user text is never parsed as FTS5 syntax (a stray quote or NEAR would fail)."""
    return " ".join(f'"{w}"' for w in query_words(query))
