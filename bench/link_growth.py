"""What analysing one new article costs as the corpus grows: incremental linking against 200 and 5,000 articles.

    python bench/link_growth.py                         # corpora of 200 and 5,000 GVA articles
    python bench/link_growth.py --sizes 200 1000 --repeat 3
    python bench/link_growth.py --write                 # `## Analysing one new article` in BENCHMARKS.md

Each corpus is the first N GVA articles (../shared/data/gva_semeval2018t5), ingested and analysed once
(bench/gva_corpus.py, cached under /tmp/newsfuse-bench; analyses from an older analysis version count as
current, see gva_corpus.copy_as_current), then linked from scratch (`newsfuse relink`,
timed: what every `analyse` used to cost). The new articles are the next --new GVA articles after the first
5,000 (texts GVA repeats skipped), the same for every size, each ingested and analysed alone, one after the
other, on a fresh copy of the corpus:

- `newsfuse analyse` in a child process, as a user runs it: interpreter, imports, model loads, the
  analysis and the linking (CPU seconds, user + system), per article;
- in one process with the models already loaded: the analysis of each article, and the linking alone
  (`pipeline.link_pending`), with how many stored mentions it read, per article.

The best of --repeat runs counts (the machine is shared; the best run is the least disturbed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from benchmarks_md import put_section  # noqa: E402
from e2e_cost import timed  # noqa: E402
from gva_corpus import analysed_db, copy_as_current, jsonl, newsfuse, rows  # noqa: E402

SECTION = "## Analysing one new article"
NEW_ARTICLE = 5000  # GVA rows skipped before the new articles: they are in no corpus measured here

IN_PROCESS = """
import json, sys, time
from newsfuse import api, pipeline
from newsfuse.analyse import quote_tagger
from newsfuse.text.models import nlp
from newsfuse.store import open_store

def cpu():
    return time.process_time()

api.fix_threads(1)
store = open_store(sys.argv[1])
nlp(); quote_tagger.version()
calls = {}
def counting(method):
    def read(values):
        rows = method(values)
        calls["read"] = calls.get("read", 0) + len(rows)
        return rows
    return read
store.link_nodes_with_keys = counting(store.link_nodes_with_keys)
store.link_nodes_of_entities = counting(store.link_nodes_of_entities)
analysed = linked = 0.0
for path in sys.argv[2:]:
    pipeline.ingest_inputs([path], store)
    started = cpu()
    assert pipeline.analyse_pending(store, link=False) == 1
    analysed += cpu() - started
    started = cpu()
    pipeline.link_pending(store)
    linked += cpu() - started
count = len(sys.argv) - 2
print(json.dumps({"analyse_cpu": analysed / count, "link_cpu": linked / count, "mentions_read": calls.get("read", 0) / count}))
"""


def relinked(size: int, work: Path) -> tuple[Path, float, int]:
    """A copy of the analysed corpus linked from scratch; (path, CPU seconds of `newsfuse relink`, entities)."""
    path = copy_as_current(analysed_db(size), work / f"corpus-{size}.sqlite")
    cpu, _, out = timed([sys.executable, "-m", "newsfuse", "--db", str(path), "relink", "--json"])
    entities = json.loads(out)["entities"]
    newsfuse(path, "articles", "--limit", "1")  # checkpoint the WAL, so the file alone is the corpus
    return path, cpu, entities


def new_articles(count: int) -> list[str]:
    """JSONL files of one GVA article each, from article NEW_ARTICLE + 1 on, skipping texts the corpora hold
    (GVA repeats some articles, which `ingest` stores once)."""
    seen = {row["text"] for row in rows(NEW_ARTICLE)}
    out, skip = [], NEW_ARTICLE
    while len(out) < count:
        row = rows(1, skip)[0]
        if row["text"] not in seen:
            seen.add(row["text"])
            out.append(str(jsonl(1, skip)))
        skip += 1
    return out


def measure(size: int, repeat: int, new: int, work: Path) -> dict:
    corpus, relink_cpu, entities = relinked(size, work)
    articles = new_articles(new)
    command, in_process = [], []
    for attempt in range(repeat):
        db = work / f"run-{size}-{attempt}.sqlite"
        shutil.copyfile(corpus, db)
        cpu = wall = 0.0
        for path in articles:
            newsfuse(db, "ingest", "--no-cluster", path)
            used, took, out = timed([sys.executable, "-m", "newsfuse", "--db", str(db), "analyse", "--json"])
            assert json.loads(out)["analysed"] == 1, out
            cpu, wall = cpu + used, wall + took
        command.append((cpu / new, wall / new))
        db = work / f"warm-{size}-{attempt}.sqlite"
        shutil.copyfile(corpus, db)
        in_process.append(json.loads(timed([sys.executable, "-c", IN_PROCESS, str(db), *articles])[2]))
    best = min(command)
    return {
        "size": size, "entities": entities, "relink_cpu": relink_cpu, "new": new,
        "command_cpu": best[0], "command_wall": best[1], "command_cpu_median": statistics.median(c for c, _ in command),
        "analyse_cpu": min(r["analyse_cpu"] for r in in_process), "link_cpu": min(r["link_cpu"] for r in in_process),
        "mentions_read": in_process[0]["mentions_read"],
    }


def table(results: list[dict]) -> str:
    rows = ["| corpus (GVA articles) | entities | `newsfuse analyse`, one new article: CPU s (best / median) "
            "| in process: analysis CPU s | in process: linking CPU s (stored mentions read) "
            "| full re-link, what each `analyse` did before: CPU s |",
            "|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        rows.append(f"| {r['size']:,} | {r['entities']:,} | {r['command_cpu']:.2f} / {r['command_cpu_median']:.2f} "
                    f"| {r['analyse_cpu']:.3f} | {r['link_cpu']:.3f} ({r['mentions_read']:,.0f}) | {r['relink_cpu']:.1f} |")
    if len(results) > 1:
        first, last = results[0], results[-1]
        rows.append("")
        rows.append(f"From {first['size']:,} to {last['size']:,} articles the command costs "
                    f"{100 * (last['command_cpu'] / first['command_cpu'] - 1):+.1f}% and the linking in it "
                    f"{1000 * (last['link_cpu'] - first['link_cpu']):+.0f} ms.")
    return "\n".join(rows)


def write(results: list[dict], command: str) -> None:
    body = (f"{SECTION}\n\n`{command}` — corpora of the first N GVA articles (`../shared/data/gva_semeval2018t5`, "
            f"analysed with the attribution tagger off, which does not change entities, and by the analysis version of "
            f"the day they were built, relabelled current: only the new articles are analysed), linked from scratch, then "
            f"{results[0]['new']} new articles (the next GVA articles after the first {NEW_ARTICLE:,}, repeats skipped) ingested and analysed one at a time "
            f"with the defaults (figures per article); "
            f"{dt.date.today().isoformat()}, 2 shared cores (1-minute load average {os.getloadavg()[0]:.1f} at the end).\n\n"
            f"{table(results)}\n")
    put_section(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 5000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--new", type=int, default=5, help="new articles, analysed one at a time")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="newsfuse-growth-") as tmp:
        for size in args.sizes:
            started = time.perf_counter()
            results.append(measure(size, args.repeat, args.new, Path(tmp)))
            print(json.dumps(results[-1]), f"({time.perf_counter() - started:.0f} s)", flush=True)
    print(table(results))
    if args.write:
        sizes = " ".join(str(size) for size in args.sizes)
        write(results, f"python bench/link_growth.py --sizes {sizes} --repeat {args.repeat} --new {args.new} --write")


if __name__ == "__main__":
    main()
