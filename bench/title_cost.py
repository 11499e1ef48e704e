"""CPU time of grouping's title-vector pass (text/embeddings.embed over features.embedding_text) per variant.

    .venv/bin/python bench/title_cost.py                          # 6:48 4:48 3:48 6:24, first 500 GVA articles
    .venv/bin/python bench/title_cost.py --variants 6:48 3:48 --articles 500 --rounds 2

A variant is LAYERS:WORDS (MiniLM encoder layers run, words of the lead after the title; models.TITLES_LAYERS,
features.EMBED_LEAD_WORDS). One onnxruntime thread, fp32 batched as `embed` runs; the variants alternate
within each round so that the machine's load falls on each alike; each model is loaded outside the timing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.stories import features  # noqa: E402
from newsfuse.text import embeddings, models, threads  # noqa: E402
import stories_data as sd  # noqa: E402


def use(layers: int, words: int) -> None:
    models.TITLES_LAYERS = embeddings.TITLES_LAYERS = layers
    features.EMBED_LEAD_WORDS = words
    embeddings.model_name.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variants", nargs="+", default=["6:48", "4:48", "3:48", "6:24"])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    threads.limit_threads(1)
    articles = [item.article for item in sd.gva()[:args.articles]]
    variants = [tuple(int(x) for x in v.split(":")) for v in args.variants]
    for layers, words in variants:  # build / load each graph outside the timing
        use(layers, words)
        embeddings.embed([features.embedding_text(articles[0])])
    times: dict[tuple[int, int], list[float]] = {v: [] for v in variants}
    for _ in range(args.rounds):
        for layers, words in variants:
            use(layers, words)
            texts = [features.embedding_text(a) for a in articles]
            start = time.process_time()
            embeddings.embed(texts)
            times[(layers, words)].append(time.process_time() - start)
    print(f"{len(articles)} GVA articles, one thread, load average {os.getloadavg()[0]:.1f} "
          f"[{time.strftime('%H:%M', time.gmtime())} UTC]")
    for (layers, words), spent in times.items():
        print(f"{layers} layers, {words} words: " + " / ".join(f"{t:.2f}" for t in spent) +
              f" CPU-s; {1000 / len(articles) * min(spent):.1f} CPU-s per 1,000 articles (best round)")


if __name__ == "__main__":
    main()
