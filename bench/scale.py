"""Scale: articles/s per engine and worker count, and per-article cost and memory as the corpus grows.

    .venv/bin/python bench/scale.py engines --articles 60 --workers 1 2        # full analysis, local and ray
    .venv/bin/python bench/scale.py stages --sizes 10000 100000                # every stage but analysis
    .venv/bin/python bench/scale.py stages --sizes 1000000 --until split       # stop after splitting
    .venv/bin/python bench/scale.py stages --sizes 10000 --until load --db postgresql://...  # into PostgreSQL

The corpus is the GVA "violent corpus" (../shared/data/gva_semeval2018t5, 6,335 articles) replicated:
copy k has its dates shifted by k x SHIFT_DAYS, its outlet renamed per copy, and a closing line naming
the copy (so its articles are new articles, not duplicates). Inputs are JSONL files of FILE_LINES lines,
as a news archive dump would be.

`engines` times `run --shards`'s per-article stages (split, read, clean, analyse into Parquet shards) with
each engine and worker count on the first N articles. `stages` times, per size and each in a fresh
process: split (read the JSONL into input shards), clean (read + clean into output shards, no analysis,
the local engine with --workers), load (store the shards in SQLite), group (`cluster`); per stage the
ms per article and the process's peak resident memory (workers' peak separately).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# CPU time (this process and its finished workers): the cost on an idle machine, which wall time on a
# shared one overstates.
from newsfuse.timing import cpu_seconds  # after the path insert: the checkout's newsfuse

GVA = ROOT.parent / "shared" / "data" / "gva_semeval2018t5" / "violent_corpus.jsonl.gz"
SHIFT_DAYS = 1600  # longer than the corpus's 4.3 years, so copies never overlap in time
FILE_LINES = 10_000
STAGES = ("split", "clean", "load", "group")


def gva_rows() -> list[dict]:
    with gzip.open(GVA, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def write_corpus(folder: Path, total: int) -> list[str]:
    """`total` replicated GVA articles as JSONL files of FILE_LINES lines; the file paths."""
    rows = gva_rows()
    folder.mkdir(parents=True, exist_ok=True)
    paths, handle, written = [], None, 0
    while written < total:
        copy, row = divmod(written, len(rows))
        original = rows[row]
        if written % FILE_LINES == 0:
            if handle:
                handle.close()
            paths.append(str(folder / f"gva-{len(paths):04d}.jsonl"))
            handle = open(paths[-1], "w", encoding="utf-8")
        day = dt.date.fromisoformat(original["dct"]) + dt.timedelta(days=copy * SHIFT_DAYS)
        handle.write(json.dumps({
            "id": f"{original['id']}-{copy}", "title": original["title"], "published": day.isoformat(),
            "outlet": f"GVA Wire {copy}", "url": f"https://copy{copy}.example/{original['id']}",
            "text": f"{original['text']}\n\nFiled as report {copy}.",
        }, ensure_ascii=False) + "\n")
        written += 1
    if handle:
        handle.close()
    return paths


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its finished children (the workers), in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


# ---------------------------------------------------------------- engines

def engines(args: argparse.Namespace) -> None:
    from newsfuse import pipeline
    from newsfuse.engines import EngineOptions, process_shards
    from newsfuse.ingest import ReadOptions
    from newsfuse.store.shards import ShardDir

    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        corpus = write_corpus(Path(tmp) / "corpus", args.articles)
        print(f"{args.articles} GVA articles, shards of {args.shard_size}; full read + clean + analyse", flush=True)
        for engine in args.engines:
            for workers in args.workers:
                shards = ShardDir(Path(tmp) / f"{engine}-{workers}")
                started, cpu = time.perf_counter(), cpu_seconds()
                names = pipeline.split_inputs(corpus, shards, ReadOptions(), args.shard_size)
                process_shards(shards, names, ReadOptions(), EngineOptions(engine=engine, workers=workers))
                seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
                print(f"engine={engine:<5} workers={workers}  {seconds:7.1f} s  {args.articles / seconds:6.2f} articles/s"
                      f"  CPU {cpu / args.articles:5.2f} s/article (reaped processes only)"
                      f"  (start-up included; load average {os.getloadavg()[0]:.1f})", flush=True)


# ---------------------------------------------------------------- stages

def stages(args: argparse.Namespace) -> None:
    for size in args.sizes:
        command = [sys.executable, __file__, "one-size", str(size), "--until", args.until,
                   "--workers", str(args.workers), "--shard-size", str(args.shard_size)]
        if args.db:
            command += ["--db", args.db]
        if args.tmp:
            command += ["--tmp", args.tmp]
        subprocess.run(command, check=True)


def one_size(args: argparse.Namespace) -> None:
    from newsfuse import pipeline
    from newsfuse.engines import EngineOptions, process_shards
    from newsfuse.ingest import ReadOptions
    from newsfuse.store import open_store
    from newsfuse.store.shards import ShardDir

    size = args.size
    tmp = Path(tempfile.mkdtemp(prefix="newsfuse-scale-", dir=args.tmp))
    try:
        started = time.perf_counter()
        corpus = write_corpus(tmp / "corpus", size)
        print(f"size {size:,}: corpus written in {time.perf_counter() - started:.0f} s "
              f"({sum(Path(p).stat().st_size for p in corpus) / 1e6:.0f} MB)", flush=True)
        shards, read = ShardDir(tmp / "shards"), ReadOptions()
        store = open_store(args.db or tmp / "scale.sqlite")
        names: list[str] = []

        def split() -> None:
            names.extend(pipeline.split_inputs(corpus, shards, read, args.shard_size))

        def clean() -> None:
            process_shards(shards, names, read, EngineOptions(workers=args.workers, analyse=False))

        def load() -> None:
            report = pipeline.store_shards(store, shards, names, analyse=False)
            print(f"size {size:>9,}  stored {len(report.ingested):,} articles, {len(report.duplicates):,} duplicates"
                  f" (the same text twice in GVA), {len(report.failed):,} failed", flush=True)

        def group() -> None:
            pipeline.cluster_pending(store)

        for stage, work in zip(STAGES, (split, clean, load, group)):
            started, cpu = time.perf_counter(), cpu_seconds()
            work()
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            own, workers = peak_mb()
            print(f"size {size:>9,}  {stage:<5}  wall {seconds:8.1f} s  CPU {1000 * cpu / size:7.3f} ms/article  "
                  f"peak RSS {own:6.0f} MB (workers {workers:5.0f} MB)", flush=True)
            if stage == args.until:
                break
        if args.until == "group":
            print(f"size {size:>9,}  stories {store.count_stories():,}", flush=True)
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("engines", help="articles/s per engine and worker count, full analysis")
    one.add_argument("--articles", type=int, default=60)
    one.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    one.add_argument("--engines", nargs="+", default=["local", "ray"])
    one.add_argument("--shard-size", type=int, default=10)
    for name in ("stages", "one-size"):
        part = sub.add_parser(name, help="per-article cost and memory per stage as the corpus grows")
        if name == "stages":
            part.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
        else:
            part.add_argument("size", type=int)
        part.add_argument("--until", choices=STAGES, default="group")
        part.add_argument("--workers", type=int, default=2)
        part.add_argument("--shard-size", type=int, default=2000)
        part.add_argument("--db", help="store into this empty database (a postgresql:// URL) instead of a new SQLite file")
    for part in sub.choices.values():
        part.add_argument("--tmp", help="folder for the corpus, shards and database (default: the system's)")
    args = parser.parse_args()
    {"engines": engines, "stages": stages, "one-size": one_size}[args.command](args)


if __name__ == "__main__":
    main()
