"""SIGKILLs during ingest, analyse, cluster and fuse lose nothing committed, leave nothing half-written, and a
re-run completes the work and equals an uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARTICLES = 2000
# Kill once this many articles are committed: past the first chunks, well before the end.
KILL_AFTER = 400
WORDS = ("harbour council ferry strike budget island bridge vote school storm police court union market "
         "festival tram rates minister port wind power fishing road museum river mayor doctors").split()


def write_corpus(path: Path) -> None:
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(ARTICLES):
            paragraphs = [
                f"Article {i} reports that the {' '.join(rng.choices(WORDS, k=12))} on day {i % 28 + 1}."
                for _ in range(3)
            ]
            row = {"id": f"gen-{i}", "title": f"Generated report {i} on the {rng.choice(WORDS)}",
                   "published": f"2025-02-{i % 28 + 1:02d}", "outlet": "Crash Test Wire", "text": "\n\n".join(paragraphs)}
            handle.write(json.dumps(row) + "\n")


def ingest_command(db: Path, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "newsfuse", "--db", str(db), "ingest", "--json", str(corpus)]


def committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # tables not created yet
        return 0


def kill_part_way(db: Path, corpus: Path) -> int:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    process = subprocess.Popen(ingest_command(db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    try:
        while committed(db) < KILL_AFTER and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return committed(db)


def check_database(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM articles WHERE text = '' OR title = ''").fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id)"
        ).fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM article_sources s LEFT JOIN originals o ON o.sha256 = s.original_sha256 WHERE o.sha256 IS NULL"
        ).fetchone()[0] == 0
        fts = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'generated'").fetchone()[0]
        assert fts == conn.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.mark.slow
def test_sigkill_during_ingest_loses_nothing_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus)
    db = tmp_path / "crash.sqlite"
    at_kill = kill_part_way(db, corpus)
    assert 0 < at_kill < ARTICLES, "the kill should land part-way through the ingest"
    check_database(db)

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    second = subprocess.run(ingest_command(db, corpus), capture_output=True, text=True, env=env, timeout=600)  # a hang guard: the shared machine can be slow
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["ingested"] == ARTICLES - at_kill
    assert committed(db) == ARTICLES
    check_database(db)

    third = subprocess.run(ingest_command(db, corpus), capture_output=True, text=True, env=env, timeout=600)  # a hang guard: the shared machine can be slow
    summary = json.loads(third.stdout)
    assert summary["ingested"] == 0 and summary["unchanged"] == ARTICLES


@pytest.mark.slow
def test_kills_during_every_stage_leave_a_database_equal_to_an_uninterrupted_run():
    """bench/crash.py on a small corpus: one SIGKILL in each of ingest, analyse, cluster and fuse."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    done = subprocess.run([sys.executable, str(root / "bench" / "crash.py"), "--articles", "60", "--kills", "4", "--json"],
                          capture_output=True, text=True, env=env, timeout=3600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["equal_to_reference"], result["differences"]
    assert result["kills"] + sum(result["finished_before_kill"].values()) >= 4
    assert result["counts"] == result["reference_counts"]
    assert set(result["rerun_did"].values()) == {0}
