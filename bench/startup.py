"""How fast commands that only read stored results start: `newsfuse --help` and `report STORY --format json`.

    python bench/startup.py                 # the seeds run into a database under /tmp, then each command timed
    python bench/startup.py --write         # `## Start-up` in BENCHMARKS.md

The three seeds (../shared/seeds) go through `newsfuse run` into a fresh database (one fused story).
Each command then runs --repeat times in a fresh interpreter; the best wall and CPU seconds count (the
machine is shared: the best run is the least disturbed), with the median beside them. `python -X importtime`
names the slowest imports of `report`, and the heavy libraries it imported (none should be).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT / "bench"))

from benchmarks_md import put_section  # noqa: E402
from e2e_cost import timed  # noqa: E402

SECTION = "## Start-up"
HEAVY = ("numpy", "scipy", "sklearn", "spacy", "onnxruntime", "onnx", "datasketch", "torch", "tokenizers", "pandas")


def slowest_imports(args: list[str], count: int = 8) -> tuple[list[tuple[str, float]], list[str]]:
    """The modules with the largest cumulative import time for one command, and the heavy ones imported."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "newsfuse", *args], env=env, capture_output=True,
                          text=True)
    times = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 2:  # top-level imports only, not what they import in turn
            times.append((match.group(3), int(match.group(1)) / 1e6))
    names = {m for m, _ in times} | {re.sub(r".*\| *", "", line).strip() for line in done.stderr.splitlines()}
    heavy = sorted(h for h in HEAVY if h in names)
    return sorted(times, key=lambda t: -t[1])[:count], heavy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsfuse-startup-") as tmp:
        db = str(Path(tmp) / "db.sqlite")
        _, _, out = timed([sys.executable, "-m", "newsfuse", "--db", db, "run", str(SEEDS), "--out",
                           str(Path(tmp) / "out"), "--json"])
        story = json.loads(Path(next(p for p in json.loads(out)["outputs"] if p.endswith(".json") and "/stories/" in p))
                           .read_text(encoding="utf-8"))["id"]
        commands = {"newsfuse --help": ["--help"],
                    "newsfuse report STORY --format json": ["--db", db, "report", story, "--format", "json"],
                    "newsfuse stories --json": ["--db", db, "stories", "--json"]}
        rows = []
        for label, command in commands.items():
            runs = [timed([sys.executable, "-m", "newsfuse", *command])[:2] for _ in range(args.repeat)]
            rows.append((label, min(w for _, w in runs), statistics.median(w for _, w in runs),
                         min(c for c, _ in runs), statistics.median(c for c, _ in runs)))
        imports, heavy = slowest_imports(commands["newsfuse report STORY --format json"])
    table = ["| command | wall s (best / median) | CPU s (best / median) |", "|---|---:|---:|"]
    table += [f"| `{label}` | {w:.2f} / {wm:.2f} | {c:.2f} / {cm:.2f} |" for label, w, wm, c, cm in rows]
    listing = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in imports)
    text = "\n".join(table) + (f"\n\nSlowest top-level imports of `report` (cumulative, `-X importtime`): {listing}. "
                               f"Heavy libraries imported: {', '.join(heavy) or 'none'}.")
    print(text)
    if args.write:
        body = (f"{SECTION}\n\n`python bench/startup.py --repeat {args.repeat} --write` — each command {args.repeat} times in a "
                f"fresh interpreter on a database of the three seeds (one fused story), {dt.date.today().isoformat()}, "
                f"2 shared cores (1-minute load average {os.getloadavg()[0]:.1f} at the end).\n\n{text}\n")
        put_section(body)


if __name__ == "__main__":
    main()
