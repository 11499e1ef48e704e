"""Database faults as one clear line each: what is wrong with which database, and what to do about it."""

from __future__ import annotations

import sqlite3

from newsfuse.errors import StoreError

# (words in SQLite's message, what it means for the user and what to do). The first that matches wins.
SQLITE_FAULTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("readonly", "read-only"),
     "it is read-only: reading works, but this command writes; give write permission on the file and its folder "
     "(or copy the database somewhere writable and pass --db)"),
    (("disk is full", "database or disk is full"),
     "the disk is full: the last transaction was rolled back, so nothing is half-written; free some space and "
     "run the command again"),
    (("malformed", "not a database", "file is encrypted", "corrupt"),
     "it is damaged: check it with `sqlite3 {db} 'PRAGMA integrity_check'`, then restore a backup or ingest again "
     "into a new database"),
    (("disk i/o error",),
     "a disk I/O error while using it (a full or failing disk, or a file size limit): check free space and "
     "the disk, then run the command again"),
    (("database is locked", "database is busy"),
     "it is locked by another process for longer than the wait allows: let that one finish, then run again"),
    (("unable to open",),
     "it cannot be opened: check that its folder exists and is readable, or pass --db"),
)


def explain(exc: BaseException, db: str) -> StoreError | None:
    """`exc` as one StoreError naming the database and what to do, when it is a database fault; else None."""
    if isinstance(exc, StoreError):
        return exc
    if not isinstance(exc, sqlite3.Error):
        return None
    text = str(exc).lower()
    for needles, advice in SQLITE_FAULTS:
        if any(needle in text for needle in needles):
            return StoreError(f"database {db}: {advice.format(db=db)} (SQLite: {exc})")
    return StoreError(f"database {db}: {exc}; check it with `sqlite3 {db} 'PRAGMA integrity_check'`")
