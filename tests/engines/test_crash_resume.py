"""`run --shards` killed (SIGKILL) at random points, then run again: same result as an uninterrupted run,
nothing stored twice."""

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

from tests.conftest import EXAMPLES, ROOT

ROUNDS = 3
# Seed of the kill times; NEWSFUSE_TEST_SEED varies it between runs.
SEED = int(os.environ.get("NEWSFUSE_TEST_SEED", "15"))


def command(work: Path, name: str) -> list[str]:
    return [sys.executable, "-m", "newsfuse", "--db", str(work / f"{name}.sqlite"), "run", str(EXAMPLES / "articles"),
            "--out", str(work / f"{name}-out"), "--shards", str(work / f"{name}-shards"), "--shard-size", "4", "--json"]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def finish(work: Path, name: str) -> float:
    started = time.monotonic()
    done = subprocess.run(command(work, name), capture_output=True, text=True, env=environment(), timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - started


def kill_after(work: Path, name: str, seconds: float) -> None:
    process = subprocess.Popen(command(work, name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment())
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def results(work: Path, name: str) -> dict[str, object]:
    db = work / f"{name}.sqlite"
    out = work / f"{name}-out"
    return {
        "articles": rows(db, "SELECT id, title, published, outlet, text FROM articles ORDER BY id"),
        "sources": rows(db, "SELECT article_id, location FROM article_sources ORDER BY article_id, location"),
        "analyses": rows(db, "SELECT article_id, version, data FROM annotations WHERE component = 'analysis'"
                             " ORDER BY article_id"),
        "entities": rows(db, "SELECT id, name, type, aliases FROM entities ORDER BY id"),
        "stories": rows(db, "SELECT story_id, article_id FROM story_articles ORDER BY article_id"),
        "descriptions": rows(db, "SELECT id, title, outlets, first_seen, last_seen FROM stories ORDER BY id"),
        "fused": rows(db, "SELECT story_id, membership, data FROM fused ORDER BY story_id"),
        "reports": {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.json"))},
    }


@pytest.mark.slow
def test_run_with_shards_killed_at_random_points_completes_with_the_same_result(tmp_path):
    uninterrupted = finish(tmp_path, "reference")
    rng = random.Random(SEED)
    for _ in range(ROUNDS):
        kill_after(tmp_path, "killed", rng.uniform(0.1, 0.9) * uninterrupted)
    finish(tmp_path, "killed")
    reference, killed = results(tmp_path, "reference"), results(tmp_path, "killed")
    for part in reference:
        assert killed[part] == reference[part], part
    assert len(reference["articles"]) == len(list((EXAMPLES / "articles").iterdir()))
    assert len(killed["sources"]) == len(set(killed["sources"]))
    assert rows(tmp_path / "killed.sqlite", "SELECT count(*) FROM failures") == [(0,)]
    assert rows(tmp_path / "killed.sqlite", "PRAGMA integrity_check") == [("ok",)]
    plan = json.loads((tmp_path / "killed-shards" / "plan.json").read_text())
    assert all((tmp_path / "killed-shards" / "output" / f"{n}.loaded").exists() for n in plan["shards"])
