"""Speed of the analysis stage against bare spaCy `nlp.pipe` on the same articles, in the same run.

The figure is the ratio: what the analysis adds on top of parsing. Articles are PolNeAR's dev and test
texts (real US news, ../shared/data/polnear), replicated to --articles. Peak memory is the largest
resident set of any process (ru_maxrss), parent and workers.

  python bench/analyse_speed.py --articles 60              # quick, one process
  python bench/analyse_speed.py --articles 336 --workers 2 --write   # reported figure, 2 cores
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "polnear" / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.models import Article  # noqa: E402


def load_articles(count: int) -> list[Article]:
    paths = sorted((DATA / "dev" / "text").glob("*.txt")) + sorted((DATA / "test" / "text").glob("*.txt"))
    articles = []
    for i in range(count):
        path = paths[i % len(paths)]
        text = path.read_text(encoding="utf-8")
        paragraphs = tuple(p for p in text.split("\n") if p.strip())
        body = "\n\n".join(paragraphs)
        articles.append(Article(id=f"{i}", title=paragraphs[0][:120], text=body, paragraphs=paragraphs,
                                outlet=None, outlet_found_by=None, published="2016-10-15",
                                published_found_by=None, language="en"))
    return articles


def _init() -> None:
    from newsfuse.text.models import nlp
    from newsfuse.text.threads import limit_threads

    limit_threads(1)
    nlp()
    stock_nlp()


@lru_cache(maxsize=1)
def stock_nlp() -> Any:
    """en_core_web_sm as Explosion ships it (the baseline): newsfuse's nlp() evaluates its attribute_ruler by
    table (text/attribute_table.py), which gives the same parses in less time."""
    import spacy

    from newsfuse.text.models import spacy_model_name

    return spacy.load(spacy_model_name())


def bare(articles: list[Article]) -> int:
    """Parse the same texts (titles and paragraphs) the analysis parses with the stock pipeline; returns tokens."""
    from newsfuse.analyse.sentences import PIPE_BATCH

    texts = [t for a in articles for t in (a.title, *a.paragraphs)]
    return sum(len(doc) for doc in stock_nlp().pipe(texts, batch_size=PIPE_BATCH))


def full(articles: list[Article]) -> int:
    """Full analysis; returns the number of quotes found (so the work cannot be skipped)."""
    from newsfuse.analyse import analyse_articles

    return sum(len(a.quotes) for a in analyse_articles(articles))


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed(func, articles: list[Article], pool: ProcessPoolExecutor | None, workers: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    if pool is None:
        result = func(articles)
    else:
        size = -(-len(articles) // workers)
        result = sum(pool.map(func, [articles[i:i + size] for i in range(0, len(articles), size)]))
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2, help="Alternating runs of each; the best time counts.")
    parser.add_argument("--write", action="store_true", help="Write the figures into BENCHMARKS.md.")
    args = parser.parse_args()
    articles = load_articles(args.articles)
    pool = None
    if args.workers > 1:
        pool = ProcessPoolExecutor(max_workers=args.workers, initializer=_init)
        list(pool.map(bare, [articles[:1]] * args.workers))  # warm every worker
    else:
        _init()
        bare(articles[:2])
    # Alternate the two runs and keep each one's best time: the machine is shared, so single runs are noisy.
    bare_runs, full_runs = [], []
    for _ in range(args.repeat):
        bare_runs.append(timed(bare, articles, pool, args.workers))
        full_runs.append(timed(full, articles, pool, args.workers))
    bare_s, tokens = min(bare_runs)
    full_s, quotes = min(full_runs)
    from newsfuse.analyse import COMPONENTS, _analyse, analyse_articles, link_entities, quote_tagger
    from newsfuse.text.models import nlp
    from newsfuse.analyse.sentences import parse_articles

    # The rules alone, on documents already parsed: the analysis's own cost, free of parse-time noise.
    sample = articles[: min(len(articles), 84)]
    started = time.perf_counter()
    bare(sample)
    parse_only_s = time.perf_counter() - started
    started = time.perf_counter()
    parsed = list(parse_articles(sample, nlp()))
    own_parse_s = time.perf_counter() - started
    started = time.perf_counter()
    for item in parsed:
        _analyse(item, COMPONENTS, quote_tagger.weights())
    rules_s = time.perf_counter() - started
    started = time.perf_counter()
    for item in parsed:
        _analyse(item, COMPONENTS, quote_tagger.weights("off"))
    untagged_s = time.perf_counter() - started
    started = time.perf_counter()
    for item in parsed:
        _analyse(item, COMPONENTS, quote_tagger.weights(quote_tagger.BILSTM))
    bilstm_s = time.perf_counter() - started
    analyses = list(analyse_articles(articles[: min(len(articles), 100)]))
    started = time.perf_counter()
    link_entities(list(zip(articles, analyses)))
    link_s = time.perf_counter() - started
    if pool is not None:
        pool.shutdown()
    rows = [
        "| run | articles/s | tokens/s | seconds |",
        "|---|---|---|---|",
        f"| bare `nlp.pipe` (en_core_web_sm as shipped, full pipeline) | {len(articles) / bare_s:.2f} | {tokens / bare_s:,.0f} | {bare_s:.1f} |",
        f"| full analysis (parse + entities + quotes with the tagger + dates + amounts) | {len(articles) / full_s:.2f} | {tokens / full_s:,.0f} | {full_s:.1f} |",
    ]
    rows.append(f"| analysis after the parse (rules + attribution tagger), {len(sample)} parsed articles, one process "
                f"| {len(sample) / rules_s:.1f} | – | {rules_s:.2f} |")
    rows.append(f"| the same with the earlier tagger (`NEWSFUSE_QUOTE_TAGGER=bilstm`: no fine-tuned MiniLM layers) "
                f"| {len(sample) / bilstm_s:.1f} | – | {bilstm_s:.2f} |")
    rows.append(f"| the same with the tagger off (`NEWSFUSE_QUOTE_TAGGER=off`: rules alone) "
                f"| {len(sample) / untagged_s:.1f} | – | {untagged_s:.2f} |")
    body = "\n".join(rows) + (
        f"\n\n{len(articles)} articles ({tokens:,} tokens, {quotes:,} quotes found), {args.workers} worker process(es) "
        f"on {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f}: the machine is shared). "
        f"**Ratio full / bare: {full_s / bare_s:.2f}×** on wall time; measured apart, one process, parsing the first "
        f"{len(sample)} articles takes {parse_only_s:.1f} s with the stock pipeline and {own_parse_s:.1f} s with newsfuse's "
        f"(its attribute_ruler by table: the same parses), and the analysis after the parse {rules_s:.2f} s, so "
        f"**full / bare = {(own_parse_s + rules_s) / parse_only_s:.2f}×** "
        f"({(own_parse_s + bilstm_s) / parse_only_s:.2f}× with the earlier tagger, "
        f"{(own_parse_s + untagged_s) / parse_only_s:.2f}× with the tagger off). Corpus-level linking of {len(analyses)} analysed articles: "
        f"{link_s:.2f} s. Peak memory (largest process): {peak_mib():.0f} MiB. "
        "Explosion's published speed for en_core_web_sm on CPU: 9,426 words/s; measured here before: ~3,600 tokens/s per core."
    )
    print(body)
    if args.write:
        from analysis_report import write_block

        write_block("speed", "Analysis speed", body,
                    f"python bench/analyse_speed.py --articles {args.articles} --workers {args.workers} "
                    f"--repeat {args.repeat} --write")


if __name__ == "__main__":
    main()
