"""Fusion speed: seconds to fuse one story of 2, 10 and 50 articles (models loaded, analysis done).

Stories are built from NewsWCL50 articles (real US news, ~5,000 characters each): 2 articles of one
event, 10 of two events, all 50. Analysis, entity linking and the embedding of each article's statement
sentences run before the clock (per-article stages with their own benchmark; the vectors go into a store,
keyed by model and text digest, as a story's earlier fusion leaves them there). The clock covers fuse_story
as `pipeline.fuse_pending` calls it, reading those vectors from the store:
"first" is a story's first fusion in a process that has never seen its sentences (the vectors come from
the store); "again" is a re-fusion of the same story (what happens when its membership changes: the
vectors come from fuse/align.py's cache in the process), median of 3; "unstored" is a first fusion with
no stored vectors (MiniLM runs inside fusion, as before they were stored). MiniLM is loaded before the clock.
Wall time is what a user waits; CPU time (both cores' seconds) moves less when the machine is shared.

    .venv/bin/python bench/fuse_speed.py [--sizes 2 10 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    import framing_newswcl50 as wcl

    from newsfuse.analyse import analyse_articles, link_entities
    from newsfuse.fuse import align, fuse_story, statement_texts
    from newsfuse.models import Story
    from newsfuse.store.sqlite import SQLiteStore
    from newsfuse.text.embeddings import embed_tokens
    from newsfuse.vectors import StoredEmbedder

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 10, 50])
    args = parser.parse_args()
    docs = [d for _, event in wcl.load().items() for d in event]
    articles = [wcl.to_article(d)[0] for d in docs[: max(args.sizes)]]
    entities, analyses = link_entities(list(zip(articles, analyse_articles(articles))))
    by_id = {a.article_id: a for a in analyses}
    embed_tokens(["load the model before the clock"])  # a process loads MiniLM once; that is not fusion's cost
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "speed.db")
        stored = StoredEmbedder(store)
        stored.fill([t for a in articles for t in statement_texts(a, by_id[a.id])])  # an earlier fusion's
        for size in args.sizes:
            chosen = articles[:size]
            story = Story(f"speed-{size}", tuple(a.id for a in chosen), "")
            analysed = {a.id: by_id[a.id] for a in chosen}

            def run(embed=stored):  # type: ignore[no-untyped-def]
                return fuse_story(story, chosen, analysed, entities, embed=embed)

            align._vector_cache.clear()
            started, cpu = time.perf_counter(), time.process_time()
            run()
            first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
            times = []
            for _ in range(3):
                started = time.perf_counter()
                fused = run()
                times.append(time.perf_counter() - started)
            align._vector_cache.clear()
            started = time.perf_counter()
            run(embed_tokens)
            unstored = time.perf_counter() - started
            print(f"{size:>3} articles: first {first:.2f} s ({first_cpu:.2f} s CPU), again {statistics.median(times):.2f} s, "
                  f"unstored {unstored:.2f} s per story; {len(fused.facts)} facts, "
                  f"{sum(f.status != 'one' for f in fused.facts)} shared by 2+ articles")
        store.close()


if __name__ == "__main__":
    main()
