"""GVA articles as benchmark inputs: a JSONL file of the first N, and an analysed database of them (cached).

The GVA violent corpus (../shared/data/gva_semeval2018t5, real US local news) names its publication date
`dct`; the JSONL written here names it `published`, so `newsfuse run FILE` reads it with no options.
Everything is written under /tmp/newsfuse-bench, never into the repository.

    python bench/gva_corpus.py --articles 5000 --analysed     # build (or reuse) an analysed database
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "gva_semeval2018t5" / "violent_corpus.jsonl.gz"
CACHE = Path("/tmp/newsfuse-bench")
PYTHON = sys.executable


def rows(count: int, skip: int = 0) -> list[dict]:
    """GVA rows `skip` .. `skip + count` in file order (date order), with a non-empty text."""
    out: list[dict] = []
    seen = 0
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if not (row.get("text") or "").strip():
                continue
            seen += 1
            if seen <= skip:
                continue
            out.append({"id": row["id"], "title": row.get("title"), "text": row["text"], "published": row.get("dct"),
                        "url": row.get("url")})
            if len(out) >= count:
                break
    return out


def jsonl(count: int, skip: int = 0) -> Path:
    """A JSONL file of GVA rows `skip` .. `skip + count` (written once)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"gva-{skip}-{count}.jsonl"
    if not path.exists():
        tmp = path.with_suffix(".part")
        with open(tmp, "w", encoding="utf-8") as handle:
            for row in rows(count, skip):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        tmp.rename(path)
    return path


def newsfuse(db: Path, *args: str, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    """Run the CLI of this tree on `db` in a child process; an exit status outside `ok` is an error."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    done = subprocess.run([PYTHON, "-m", "newsfuse", "--db", str(db), *args], env=environ, capture_output=True, text=True)
    if done.returncode not in ok:
        raise RuntimeError(f"newsfuse {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done


def analysed_db(count: int, workers: int = 2) -> Path:
    """A database of the first `count` GVA articles, ingested and analysed (the attribution tagger off: the
    corpus is context for linking and grouping benchmarks, and the tagger does not change entities)."""
    path = CACHE / f"gva-analysed-{count}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".part")
        for stale in CACHE.glob(tmp.name + "*"):
            stale.unlink()
        # Exit status 1: some GVA pages are only navigation, and fail cleaning as they should.
        newsfuse(tmp, "ingest", "--no-cluster", str(jsonl(count)), ok=(0, 1))
        newsfuse(tmp, "analyse", "--workers", str(workers), env={"NEWSFUSE_QUOTE_TAGGER": "off"})
        newsfuse(tmp, "articles", "--limit", "1")  # checkpoints the WAL into the file before it is moved
        for suffix in ("-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        tmp.rename(path)
    return path


def copy_as_current(source: Path, target: Path) -> Path:
    """A copy of an analysed database whose analyses count as the current analysis version.

    Rebuilding a corpus of thousands of articles for every change to the analysis (dates, quotes ...) costs
    an hour of both cores here; benchmarks that only need stored analyses as context (linking, grouping)
    relabel them instead, and say so. The mentions linking reads change only with the entity rules."""
    import sqlite3

    sys.path.insert(0, str(ROOT / "src"))
    from newsfuse.analyse import VERSION

    shutil.copyfile(source, target)
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE annotations SET version = ? WHERE component = 'analysis'", (VERSION,))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--analysed", action="store_true", help="also build the analysed database")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(jsonl(args.articles))
    if args.analysed:
        print(analysed_db(args.articles, args.workers))


if __name__ == "__main__":
    main()
