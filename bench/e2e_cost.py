"""What the whole job costs beside bare spaCy: CPU seconds of `newsfuse run` and of `nlp.pipe` on the same texts.

    python bench/e2e_cost.py --articles 200                  # quick
    python bench/e2e_cost.py --articles 1000 --write         # the reported figure (BENCHMARKS.md)
    python bench/e2e_cost.py --articles 1000 --workers 2     # two processes for the analysis, and for spaCy

The first N GVA articles (../shared/data/gva_semeval2018t5, real US local news; written as JSONL under
/tmp by bench/gva_corpus.py) go through `newsfuse run FILE --out DIR --json` in a child process on a
fresh database. Then, in the same run, bare spaCy parses the same texts the analysis parses (each
stored article's title and paragraphs, after cleaning) with the same model as shipped and batch size, in as many
processes: the floor any analysis built on that parse has to pay. CPU seconds (user + system, worker
processes included) are the measure: the machine is shared, and CPU time varies far less with the load
than wall time. Both children start cold (interpreter, imports, model loads), as a user's run does.
`newsfuse run` reports the seconds of each of its phases itself (`phases` in its JSON).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from benchmarks_md import put_section  # noqa: E402
from gva_corpus import jsonl  # noqa: E402

SECTION = "## End-to-end cost"

BARE = """
import json, sys, time
from concurrent.futures import ProcessPoolExecutor
from newsfuse import api
from newsfuse.store import open_store
from newsfuse.analyse.sentences import PIPE_BATCH

def parse(texts):
    # en_core_web_sm as shipped: newsfuse's own nlp() evaluates the attribute_ruler by table (same parses)
    import spacy
    from newsfuse.text.models import spacy_model_name
    return sum(len(doc) for doc in spacy.load(spacy_model_name()).pipe(texts, batch_size=PIPE_BATCH))

workers = int(sys.argv[2])
api.fix_threads(workers)
store = open_store(sys.argv[1])
texts = [[a.title or "", *a.paragraphs] for a in store.articles()]
flat = [t for item in texts for t in item]
if workers == 1:
    tokens = parse(flat)
else:
    size = -(-len(texts) // workers)
    parts = [[t for item in texts[i:i + size] for t in item] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(workers) as pool:
        tokens = sum(pool.map(parse, parts))
print(json.dumps({"texts": len(flat), "tokens": tokens}))
"""


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, stdout) of a child process and every process it waited for."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cpu, wall = child_cpu(), time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode not in ok:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-3000:]}")
    return child_cpu() - cpu, time.perf_counter() - wall, done.stdout


def measure(articles: int, workers: int) -> dict:
    source = jsonl(articles)
    with tempfile.TemporaryDirectory(prefix="newsfuse-e2e-") as tmp:
        db = Path(tmp) / "db.sqlite"
        load_before = os.getloadavg()[0]
        # Exit status 1: some GVA pages hold only navigation and fail cleaning, as they should.
        run_cpu, run_wall, out = timed([sys.executable, "-m", "newsfuse", "--db", str(db), "run", str(source),
                                        "--out", str(Path(tmp) / "out"), "--json", "--workers", str(workers)], ok=(0, 1))
        summary = json.loads(out)
        bare_cpu, bare_wall, out = timed([sys.executable, "-c", BARE, str(db), str(workers)])
        parsed = json.loads(out)
        load_after = os.getloadavg()[0]
    return {"articles": articles, "workers": workers, "stored": summary["ingested"], "failed": summary["failed"],
            "run_cpu": run_cpu, "run_wall": run_wall, "bare_cpu": bare_cpu, "bare_wall": bare_wall,
            "phases": summary["phases"], "texts": parsed["texts"], "tokens": parsed["tokens"],
            "load": (load_before, load_after)}


def table(result: dict) -> str:
    ratio = result["run_cpu"] / result["bare_cpu"]
    rows = ["| | CPU s | wall s |", "|---|---:|---:|"]
    for name, phase in result["phases"].items():
        rows.append(f"| `run` phase: {name} | {phase['cpu_s']:.1f} | {phase['wall_s']:.1f} |")
    rows.append(f"| **`newsfuse run`, whole process** | **{result['run_cpu']:.1f}** | {result['run_wall']:.1f} |")
    rows.append(f"| bare `nlp.pipe`, whole process (same texts, stock model, batch and processes) | {result['bare_cpu']:.1f} "
                f"| {result['bare_wall']:.1f} |")
    rows.append(f"| **ratio** | **{ratio:.2f}×** | {result['run_wall'] / result['bare_wall']:.2f}× |")
    return "\n".join(rows)


def write(result: dict, command: str) -> None:
    body = (
        f"{SECTION}\n\n`{command}` — the first {result['articles']:,} GVA articles "
        f"(`../shared/data/gva_semeval2018t5`; {result['stored']:,} stored, {result['failed']} failed cleaning) through "
        f"`newsfuse run --workers {result['workers']}` on a fresh database, then bare spaCy `nlp.pipe` (en_core_web_sm "
        f"as shipped, all its components; newsfuse's own pipeline applies the attribute_ruler by table, same parses; batch 64, {result['workers']} process(es)) over the same {result['texts']:,} texts ({result['tokens']:,} tokens) "
        f"in the same run; both children cold-started; CPU seconds are user + system of the process and its workers. "
        f"Python {platform.python_version()}, {dt.date.today().isoformat()}; 1-minute load average "
        f"{result['load'][0]:.1f} before, {result['load'][1]:.1f} after (2 cores, shared).\n\n"
        f"{table(result)}\n"
    )
    put_section(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--write", action="store_true", help=f"write `{SECTION}` in BENCHMARKS.md")
    args = parser.parse_args()
    result = measure(args.articles, args.workers)
    print(json.dumps(result, indent=1))
    print(table(result))
    if args.write:
        command = "python bench/e2e_cost.py --articles {} --workers {} --write".format(args.articles, args.workers)
        write(result, command)


if __name__ == "__main__":
    main()
