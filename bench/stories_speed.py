"""Speed of the story grouping path: features, assignment, and the store-backed `cluster`, as the corpus grows.

    .venv/bin/python bench/stories_speed.py --sizes 10000 100000     # in-memory index, per-article cost
    .venv/bin/python bench/stories_speed.py --horizon --sizes 10000 100000 1000000   # bounded (HORIZON_DAYS)
    .venv/bin/python bench/stories_speed.py --store 10000            # through SQLite, as `newsfuse cluster`
    .venv/bin/python bench/stories_speed.py --analysed DB            # features with / without stored analysis

The GVA corpus is replicated with its dates shifted by SHIFT_DAYS per copy and its entity names
marked per copy (new events have new names), so later copies meet a larger index with the same kind
of text; each copy keeps its article's title-and-lead embedding (cached, stories_data.py), whose cost
is timed apart (once per article). Memory is the process's resident size at each checkpoint.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.stories import assign, features  # noqa: E402
from newsfuse.stories.index import HORIZON_DAYS, StoryIndex  # noqa: E402
import stories_data as sd  # noqa: E402

SHIFT_DAYS = 1600  # longer than the corpus's 4.3 years, so copies never overlap in time
WINDOW = 2000  # articles timed just before each checkpoint


def replicated(feats: list[features.ArticleFeatures], total: int) -> Iterator[features.ArticleFeatures]:
    copy = 0
    while True:
        for feat in feats:
            if total <= 0:
                return
            total -= 1
            if copy == 0:
                yield feat
                continue
            shift = copy * SHIFT_DAYS
            yield dataclasses.replace(
                feat, article_id=f"{feat.article_id}-{copy}", day=feat.day + shift if feat.day else None,
                dates=tuple(d + shift for d in feat.dates),
                entities={f"{k}#{copy}": v for k, v in feat.entities.items()},  # new events have new names
            )
        copy += 1


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def in_memory(feats: list[features.ArticleFeatures], sizes: list[int], horizon: int | None = None,
              ids_out: Path | None = None) -> None:
    """Stream the replicated corpus through an in-memory index (bounded by `horizon` days when given);
    print ms/article of the WINDOW articles before each checkpoint, articles/s overall, stories and RSS."""
    index = StoryIndex(horizon_days=horizon)
    assigner = assign.Assigner(index)
    checkpoints = set(sizes)
    window_starts = {s - WINDOW for s in sizes}
    opened = 0
    out = ids_out.open("w") if ids_out else None
    window_start = start = time.process_time()
    for n, feat in enumerate(replicated(feats, max(sizes)), 1):
        if n - 1 in window_starts:
            window_start = time.process_time()
        decision = assigner.assign(feat)
        opened += decision.new
        if out:
            out.write(f"{feat.article_id}\t{decision.story_id}\n")
        if n in checkpoints:
            per = (time.process_time() - window_start) / WINDOW * 1000
            print(f"{n:>8} articles  {opened:>7} stories ({len(index.stories)} in memory, {len(index.df)} keys)  "
                  f"last {WINDOW}: {per:.2f} ms/article ({1000 / per:.0f}/s)  "
                  f"total {n / (time.process_time() - start):.0f}/s  RSS {rss_mb():.0f} MB  "
                  f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC]", flush=True)
    if out:
        out.close()


def feature_speed(articles: list, count: int = 1000, embed_count: int = 64) -> None:
    """Own features per article, and the MiniLM embedding of title + lead (computed once per article)."""
    from newsfuse.text import embeddings

    start = time.process_time()
    for article in articles[:count]:
        features.article_features(article)
    elapsed = time.process_time() - start
    print(f"features (own, no analysis): {count / elapsed:.0f} articles/s ({elapsed / count * 1000:.2f} ms/article)")
    texts = [features.embedding_text(a) for a in articles[:embed_count]]
    embeddings.embed(texts[:2])  # load the model outside the timing
    start = time.process_time()
    embeddings.embed(texts)
    elapsed = time.process_time() - start
    print(f"embedding of title + lead (MiniLM int8, {embed_count} articles): {embed_count / elapsed:.0f} articles/s "
          f"({elapsed / embed_count * 1000:.1f} ms/article)")


def analysis_features_speed(db: Path, rounds: int = 20) -> None:
    """Features of every article in an analysed database, from the stored analysis and without it."""
    from newsfuse import pipeline
    from newsfuse.store import open_store

    store = open_store(db)
    articles = store.articles()
    for label, use in (("own features", False), ("from the stored analysis", True)):
        start = time.process_time()
        for _ in range(rounds):
            for article in articles:
                features.article_features(article, pipeline.load_analysis(store, article.id) if use else None)
        per = (time.process_time() - start) / (rounds * len(articles))
        print(f"features, {label}: {per * 1000:.2f} ms/article ({1 / per:.0f}/s), {len(articles)} articles x {rounds}")
    store.close()


def through_store(articles: list, vectors: dict, total: int) -> None:
    """Insert `total` replicated articles into a fresh SQLite store, with their title-and-lead embeddings
    (the cached vectors, as `cluster` stores them: embedding is timed apart), then time `cluster_pending`."""
    import base64

    from newsfuse import pipeline
    from newsfuse.models import SourceRecord
    from newsfuse.stories import service
    from newsfuse.store import open_store
    from newsfuse.text import embeddings

    version = f"{embeddings.model_name()}/{service.EMBEDDING_TEXT}"
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "speed.sqlite")
        with store.transaction():
            for n in range(total):
                copy, row = divmod(n, len(articles))
                article = articles[row]
                vector = base64.b64encode(vectors[article.id].astype("<f4").tobytes()).decode("ascii")
                if copy:
                    import datetime as dt

                    day = dt.date.fromisoformat(article.published) + dt.timedelta(days=copy * SHIFT_DAYS)
                    article = dataclasses.replace(article, id=f"{article.id}-{copy}", published=day.isoformat())
                store.add_article(article, SourceRecord("text", article.id, article.id), b"")
                store.put_annotation(article.id, service.EMBEDDING_COMPONENT, version, vector)
        done = [0]
        window: dict[str, float] = {}

        def tick(_: str) -> None:  # the assignment time of the last WINDOW articles, before the stories are described
            done[0] += 1
            if done[0] == total - WINDOW:
                window["start"] = time.process_time()
            elif done[0] == total:
                window["end"] = time.process_time()

        start = time.process_time()
        changed = pipeline.cluster_pending(store, on_article=tick)
        elapsed = time.process_time() - start
        last = (window["end"] - window["start"]) / WINDOW * 1000 if "start" in window else float("nan")
        print(f"store-backed cluster of {total} articles: {elapsed:.1f} s, {total / elapsed:.0f} articles/s, "
              f"last {WINDOW} assigned {last:.2f} ms/article, "
              f"{len(changed)} stories, RSS {rss_mb():.0f} MB, db {store.path.stat().st_size / 1e6:.0f} MB", flush=True)
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--store", type=int, nargs="*", default=[], help="also time the store-backed path on this many articles (each a fresh database)")
    parser.add_argument("--analysed", type=Path, help="an analysed database: time features with and without its analysis")
    parser.add_argument("--horizon", type=int, nargs="?", const=HORIZON_DAYS,
                        help=f"bounded index: forget stories and keys this many days old (alone: {HORIZON_DAYS})")
    parser.add_argument("--ids", type=Path, help="write each article's story id here (to compare two runs)")
    parser.add_argument("--no-features", action="store_true", help="skip timing the feature extraction")
    args = parser.parse_args()
    if args.analysed:
        analysis_features_speed(args.analysed)
        return
    articles = [item.article for item in sd.gva()]
    if not args.no_features:
        feature_speed(articles)
    if args.sizes:
        in_memory(sd.stream_features("gva")[0], sorted(args.sizes), args.horizon, args.ids)
    if args.store:
        vectors = sd.embeddings_for(articles)
        for total in args.store:
            through_store(articles, vectors, total)


if __name__ == "__main__":
    main()
