"""Web app under load on loopback: requests/s and p50/p99 latency at 1, 10 and 50 concurrent clients, while an
ingest is writing to the same database, beside the same server returning a static file of the same size.

    .venv/bin/python bench/web_load.py                 # build the database, run every target and level
    .venv/bin/python bench/web_load.py --seconds 3     # a quicker run
    .venv/bin/python bench/web_load.py --write         # also write `## Web app under load` in BENCHMARKS.md

The database holds the seeds and the project's examples (fused) plus the first --articles articles of the
GVA corpus (../shared/data/gva_semeval2018t5, grouped into stories); during the measurement a separate
`newsfuse ingest` process stores the next GVA articles (and groups them) into the same database. The server
is one process (uvicorn, as `newsfuse serve` runs it) with its background worker off, so what is measured
is serving, not fusing; the client is another process (asyncio, keep-alive connections). Everything runs on
this machine's 2 cores: the client and the ingest compete with the server, as they would on a laptop.
Generated data stays under /tmp.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GVA = SHARED / "data" / "gva_semeval2018t5" / "violent_corpus.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchmarks_md import put_section  # noqa: E402

LEVELS = (1, 10, 50)
SECTION = "## Web app under load"
SERVER = """
import sys, uvicorn
from starlette.staticfiles import StaticFiles
from newsfuse.web import create_app
app = create_app(sys.argv[1], background=False)
app.mount("/bench-static", StaticFiles(directory=sys.argv[2]), name="bench-static")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def gva_jsonl(path: Path, start: int, count: int) -> int:
    """Write GVA articles [start, start+count) as JSONL; returns how many were written."""
    written = 0
    with gzip.open(GVA, "rt", encoding="utf-8") as source, open(path, "w", encoding="utf-8") as out:
        for n, line in enumerate(source):
            if n < start:
                continue
            if written >= count:
                break
            out.write(line)
            written += 1
    return written


def build(folder: Path, articles: int) -> Path:
    from newsfuse import api
    from newsfuse.ingest import ReadOptions
    from newsfuse.ingest.options import DEFAULT_JSONL_FIELDS

    db = folder / "bench.sqlite"
    with api.open_db(db) as store:
        api.run([str(SHARED / "seeds"), str(ROOT / "examples" / "articles")], store, folder / "out")
        first = folder / "gva-first.jsonl"
        gva_jsonl(first, 0, articles)
        api.ingest([str(first)], store, ReadOptions(jsonl_fields={**DEFAULT_JSONL_FIELDS, "published": "dct"}))
        api.cluster(store)
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def one_client(port: int, path: str, until: float, latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode()
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(str(status))
    finally:
        writer.close()


async def load(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(one_client(port, path, until, latencies, errors) for _ in range(clients)))
    took = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(latencies), "rps": len(latencies) / took,
            "p50_ms": 1000 * statistics.median(ordered) if ordered else float("nan"),
            "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan"),
            "errors": len(errors)}


def fetch(port: int, path: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as reply:  # noqa: S310 - loopback
        return reply.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=900, help="GVA articles in the database before the run")
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds per target and level")
    parser.add_argument("--write", action="store_true", help="write the table into BENCHMARKS.md")
    args = parser.parse_args()
    load_average = round(os.getloadavg()[0], 1)
    folder = Path(tempfile.mkdtemp(prefix="newsfuse-webload-"))
    print(f"building the database under {folder} ...", flush=True)
    db = build(folder, args.articles)
    from newsfuse import api

    with api.open_db(db) as store:
        stories = api.list_stories(store, limit=100_000)
        story = max(stories, key=lambda s: (store.fused(s.id) is not None, len(s.article_ids)))
        counts = (store.count_articles(), len(stories))
    static = folder / "static"
    static.mkdir()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(static), str(port)], env=env)
    writer = None
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                fetch(port, "/api/changes")
                break
            except OSError:
                time.sleep(0.2)
        story_path = f"/stories/{story.id}"
        size = len(fetch(port, story_path))
        (static / "page.html").write_bytes(b"x" * size)
        targets = {"front page /": "/", f"story page ({len(story.article_ids)} articles)": story_path,
                   "API /api/stories": "/api/stories", f"static file ({size:,} B)": "/bench-static/page.html"}
        more = folder / "gva-more.jsonl"
        gva_jsonl(more, args.articles, 6000)
        writer = subprocess.Popen([sys.executable, "-m", "newsfuse", "--db", str(db), "ingest", str(more),
                                   "--field", "published=dct", "--json"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)  # the ingest is under way before the first measurement
        results = []
        for label, path in targets.items():
            fetch(port, path)  # warm: the first render of a page is not what a reader waits for every time
            for clients in LEVELS:
                row = asyncio.run(load(port, path, clients, args.seconds))
                row.update(target=label, clients=clients, ingest_running=writer.poll() is None)
                results.append(row)
                print(f"{label:32} {clients:>3} clients: {row['rps']:7.1f} req/s  p50 {row['p50_ms']:7.1f} ms  "
                      f"p99 {row['p99_ms']:7.1f} ms  errors {row['errors']}  ingest running: {row['ingest_running']}",
                      flush=True)
        with api.open_db(db) as store:
            after = store.count_articles()
    finally:
        if writer is not None and writer.poll() is None:
            writer.terminate()
            writer.wait(30)
        server.terminate()
        server.wait(30)
    summary = {"articles_before": counts[0], "stories_before": counts[1], "articles_after": after,
               "seconds": args.seconds, "results": results, "load_average": load_average}
    print(json.dumps(summary, indent=1))
    if args.write:
        write_benchmarks(summary)


def write_benchmarks(summary: dict) -> None:
    rows = summary["results"]
    by = {(r["target"], r["clients"]): r for r in rows}
    targets = list(dict.fromkeys(r["target"] for r in rows))
    static = next(t for t in targets if t.startswith("static"))
    story = next(t for t in targets if t.startswith("story"))
    lines = [SECTION, "",
             f"`bench/web_load.py` ({platform.machine()}, 2 cores, {summary['seconds']:g} s per cell): one server "
             f"process (worker off), a keep-alive asyncio client in another process, and `newsfuse ingest` writing "
             f"GVA articles into the same database throughout ({summary['articles_before']:,} articles and "
             f"{summary['stories_before']:,} stories before, {summary['articles_after']:,} after; the machine's load "
             f"average was {summary.get('load_average', '?')} when it started, others' jobs included). req/s, p50 / p99 ms:", "",
             "| target | " + " | ".join(f"{c} client{'s' if c > 1 else ''}" for c in LEVELS) + " |",
             "|---|" + "---|" * len(LEVELS)]
    for target in targets:
        cells = [f"{by[(target, c)]['rps']:.0f} req/s, {by[(target, c)]['p50_ms']:.1f} / {by[(target, c)]['p99_ms']:.1f} ms"
                 + (f", {by[(target, c)]['errors']} errors" if by[(target, c)]["errors"] else "") for c in LEVELS]
        lines.append(f"| {target} | " + " | ".join(cells) + " |")
    ratio = by[(story, 50)]["rps"] / by[(static, 50)]["rps"]
    growth = by[(story, 10)]["rps"] / by[(story, 1)]["rps"]
    lines += ["", f"At 50 clients the story page serves {ratio:.0%} of the static file's throughput (goal ≥ 50%); from "
              f"1 to 10 clients its throughput grows {growth:.2f}×. Reproduce: `.venv/bin/python bench/web_load.py --write`. "
              "Schemathesis runs every documented API operation with generated requests in "
              "`tests/web/test_openapi_fuzz.py`: no server error.", ""]
    put_section("\n".join(lines))


if __name__ == "__main__":
    main()
