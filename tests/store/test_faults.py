"""Database faults: a read-only, damaged or full database gives one clear line and exit status 3, and
reads of a read-only database (even in a read-only folder) still work."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = [
    {"id": f"f{i}", "title": f"Ferry timetable change number {i}", "outlet": "Harbour Daily", "published": "2025-03-12",
     "text": f"The harbour council changed the ferry timetable for the {i}th time on Tuesday.\n\n"
             "Council leader Ana Ruiz said the change would add crossings in the summer."}
    for i in range(40)
]
# Linux capabilities that let root ignore file permissions, and prctl's "drop from the bounding set".
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3


def as_unprivileged() -> None:  # pragma: no cover - runs in the child, before exec
    """Root ignores file permissions: drop the capabilities that allow it, so read-only means read-only."""
    if os.getuid() == 0:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def newsfuse(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HOME": tempfile.gettempdir()}
    return subprocess.run([sys.executable, "-m", "newsfuse", *args], capture_output=True, text=True, env=env,
                          timeout=300, preexec_fn=as_unprivileged if unprivileged else None, cwd=tempfile.gettempdir())


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder holding a database of 20 articles (written and checkpointed) and 20 more to ingest."""
    path = Path(tempfile.mkdtemp(prefix="newsfuse-faults-"))
    path.chmod(0o755)
    corpus = path / "ferry.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES[:20]))
    more = path / "more.jsonl"
    more.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES[20:]))
    db = path / "news.sqlite"
    assert newsfuse("--db", str(db), "ingest", str(corpus)).returncode == 0
    with sqlite3.connect(db) as conn:  # merge the write-ahead log, as any clean close does
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for item in path.iterdir():
        item.chmod(0o644)
    yield path
    path.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


def read_only(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH | (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH if path.is_dir() else 0))


def test_a_read_only_database_can_be_read_and_refuses_writes_in_one_line(folder) -> None:  # type: ignore[no-untyped-def]
    db = folder / "news.sqlite"
    read_only(db)
    listed = newsfuse("--db", str(db), "articles", "--json", unprivileged=True)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 20
    write = newsfuse("--db", str(db), "ingest", str(folder / "more.jsonl"), unprivileged=True)
    assert write.returncode == 3
    assert f"database {db}: it is read-only: reading works" in write.stderr
    assert "Traceback" not in write.stderr and len(write.stderr.strip().splitlines()) == 1


def test_a_read_only_database_in_a_read_only_folder_can_still_be_read(folder) -> None:  # type: ignore[no-untyped-def]
    db = folder / "news.sqlite"
    read_only(db)
    read_only(folder)
    listed = newsfuse("--db", str(db), "articles", "--json", unprivileged=True)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 20
    found = newsfuse("--db", str(db), "search", "timetable", "--json", unprivileged=True)
    assert found.returncode == 0 and json.loads(found.stdout)


def test_a_damaged_database_says_so_and_how_to_check_it(folder) -> None:  # type: ignore[no-untyped-def]
    db = folder / "news.sqlite"
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    with open(db, "r+b") as handle:  # every page but the first (the header and schema) overwritten
        handle.seek(page_size)
        handle.write(bytes([0xA5]) * page_size * (pages - 1))
    result = newsfuse("--db", str(db), "articles", "--json")
    assert result.returncode == 3
    assert f"database {db}: it is damaged" in result.stderr and "PRAGMA integrity_check" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_full_disk_leaves_the_data_intact_and_says_so(folder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """SQLite's page limit raises the very error a full disk does (SQLITE_FULL), without filling a disk."""
    from click.testing import CliRunner

    from newsfuse import api
    from newsfuse.cli import main

    db = folder / "news.sqlite"
    opened = api.open_db

    def capped(*args, **kwargs):  # type: ignore[no-untyped-def]
        store = opened(*args, **kwargs)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(api, "open_db", capped)
    result = CliRunner().invoke(main, ["--db", str(db), "ingest", str(folder / "more.jsonl")])
    assert result.exit_code == 3
    assert f"database {db}: the disk is full: the last transaction was rolled back" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 20
