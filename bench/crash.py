"""Crash safety: SIGKILL at random moments of ingest, analyse, cluster and fuse; then check and compare.

    .venv/bin/python bench/crash.py                          # 10,000 articles, 20 kills (5 per stage)
    .venv/bin/python bench/crash.py --articles 60 --kills 4  # what CI runs (tests/test_crash.py)
    .venv/bin/python bench/crash.py --write                  # write the figures into BENCHMARKS.md

A corpus of project-written articles (groups of reports of one made-up event by several outlets, so
that clustering and fusion have real work) is first run through the four stages uninterrupted, each
stage timed: the reference. Then a fresh database goes through the same stages, each started as the
`newsfuse` command and killed with SIGKILL at a random moment, several times per stage, before the stage is run to its end. A kill lands once the stage has
committed a random share of its work, plus up to one commit's worth of time: anywhere in the work. After every kill: SQLite's
integrity check, nothing lost (what was committed before is still there), nothing duplicated (an
article, a source, a story member once), no story half-fused (each fused account whole, its members
those it names), stored analyses whole. At the end a re-run of every stage must find nothing left to
do, and the database must equal the reference: the same articles, analyses, entities, stories (members,
titles, keywords) and fused accounts. The quote tagger is off (`NEWSFUSE_QUOTE_TAGGER=off`) for speed:
it changes what an analysis holds, not how it is stored.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("ingest", "analyse", "cluster", "fuse")
# A kill lands once the stage has done a uniform share of what was left (within this window) and up to a
# chunk's worth of work more: anywhere in the work, never while the process is still starting.
KILL_WINDOW = (0.0, 0.9)
# Items each stage commits together (pipeline.CHUNK_SIZE, ANALYSIS_CHUNK, the story stage's CHUNK; fusion
# commits each story): how far past the target a kill may land.
CHUNK_ITEMS = {"ingest": 200, "analyse": 64, "cluster": 200, "fuse": 1}
POLL_SECONDS = 0.05

PLACES = ("Port Avel", "Lisk Island", "Valtoria", "Nordhavn", "Kestrel Bay", "Oransk", "Tamberly", "Quillon")
PEOPLE = ("Ana Ruiz", "Hallam Dresk", "Ottilie Varn", "Dana Whitfield", "Mira Okonjo", "Luís Avelar", "Jon Brask")
EVENTS = (("ferry", "ferry service", "resumed crossings"), ("bridge", "old bridge", "closed the bridge"),
          ("school", "new school", "opened a school"), ("storm", "storm", "cleared storm damage"),
          ("strike", "dock strike", "ended the strike"), ("budget", "city budget", "passed the budget"))
OUTLETS = ("Harbour Daily", "Island Post", "Nordwire", "Valtoria Ledger", "Bay Courier")


def write_corpus(path: Path, articles: int, seed: int = 7) -> None:
    """JSON Lines of `articles` reports: groups of 2-4 outlets reporting one made-up event."""
    rng = random.Random(seed)
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        event = 0
        while written < articles:
            key, thing, action = rng.choice(EVENTS)
            place, person = rng.choice(PLACES), rng.choice(PEOPLE)
            day = 1 + event % 28
            month = 1 + (event // 28) % 12
            count = rng.randint(12, 900)
            for outlet in rng.sample(OUTLETS, rng.randint(2, 4)):
                if written >= articles:
                    break
                said = rng.choice(("said", "told reporters", "said on Tuesday"))
                text = (f"The council of {place} {action} on day {day} after a vote of {count} residents, "
                        f"event number {event}.\n\n"
                        f"\"We {action.split()[0]} it for the people of {place},\" {person} {said}.\n\n"
                        f"The {thing} in {place} had been debated for {rng.randint(2, 40)} weeks, "
                        f"{outlet} reported, and {rng.randint(2, 9)} councillors voted against.")
                row = {"id": f"e{event}-{outlet.split()[0].lower()}", "title": f"{place}: {thing} news ({event})",
                       "published": f"2025-{month:02d}-{day:02d}", "outlet": outlet, "text": text,
                       "url": f"https://{outlet.split()[0].lower()}.example/{key}/{event}"}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
            event += 1


def command(stage: str, db: Path, corpus: Path) -> list[str]:
    base = [sys.executable, "-m", "newsfuse", "--db", str(db)]
    if stage == "ingest":
        return [*base, "ingest", "--no-cluster", "--json", str(corpus)]
    return [*base, stage, "--json"]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NEWSFUSE_QUOTE_TAGGER": "off", "OMP_NUM_THREADS": "1"}


def run_stage(stage: str, db: Path, corpus: Path) -> tuple[float, int]:
    """Run one stage to its end: its wall time and how many items it did (articles ingested or analysed,
    stories changed or fused)."""
    started = time.perf_counter()
    done = subprocess.run(command(stage, db, corpus), capture_output=True, text=True, env=environment())
    if done.returncode != 0:
        raise SystemExit(f"{stage} failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    did = {"ingest": summary.get("ingested"), "analyse": summary.get("analysed"),
           "cluster": len(summary.get("stories_changed") or []), "fuse": len(summary.get("fused") or [])}[stage]
    return time.perf_counter() - started, int(did or 0)


def kill_during(stage: str, db: Path, corpus: Path, goal: str, target: int, jitter: float) -> bool:
    """Start a stage, wait until its work has reached `target` (the count of `goal` rows committed), then
    `jitter` seconds more (so the kill lands anywhere in the work that follows), and SIGKILL it.
    False when the stage finished first."""
    process = subprocess.Popen(command(stage, db, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment())
    try:
        while process.poll() is None and _count(db, goal) < target:
            time.sleep(POLL_SECONDS)
        process.wait(timeout=jitter)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def _count(db: Path, goal: str) -> int:
    try:
        return counts(db)[goal]
    except sqlite3.Error:  # the schema is not there yet, or the database is being created
        return 0


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        def one(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "analysed": one("SELECT count(*) FROM annotations WHERE component = 'analysis'"),
            "clustered": one("SELECT count(*) FROM story_articles"),
            "fused": one("SELECT count(*) FROM fused"),
        }


def check(db: Path, before: dict[str, int], articles: int) -> dict[str, int]:
    """The invariants after a kill; returns the counts now. Raises AssertionError naming what broke."""
    with sqlite3.connect(db) as conn:
        def one(sql: str) -> Any:
            return conn.execute(sql).fetchone()[0]

        assert one("PRAGMA integrity_check") == "ok", "integrity check failed"
        assert one("SELECT count(*) - count(DISTINCT article_id) FROM story_articles") == 0, "an article in two stories"
        assert one("SELECT count(*) FROM (SELECT kind, location, original_sha256 FROM article_sources "
                   "GROUP BY 1, 2, 3 HAVING count(*) > 1)") == 0, "a source stored twice"
        assert one("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                   "(SELECT 1 FROM article_sources s WHERE s.article_id = a.id)") == 0, "an article without its source"
        assert one("SELECT count(*) FROM articles") <= articles, "more articles than the corpus holds"
        for (data,) in conn.execute("SELECT data FROM annotations WHERE component = 'analysis'"):
            assert "sentences" in json.loads(data), "a stored analysis is not whole"
        for story_id, membership, data in conn.execute("SELECT story_id, membership, data FROM fused"):
            fused = json.loads(data)
            assert sorted(a["id"] for a in fused["articles"]) == json.loads(membership), f"story {story_id} half-fused"
    now = counts(db)
    for key, value in before.items():
        assert now[key] >= value, f"{key} went from {value} to {now[key]}: something committed was lost"
    return now


def snapshot(db: Path) -> dict[str, Any]:
    """What a user can see of a database, without the times it was written at."""
    with sqlite3.connect(db) as conn:
        def rows(sql: str) -> list[Any]:
            return [tuple(r) for r in conn.execute(sql)]

        fused = {}
        for story_id, version, membership, data in conn.execute("SELECT story_id, version, membership, data FROM fused"):
            fused[story_id] = (version, membership, data)
        return {
            "articles": rows("SELECT id, title, text, outlet, published, url FROM articles ORDER BY id"),
            "analyses": rows("SELECT article_id, version, data FROM annotations WHERE component = 'analysis' "
                             "ORDER BY article_id"),
            "entities": rows("SELECT id, name, type, aliases FROM entities ORDER BY id"),
            "stories": rows("SELECT st.id, st.title, st.keywords, st.entities, st.outlets, st.first_seen, st.last_seen, "
                            "(SELECT group_concat(article_id) FROM (SELECT article_id FROM story_articles x "
                            "WHERE x.story_id = st.id ORDER BY article_id)) FROM stories st ORDER BY st.id"),
            "fused": sorted(fused.items()),
        }


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    for key in a:
        if a[key] != b[key]:
            left, right = set(map(repr, a[key])), set(map(repr, b[key]))
            out.append(f"{key}: {len(a[key])} vs {len(b[key])} rows, {len(left - right)} differ "
                       f"(e.g. {sorted(left - right)[:1]!s:.300} / {sorted(right - left)[:1]!s:.300})")
    return out


def crash_run(articles: int, kills: int, seed: int, folder: Path) -> dict[str, Any]:
    corpus = folder / "corpus.jsonl"
    write_corpus(corpus, articles)
    reference = folder / "reference.sqlite"
    times = {stage: run_stage(stage, reference, corpus)[0] for stage in STAGES}
    print(f"reference: {', '.join(f'{s} {t:.0f} s' for s, t in times.items())}", file=sys.stderr, flush=True)
    rng = random.Random(seed)
    db = folder / "killed.sqlite"
    before = {"articles": 0, "analysed": 0, "clustered": 0, "fused": 0} if not db.exists() else counts(db)
    delivered: dict[str, int] = {stage: 0 for stage in STAGES}
    finished_first: dict[str, int] = {stage: 0 for stage in STAGES}
    per_stage = max(1, kills // len(STAGES))
    left = kills
    goal = {"ingest": "articles", "analyse": "analysed", "cluster": "clustered", "fuse": "fused"}
    reference_counts = counts(reference)
    for position, stage in enumerate(STAGES):
        budget = left if position == len(STAGES) - 1 else min(left, per_stage)
        tries = 0
        while delivered[stage] < budget and tries < budget * 4:
            tries += 1
            done = _count(db, goal[stage]) if db.exists() else 0
            total = reference_counts[goal[stage]]
            target = done + int(rng.uniform(*KILL_WINDOW) * (total - done))
            # Then up to one commit's worth of time more: the reference's time per item times a chunk.
            jitter = rng.uniform(0, CHUNK_ITEMS[stage] * times[stage] / max(total, 1))
            if kill_during(stage, db, corpus, goal[stage], target, jitter):
                delivered[stage] += 1
                before = check(db, before, articles)
                print(f"kill {sum(delivered.values())}: {stage} at {target:,} of {total:,} (+{jitter:.1f} s) -> {before}",
                      file=sys.stderr, flush=True)
            else:
                finished_first[stage] += 1
                before = check(db, before, articles)
                break  # the stage finished before the kill: nothing left to interrupt
        left -= delivered[stage]
        run_stage(stage, db, corpus)
        before = check(db, before, articles)
    rerun = {stage: run_stage(stage, db, corpus) for stage in STAGES}  # must find nothing left to do
    after_rerun = check(db, before, articles)
    left_over = {stage: did for stage, (_, did) in rerun.items() if did}
    diff = differences(snapshot(reference), snapshot(db))
    return {"articles": articles, "kills": sum(delivered.values()), "per_stage": delivered,
            "finished_before_kill": finished_first, "reference_seconds": {k: round(v, 1) for k, v in times.items()},
            "rerun_did": {k: did for k, (_, did) in rerun.items()}, "counts": after_rerun,
            "reference_counts": reference_counts, "equal_to_reference": not diff and not left_over,
            "differences": diff + [f"the re-run still had work: {left_over}"] * bool(left_over)}


def markdown(result: dict[str, Any], command_line: str) -> str:
    stages = ", ".join(f"{s} {result['per_stage'][s]}" for s in STAGES)
    ref = ", ".join(f"{s} {result['reference_seconds'][s]:.0f} s" for s in STAGES)
    verdict = "equal to the uninterrupted run" if result["equal_to_reference"] else (
        "DIFFERENT from the uninterrupted run: " + "; ".join(result["differences"]))
    c = result["counts"]
    return (f"### Crash safety\n\n`{command_line}`: {result['articles']:,} project-written articles, "
            f"{result['kills']} SIGKILLs at random moments ({stages}); after every kill the integrity check passed, "
            f"nothing committed was lost, nothing was stored twice, no story was half-fused. The uninterrupted "
            f"reference took {ref}. After the kills each stage ran to its end, a re-run found nothing left to do, "
            f"and the database ({c['articles']:,} articles, {c['analysed']:,} analyses, {c['clustered']:,} story "
            f"members, {c['fused']:,} fused stories) was {verdict}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsfuse-crash-") as tmp:
        result = crash_run(args.articles, args.kills, args.seed, Path(tmp))
    line = "python bench/crash.py" + (f" --articles {args.articles}" if args.articles != 10_000 else "") + (
        f" --kills {args.kills}" if args.kills != 20 else "")
    print(json.dumps(result, indent=1) if args.json else markdown(result, line))
    if args.write:
        from fuzz import write_subsection  # bench/fuzz.py: one writer for the RELIABILITY section

        write_subsection("### Crash safety", markdown(result, line))
    if not result["equal_to_reference"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
