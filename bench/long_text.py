"""Analysis time and memory against paragraph length: linear once over-long paragraphs are parsed in pieces.

    .venv/bin/python bench/long_text.py                      # 10,000 / 100,000 / 1,000,000 characters
    .venv/bin/python bench/long_text.py --sizes 20000 80000  # others
    .venv/bin/python bench/long_text.py --write              # the table into BENCHMARKS.md (RELIABILITY)

Each size is one paragraph of project-written sentences (tests/analyse/test_analyse_long_text.py writes
them), analysed in a fresh process with the quote tagger off (its MiniLM windows are linear too, but slow)
after the models are loaded; wall time and peak RSS of that process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one(size: int) -> dict[str, float]:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from newsfuse.analyse import analyse_article
    from newsfuse.models import Article
    from newsfuse.text.models import nlp
    from tests.analyse.test_analyse_long_text import long_paragraph

    nlp()
    text = long_paragraph(size)
    article = Article(id="long", title="A long one", text=text, paragraphs=(text,), outlet="Test",
                      outlet_found_by="flag", published="2025-03-12", published_found_by="flag", language="en")
    started = time.perf_counter()
    analysis = analyse_article(article, "off")
    return {"chars": size, "seconds": time.perf_counter() - started, "sentences": len(analysis.sentences),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for size in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(rows[-1], file=sys.stderr, flush=True)
    table = ["| paragraph (characters) | sentences | seconds | µs per character | peak RSS (MB) |", "|---|---|---|---|---|"]
    table += [f"| {r['chars']:,} | {r['sentences']:,} | {r['seconds']:.1f} | {r['seconds'] / r['chars'] * 1e6:.0f} | "
              f"{r['peak_mb']:.0f} |" for r in rows]
    body = ("### Analysis of one long paragraph\n\n`python bench/long_text.py` (the quote tagger off, models "
            "loaded first): one paragraph of project-written sentences per size.\n\n" + "\n".join(table))
    print(body)
    if args.write:
        sys.path.insert(0, str(ROOT / "bench"))
        from fuzz import write_subsection

        write_subsection("### Analysis of one long paragraph", body)


if __name__ == "__main__":
    main()
